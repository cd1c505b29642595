// DescribeCustomKeyStores' paging (spec §3.4: Limit and Marker; the markers of spec §1): the stores in
// creation order a page at a time, a marker no page of this listing could return refused with
// InvalidMarkerException — through both sides with the one store the world's cluster allows, and on the
// virtual KMS alone with more stores than one page.
import { describe, expect, it } from "vitest";
import { executeSteps } from "../../../harness/execute.ts";
import type { CallStep, JsonObject, Step } from "../../../protocol/step.ts";
import { World } from "../../../sim/world.ts";
import { create, scenario } from "../../support/store-steps.ts";

const describeStores = (input: JsonObject, expect: CallStep["expect"]): CallStep => ({
  call: "DescribeCustomKeyStores",
  as: "admin",
  input,
  expect,
});
const invalidMarker = { ok: false as const, error: { name: "InvalidMarkerException" } };
const mine = { CustomKeyStoreId: "${cks.CustomKeyStoreId}", CustomKeyStoreName: "s" };

describe("DescribeCustomKeyStores paging (§3.4) on both sides", () => {
  it("pages the account's one store; a marker past it or not a number is InvalidMarkerException", () => {
    const steps: Step[] = [
      describeStores({ Limit: 1, Marker: "1" }, invalidMarker), // no store yet: nothing to start at 1
      describeStores({ Marker: "0" }, { ok: true, output: { CustomKeyStores: [], Truncated: false } }),
      create(),
      describeStores({ Limit: 1 }, { ok: true, output: { CustomKeyStores: [mine], Truncated: false } }),
      describeStores({ Limit: 1, Marker: "0" }, { ok: true, output: { CustomKeyStores: [mine], Truncated: false } }),
      describeStores({ Limit: 1, Marker: "1" }, { ok: true, output: { CustomKeyStores: [], Truncated: false } }),
      describeStores({ Limit: 1, Marker: "2" }, invalidMarker),
      describeStores({ Marker: "x" }, invalidMarker),
      describeStores({ CustomKeyStoreName: "s", Marker: "2" }, invalidMarker),
      // A filter that matches nothing is answered first, whatever the marker.
      describeStores({ CustomKeyStoreName: "other", Marker: "x" }, { ok: false, error: { name: "CustomKeyStoreNotFoundException" } }),
      describeStores({ Limit: 0 }, { ok: false, error: { name: "ValidationException" } }),
      describeStores({ Limit: 1001 }, { ok: false, error: { name: "ValidationException" } }),
      describeStores({ Limit: 1000 }, { ok: true, output: { CustomKeyStores: [mine], Truncated: false } }),
    ];
    const result = executeSteps(scenario, "kmsim:describe-stores", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});

describe("DescribeCustomKeyStores paging on the virtual KMS", () => {
  /** A world whose account has `count` stores: one made by a call, the rest its copies under new ids and names. */
  function worldWithStores(count: number): World {
    const world = new World(scenario, "kmsim:describe-stores-sim");
    const made = world.call(create() as CallStep, scenario.world.principals["admin"]!.arn).outcome;
    expect(made.ok).toBe(true);
    const [first] = world.kms.stores;
    for (let i = 1; i < count; i++) {
      world.kms.stores.push({ ...first!, CustomKeyStoreId: `cks-${String(i).padStart(17, "0")}`, CustomKeyStoreName: `s${i}` });
    }
    return world;
  }
  const list = (world: World, input: JsonObject) =>
    world.call({ call: "DescribeCustomKeyStores", as: "admin", input }, scenario.world.principals["admin"]!.arn).outcome;
  const names = (outcome: ReturnType<typeof list>) =>
    outcome.ok ? (outcome.output["CustomKeyStores"] as JsonObject[]).map((s) => s["CustomKeyStoreName"]) : outcome.error.name;

  it("follows NextMarker through the stores in creation order", () => {
    const world = worldWithStores(5);
    const first = list(world, { Limit: 2 });
    expect(names(first)).toEqual(["s", "s1"]);
    expect(first.ok && first.output).toMatchObject({ Truncated: true, NextMarker: "2" });
    const second = list(world, { Limit: 2, Marker: "2" });
    expect(names(second)).toEqual(["s2", "s3"]);
    expect(second.ok && second.output).toMatchObject({ Truncated: true, NextMarker: "4" });
    const last = list(world, { Limit: 2, Marker: "4" });
    expect(names(last)).toEqual(["s4"]);
    expect(last.ok && last.output).toEqual(expect.objectContaining({ Truncated: false }));
    expect(last.ok && "NextMarker" in last.output).toBe(false);
    expect(names(list(world, { Marker: "6" }))).toBe("InvalidMarkerException");
  });

  it("returns every store in one page without a Limit (the default, 100, is above the quota of 10)", () => {
    const world = worldWithStores(10);
    const all = list(world, {});
    expect(names(all)).toEqual(["s", ...Array.from({ length: 9 }, (_, i) => `s${i + 1}`)]);
    expect(all.ok && all.output["Truncated"]).toBe(false);
  });
});
