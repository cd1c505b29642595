// The model's custom key store rules alone (model/keystores.ts, spec §3.4) over states made by hand,
// with more stores than the world's three cluster lineages let a run make: DescribeCustomKeyStores'
// paging (creation order, NextMarker followed to the end, a marker past the end refused, only the
// caller's account's stores), UpdateCustomKeyStore's CustomKeyStoreNameInUseException for another
// store's name, the stores quota (§11.1: every store of the account, in any state), and a cluster
// being deleted (CloudHsmClusterNotActiveException on Connect; CLUSTER_NOT_FOUND for the connection).
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { runExchange } from "../../model/keystores.ts";
import { settle } from "../../model/settle.ts";
import { changed, edit } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState, type ModelStore } from "../../model/state.ts";
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

describe("the model's custom key stores quota (§11.1)", () => {
  const mine = world.account;
  const other = scenario.world.otherClusters[0]!;
  const createOn = (state: ModelState, name: string) => {
    const o = answer(
      state,
      {
        CustomKeyStoreName: name,
        CloudHsmClusterId: other.clusterId,
        TrustAnchorCertificate: other.trustAnchor,
        KeyStorePassword: "kmsuserPass1",
      },
      "CreateCustomKeyStore",
    );
    return o.ok ? "ok" : o.error.name;
  };

  it("refuses a store past the world's quota whatever state the account's stores are in, and counts only the account's", () => {
    expect(world.customKeyStoresPerAccount).toBe(2);
    const states: ModelStore["state"][] = ["DISCONNECTED", "FAILED", "CONNECTING", "DISCONNECTING", "CONNECTED"];
    for (const connection of states) {
      const state = edit(withStores([mine, mine]), (s) => void (s.stores[1]!.state = connection));
      expect(createOn(state, "new")).toBe("LimitExceededException");
    }
    expect(createOn(withStores([mine]), "new")).toBe("ok");
    expect(createOn(withStores([mine, scenario.world.partnerAccount]), "new")).toBe("ok");
  });
});

describe("the model's custom key stores on a cluster being deleted", () => {
  const clusterId = scenario.world.otherClusters[0]!.clusterId;
  const deleting = (state: ModelState) =>
    edit(state, (s) => {
      const c = s.clusters.find((x) => x.id === clusterId)!;
      c.hsms = [];
      c.state = "DELETE_IN_PROGRESS";
      c.goneAtUs = 5;
    });
  const onDeleting = () =>
    edit(withStores([world.account]), (s) => {
      s.stores[0]!.clusterId = clusterId;
      s.stores[0]!.lineage = clusterId;
    });

  it("refuses ConnectCustomKeyStore and a move onto it as not active", () => {
    const state = deleting(onDeleting());
    const id = state.stores[0]!.id;
    const connect = answer(state, { CustomKeyStoreId: id }, "ConnectCustomKeyStore");
    expect(connect.ok ? "ok" : connect.error.name).toBe("CloudHsmClusterNotActiveException");
    const move = answer(state, { CustomKeyStoreId: id, CloudHsmClusterId: clusterId }, "UpdateCustomKeyStore");
    expect(move.ok ? "ok" : move.error.name).toBe("CloudHsmClusterNotActiveException");
  });

  it("answers DeleteCluster with DELETE_IN_PROGRESS and drops the cluster at its time", () => {
    const bare = edit(initialState(world), (s) => void (s.clusters.find((x) => x.id === clusterId)!.hsms = []));
    const [branch] = modelStep(world, bare, { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId: clusterId } }, 1000);
    expect(branch!.outcome).toEqual({ ok: true, output: { Cluster: { ClusterId: clusterId, State: "DELETE_IN_PROGRESS" } } });
    const after = branch!.next({ ok: true, output: { Cluster: { ClusterId: clusterId, State: "DELETE_IN_PROGRESS" } } });
    const cluster = after.clusters.find((c) => c.id === clusterId)!;
    expect(cluster.goneAtUs).toBe(1000 + world.clusterDeletionUs);
    expect(settle(world, after, cluster.goneAtUs! - 1)[0]!.clusters.some((c) => c.id === clusterId)).toBe(true);
    expect(settle(world, after, cluster.goneAtUs!).map((s) => s.clusters.some((c) => c.id === clusterId))).toEqual([false]);
  });

  it("fails a connection whose procedure meets the cluster being deleted with CLUSTER_NOT_FOUND", () => {
    const state = edit(deleting(onDeleting()), (s) => {
      s.stores[0]!.state = "CONNECTING";
      s.stores[0]!.pending = { kind: "connect", exchangeAtUs: 0, publishAtUs: 1, asks: undefined };
      runExchange(s, s.stores[0]!.id);
    });
    expect(state.stores[0]!.pending).toMatchObject({ result: "CLUSTER_NOT_FOUND" });
  });
});
