// CustomKeyStoreNameInUseException (spec §3.4: a store's name is unique in its account and Region):
// CreateCustomKeyStore with a taken name through both sides, and UpdateCustomKeyStore renaming a store to
// another store's name on the virtual KMS alone, with a second store put in by hand (through both sides,
// on the world's other cluster lineages: test/sim/kms/store-lineages.test.ts).
import { describe, expect, it } from "vitest";
import { executeSteps } from "../../../harness/execute.ts";
import type { CallStep, JsonObject, Outcome, Step } from "../../../protocol/step.ts";
import { World } from "../../../sim/world.ts";
import { create, scenario, store } from "../../support/store-steps.ts";

const nameInUse = { ok: false, error: { name: "CustomKeyStoreNameInUseException" } };

describe("custom key store names (§3.4) on both sides", () => {
  it("CreateCustomKeyStore with the name of a store of the account is CustomKeyStoreNameInUseException", () => {
    const steps: Step[] = [
      create(),
      { ...create("otherPassword1"), save: "again", expect: nameInUse }, // not the identical retry: its password differs
      { ...create(), save: "same", expect: { ok: true, output: { CustomKeyStoreId: "${cks.CustomKeyStoreId}" } } },
      { call: "UpdateCustomKeyStore", as: "admin", input: { ...store, NewCustomKeyStoreName: "s" }, expect: { ok: true } },
    ];
    const result = executeSteps(scenario, "kmsim:store-names", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});

describe("UpdateCustomKeyStore's NewCustomKeyStoreName on the virtual KMS", () => {
  const admin = scenario.world.principals["admin"]!.arn;
  const call = (world: World, name: string, input: JsonObject): Outcome =>
    world.call({ call: name, as: "admin", input } as CallStep, admin).outcome;

  it("refuses another store's name of the account, and takes the store's own or a free one", () => {
    const world = new World(scenario, "kmsim:store-names-sim");
    expect(call(world, "CreateCustomKeyStore", (create() as CallStep).input!).ok).toBe(true);
    const [first] = world.kms.stores;
    world.kms.stores.push({ ...first!, CustomKeyStoreId: "cks-00000000000000001", CustomKeyStoreName: "other" });
    const id = first!.CustomKeyStoreId;
    const update = (NewCustomKeyStoreName: string) => call(world, "UpdateCustomKeyStore", { CustomKeyStoreId: id, NewCustomKeyStoreName });
    const refused = update("other");
    expect(refused.ok ? "ok" : refused.error.name).toBe("CustomKeyStoreNameInUseException");
    expect(world.kms.stores[0]!.CustomKeyStoreName).toBe("s");
    expect(update("s").ok).toBe(true);
    expect(update("fresh").ok).toBe(true);
    expect(world.kms.stores.map((s) => s.CustomKeyStoreName)).toEqual(["fresh", "other"]);
  });
});
