// The model's custom key store rules alone (model/keystores.ts, spec §3.4) over states with more stores
// than the world's one cluster lineage lets a run make: DescribeCustomKeyStores' paging (creation order,
// NextMarker followed to the end, a marker past the end refused, only the caller's account's stores) and
// UpdateCustomKeyStore's CustomKeyStoreNameInUseException for another store's name.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { changed } from "../../model/state-change.ts";
import { initialState, type ModelState, type ModelStore } from "../../model/state.ts";
import { modelWorld } from "../../harness/model-world.ts";
import type { OutcomePattern } from "../../protocol/pattern.ts";
import type { JsonObject } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);

function withStores(accounts: string[]): ModelState {
  const stores: ModelStore[] = accounts.map((account, i) => ({
    id: `cks-${String(i).padStart(17, "0")}`,
    account,
    name: `s${i}`,
    clusterId: scenario.world.cluster.clusterId,
    lineage: "lineage",
    trustAnchor: scenario.world.cluster.trustAnchor,
    password: scenario.world.cluster.kmsuserPassword,
    state: "DISCONNECTED",
    creationUs: i,
  }));
  return changed(initialState(world), (state) => void (state.stores = stores));
}

function answer(state: ModelState, input: JsonObject, call = "DescribeCustomKeyStores"): OutcomePattern {
  const branches = modelStep(world, state, { call, as: "admin", input }, 0);
  expect(branches).toHaveLength(1);
  return branches[0]!.outcome;
}
const names = (o: OutcomePattern) =>
  o.ok ? (o.output["CustomKeyStores"] as JsonObject[]).map((s) => s["CustomKeyStoreName"]) : o.error.name;

describe("the model's DescribeCustomKeyStores paging", () => {
  const mine = world.account;
  const other = scenario.world.partnerAccount;

  it("pages the caller's account's stores in creation order and follows NextMarker to the end", () => {
    const state = withStores([mine, other, mine, mine, other, mine]);
    const first = answer(state, { Limit: 3 });
    expect(names(first)).toEqual(["s0", "s2", "s3"]);
    expect(first.ok && first.output).toMatchObject({ Truncated: true, NextMarker: "3" });
    const last = answer(state, { Limit: 3, Marker: "3" });
    expect(names(last)).toEqual(["s5"]);
    expect(last.ok && last.output["Truncated"]).toBe(false);
    expect(last.ok && "NextMarker" in last.output).toBe(false);
    expect(names(answer(state, {}))).toEqual(["s0", "s2", "s3", "s5"]);
  });

  it("refuses a marker past the caller's stores or not a number, after the filter's not-found", () => {
    const state = withStores([mine, other, other]);
    expect(names(answer(state, { Marker: "1" }))).toEqual([]);
    expect(names(answer(state, { Marker: "2" }))).toBe("InvalidMarkerException");
    expect(names(answer(state, { Marker: "x" }))).toBe("InvalidMarkerException");
    expect(names(answer(state, { CustomKeyStoreName: "s1", Marker: "x" }))).toBe("CustomKeyStoreNotFoundException");
    expect(names(answer(state, { CustomKeyStoreName: "s0", Limit: 1 }))).toEqual(["s0"]);
  });

  it("refuses UpdateCustomKeyStore's new name when another store of the account has it, not when another account's does", () => {
    const state = withStores([mine, mine, other]);
    const rename = (id: string, NewCustomKeyStoreName: string) => {
      const o = answer(state, { CustomKeyStoreId: id, NewCustomKeyStoreName }, "UpdateCustomKeyStore");
      return o.ok ? "ok" : o.error.name;
    };
    const [first, , theirs] = state.stores.map((s) => s.id) as [string, string, string];
    expect(rename(first, "s1")).toBe("CustomKeyStoreNameInUseException");
    expect(rename(first, "s0")).toBe("ok"); // its own name
    expect(rename(first, "s2")).toBe("ok"); // another account's store's name
    expect(rename(theirs, "s0")).toBe("CustomKeyStoreNotFoundException");
  });
});
