// More than one custom key store per account, through both sides (the virtual KMS and the model, run
// side by side by the harness): the default world's clusters of other lineages (spec §3.4) take a
// second and third store, so renames onto each other's names, moves onto an unrelated cluster, an
// uninitialized cluster and the stores quota (§11.1, lowered to 2 by the shipped scenarios) are reached.
import { describe, expect, it } from "vitest";
import { loadScript } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { worldSeed } from "../../../harness/seed.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { scenario } from "../../support/store-steps.ts";

const { cluster, otherClusters, uninitializedClusterIds } = scenario.world;
const [second, third] = otherClusters as [(typeof otherClusters)[0], (typeof otherClusters)[0]];
const refused = (name: string) => ({ ok: false, error: { name } }) as const;

function create(save: string, name: string, on: typeof cluster, expect?: object): Step {
  return {
    call: "CreateCustomKeyStore",
    as: "admin",
    save,
    input: {
      CustomKeyStoreName: name,
      CloudHsmClusterId: on.clusterId,
      TrustAnchorCertificate: on.trustAnchor,
      KeyStorePassword: on.kmsuserPassword,
    },
    ...(expect !== undefined ? { expect } : {}),
  } as Step;
}
const update = (save: string, input: JsonObject, expect: object): Step =>
  ({ call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: `\${${save}.CustomKeyStoreId}`, ...input }, expect }) as Step;

function run(label: string, steps: Step[]): void {
  const result = executeSteps(scenario, label, steps);
  expect(result.failure).toBeUndefined();
  expect(result.records).toHaveLength(steps.length);
}

describe("custom key stores on several cluster lineages (§3.4) on both sides", () => {
  it("ships a world with two other ACTIVE lineages, an uninitialized cluster and a stores quota of 2", () => {
    expect(otherClusters.map((c) => c.clusterId)).toHaveLength(2);
    expect(new Set([cluster, ...otherClusters].map((c) => c.trustAnchor)).size).toBe(3);
    expect(uninitializedClusterIds).toHaveLength(1);
    expect(scenario.quotas.customKeyStoresPerAccount).toBe(2);
  });

  it("takes a second store on another lineage, and refuses one on a lineage in use", () => {
    run("kmsim:lineages-second", [
      create("a", "store-a", cluster),
      create("b", "store-b", second, { ok: true }),
      create("c", "store-c", cluster, refused("CloudHsmClusterInUseException")),
      { call: "DescribeCustomKeyStores", as: "admin", input: {}, expect: { ok: true, output: { Truncated: false } } },
    ]);
  });

  it("refuses a rename onto another store's name, a move to an unrelated cluster, and takes a free name", () => {
    run("kmsim:lineages-rename", [
      create("a", "store-a", cluster),
      create("b", "store-b", second),
      update("b", { NewCustomKeyStoreName: "store-a" }, refused("CustomKeyStoreNameInUseException")),
      update("b", { CloudHsmClusterId: cluster.clusterId }, refused("CloudHsmClusterNotRelatedException")),
      update("a", { CloudHsmClusterId: uninitializedClusterIds[0]! }, refused("CloudHsmClusterNotRelatedException")),
      update("b", { NewCustomKeyStoreName: "store-c" }, { ok: true }),
      update("a", { NewCustomKeyStoreName: "store-b" }, { ok: true }), // the old name is free again
    ]);
  });

  it("refuses a store on an uninitialized cluster (CloudHsmClusterNotActiveException)", () => {
    const uninitialized = { ...cluster, clusterId: uninitializedClusterIds[0]! };
    run("kmsim:lineages-uninitialized", [create("u", "store-u", uninitialized, refused("CloudHsmClusterNotActiveException"))]);
  });

  it("counts every store of the account, in any state, against the stores quota (§11.1)", () => {
    run("kmsim:lineages-quota", [
      create("a", "store-a", cluster),
      { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: "${a.CustomKeyStoreId}" } },
      create("b", "store-b", second), // DISCONNECTED: it counts as much as the connecting one
      create("c", "store-c", third, refused("LimitExceededException")),
      { call: "DeleteCustomKeyStore", as: "admin", input: { CustomKeyStoreId: "${b.CustomKeyStoreId}" }, expect: { ok: true } },
      create("c", "store-c", third, { ok: true }),
    ]);
  });

  it("replays the readable example, scenarios/scripts/two-stores.json, every expectation met", () => {
    const script = loadScript("scenarios/scripts/two-stores.json");
    const result = executeSteps(script.scenario, worldSeed(script.seed), script.steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(script.steps.length);
    expect(script.steps.filter((s) => "expect" in s)).toHaveLength(script.steps.length);
  });
});
