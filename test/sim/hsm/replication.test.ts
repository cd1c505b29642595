// Asynchronous replication of key objects (spec §4), through both sides: right after CreateKey only
// the HSM that served GenerateKey holds the key; a request that reaches an HSM lacking it moves on;
// an HSM that comes back catches up one replication delay later; and a GenerateKey served twice (its
// first reply lost) leaves two objects with one label, of which only the KMS's own opens its ciphertexts.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";
import { World } from "../../../sim/world.ts";
import { CONNECTED_STORE } from "../../support/store-steps.ts";

const scenario = loadScenario("default");
const { cluster, principals } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];
const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;
const replicated = scenario.timing.replicationDelayMs + 1;

const connected: Step[] = [...CONNECTED_STORE];
const createKey: Step = {
  call: "CreateKey",
  as: "admin",
  save: "k",
  input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" },
  expect: { ok: true },
};
const encrypt = (ok: boolean): Step => ({
  call: "Encrypt",
  as: "admin",
  input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" },
  expect: ok ? { ok: true } : { ok: false, error: { name: "KMSInvalidStateException" } },
});

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:replication-test", steps);
}

describe("asynchronous key replication (§4) on both sides", () => {
  it("the HSM that made a key is its only holder until replication runs; losing it before then loses the key", () => {
    const steps: Step[] = [
      ...connected,
      createKey,
      { fault: "hsm-crash", hsm: hsm0 },
      encrypt(false),
      { fault: "hsm-restore", hsm: hsm0 },
      encrypt(true),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("once replication has run, the key survives the HSM that made it", () => {
    const steps: Step[] = [...connected, createKey, { advance: replicated }, { fault: "hsm-crash", hsm: hsm0 }, encrypt(true)];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a request reaching an HSM that lacks the key moves on; an HSM that comes back catches up a delay later", () => {
    const steps: Step[] = [
      ...connected,
      { fault: "hsm-crash", hsm: hsm0, after: 0 },
      createKey,
      { fault: "hsm-restore", hsm: hsm0 },
      encrypt(true), // hsm0 (first in order) lacks it: KEY_NOT_FOUND, then hsm1
      { fault: "partition", hsm: hsm1 },
      encrypt(false),
      { fault: "heal" },
      { advance: replicated },
      { fault: "partition", hsm: hsm1 },
      encrypt(true),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a GenerateKey served twice leaves two objects under one label; only the KMS's own serves its key", () => {
    const steps: Step[] = [
      ...connected,
      { fault: "partition", hsm: hsm0, direction: "from-hsm" },
      createKey,
      { fault: "heal" },
      { fault: "hsm-crash", hsm: hsm1 },
      encrypt(false), // hsm0 holds an object labelled with the key's ARN, but not the KMS's
      { fault: "hsm-restore", hsm: hsm1 },
      { advance: replicated },
      { fault: "hsm-crash", hsm: hsm1 },
      encrypt(true),
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
  });

  it("replication settles: every running HSM ends up holding the same key objects", () => {
    const world = new World(scenario, "kmsim:replication-settles");
    const admin = principals["admin"]!.arn;
    const call = (name: string, input: Record<string, string>) => world.call({ call: name, as: "admin", input }, admin).outcome;
    const made = call("CreateCustomKeyStore", {
      CustomKeyStoreName: "s",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: cluster.kmsuserPassword,
    });
    const id = made.ok ? String(made.output["CustomKeyStoreId"]) : "";
    call("ConnectCustomKeyStore", { CustomKeyStoreId: id });
    world.advance(wait);
    world.fault({ fault: "partition", hsm: hsm0, direction: "from-hsm" });
    expect(call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: id }).ok).toBe(true);
    const vc = world.cloudhsm.clusters.get(cluster.clusterId)!;
    const handles = () => vc.hsms.map((h) => [...h.objects.keys()].sort());
    expect(handles()[0]).toHaveLength(1);
    expect(handles()[1]).toHaveLength(1);
    expect(handles()[0]).not.toEqual(handles()[1]);
    expect(vc.replicationPending).toBe(true);
    world.advance(replicated);
    expect(vc.replicationPending).toBe(false);
    expect(handles()[0]).toHaveLength(2);
    expect(handles()[0]).toEqual(handles()[1]);
  });
});
