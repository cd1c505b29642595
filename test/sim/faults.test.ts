// The survival claim of sim/faults.ts, on a world driven directly: it holds while one ACTIVE HSM
// holding the key is reachable both ways, and stops holding past that.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { claimHolds } from "../../sim/faults.ts";
import { checkStoreKeyCreation, checkSurvival, storeKeyPossible } from "../../harness/invariants.ts";
import { World } from "../../sim/world.ts";
import type { CallStep, FaultStep } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster, principals } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];

function connectedKey() {
  const world = new World(scenario, "kmsim:faults");
  const admin = principals["admin"]!.arn;
  const call = (c: string, input: CallStep["input"]) => {
    const { outcome } = world.call({ call: c, as: "admin", input }, admin);
    if (!outcome.ok) throw new Error(`${c}: ${outcome.error.name}`);
    return outcome.output;
  };
  const { CustomKeyStoreId } = call("CreateCustomKeyStore", {
    CustomKeyStoreName: "s",
    CloudHsmClusterId: cluster.clusterId,
    TrustAnchorCertificate: cluster.trustAnchor,
    KeyStorePassword: cluster.kmsuserPassword,
  });
  call("ConnectCustomKeyStore", { CustomKeyStoreId: CustomKeyStoreId! });
  world.advance(scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs);
  const meta = call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: CustomKeyStoreId! })["KeyMetadata"] as { Arn: string };
  world.advance(scenario.timing.replicationDelayMs); // the key object reaches both HSMs
  return { world, key: world.kms.keys.get(meta.Arn)! };
}

describe("the survival claim", () => {
  it("holds while one ACTIVE HSM with the key is reachable both ways", () => {
    const { world, key } = connectedKey();
    const holds = () => claimHolds(world.kms, world.network, key);
    const fault = (f: FaultStep) => world.fault(f);
    expect(holds()).toBe(true);
    fault({ fault: "partition", hsm: hsm0 });
    expect(holds()).toBe(true);
    fault({ fault: "partition", hsm: hsm1, direction: "from-hsm" });
    expect(holds()).toBe(false);
    fault({ fault: "heal" });
    expect(holds()).toBe(true);
    fault({ fault: "az-outage", az: cluster.hsms[0]!.availabilityZone });
    expect(holds()).toBe(true);
    fault({ fault: "hsm-crash", hsm: hsm1 });
    expect(holds()).toBe(false);
    fault({ fault: "az-restore", az: cluster.hsms[0]!.availabilityZone });
    expect(holds()).toBe(true);
  });

  it("CreateKey in a store is possible only with ACTIVE HSMs in two AZs; a success without them is reported", () => {
    const { world } = connectedKey();
    const step: CallStep = {
      call: "CreateKey",
      as: "admin",
      input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: world.kms.stores[0]!.CustomKeyStoreId },
    };
    expect(storeKeyPossible(step, world)).toBe(true);
    world.fault({ fault: "hsm-crash", hsm: hsm1 });
    expect(storeKeyPossible(step, world)).toBe(false);
    expect(checkStoreKeyCreation(step, { ok: true, output: {} }, false)).toMatch(/two ACTIVE HSMs/);
    expect(
      checkStoreKeyCreation(step, { ok: false, error: { name: "CloudHsmClusterInvalidConfigurationException", message: "" } }, false),
    ).toBeUndefined();
    expect(storeKeyPossible({ call: "CreateKey", as: "admin", input: {} }, world)).toBeUndefined();
  });

  it("a KMSInvalidStateException while it holds is reported; past it, it is the expected degraded outcome", () => {
    const step: CallStep = { call: "Encrypt", as: "admin", input: {} };
    const failed = { ok: false as const, error: { name: "KMSInvalidStateException", message: "" } };
    expect(checkSurvival(step, failed, true)).toMatch(/survival claim/);
    expect(checkSurvival(step, failed, false)).toBeUndefined();
    expect(checkSurvival(step, { ok: false, error: { name: "AccessDeniedException", message: "" } }, true)).toBeUndefined();
  });
});
