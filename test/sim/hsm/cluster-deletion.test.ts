// A deleted cluster lingers DELETE_IN_PROGRESS for timing.clusterDeletionMs (CloudHSMv2's ClusterState,
// spec §4), through both sides: while it does, a store on it cannot connect and cannot be moved onto
// it (CloudHsmClusterNotActiveException, §3.4); once it is gone, the store's connection fails
// CLUSTER_NOT_FOUND. On the virtual CloudHSM alone: the state, then the cluster gone on the clock.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { CallStep, Step } from "../../../protocol/step.ts";
import { World } from "../../../sim/world.ts";

const scenario = loadScenario("default");
const other = scenario.world.otherClusters.at(-1)!;
const ClusterId = other.clusterId;
const { clusterDeletionMs, connectDelayMs, connectExchangeMs } = scenario.timing;
const refused = (name: string) => ({ ok: false, error: { name } });
const store = { CustomKeyStoreId: "${b.CustomKeyStoreId}" };
const deleteHsms: Step[] = other.hsms.map((h) => ({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: h.hsmId } }));

describe("a cluster being deleted (DELETE_IN_PROGRESS) on both sides", () => {
  it("refuses Connect and a move onto it as not active, then fails the connection CLUSTER_NOT_FOUND", () => {
    expect(clusterDeletionMs).toBeGreaterThan(0);
    const steps: Step[] = [
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        save: "b",
        input: {
          CustomKeyStoreName: "b",
          CloudHsmClusterId: ClusterId,
          TrustAnchorCertificate: other.trustAnchor,
          KeyStorePassword: other.kmsuserPassword,
        },
      },
      { call: "cloudhsmv2:DeleteCluster", as: "app", input: { ClusterId }, expect: refused("CloudHsmAccessDeniedException") },
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId }, expect: refused("CloudHsmInvalidRequestException") }, // HSMs left
      ...deleteHsms,
      {
        call: "cloudhsmv2:DeleteCluster",
        as: "admin",
        input: { ClusterId },
        expect: { ok: true, output: { Cluster: { ClusterId, State: "DELETE_IN_PROGRESS" } } },
      },
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId }, expect: refused("CloudHsmInvalidRequestException") },
      { call: "ConnectCustomKeyStore", as: "admin", input: store, expect: refused("CloudHsmClusterNotActiveException") },
      {
        call: "UpdateCustomKeyStore",
        as: "admin",
        input: { ...store, CloudHsmClusterId: ClusterId },
        expect: refused("CloudHsmClusterNotActiveException"),
      },
      { advance: clusterDeletionMs },
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId }, expect: refused("CloudHsmResourceNotFoundException") },
      { call: "ConnectCustomKeyStore", as: "admin", input: store, expect: { ok: true } },
      { advance: connectDelayMs + connectExchangeMs },
      {
        call: "DescribeCustomKeyStores",
        as: "admin",
        input: store,
        expect: {
          ok: true,
          output: { CustomKeyStores: [{ ConnectionState: "FAILED", ConnectionErrorCode: "CLUSTER_NOT_FOUND" } as never] },
        },
      },
    ];
    const result = executeSteps(scenario, "kmsim:cluster-deletion", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });

  it("a store made on it while it is being deleted is CloudHsmClusterNotActiveException", () => {
    const steps: Step[] = [
      ...deleteHsms,
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId }, expect: { ok: true } },
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        input: {
          CustomKeyStoreName: "b",
          CloudHsmClusterId: ClusterId,
          TrustAnchorCertificate: other.trustAnchor,
          KeyStorePassword: other.kmsuserPassword,
        },
        expect: refused("CloudHsmClusterNotActiveException"),
      },
    ];
    expect(executeSteps(scenario, "kmsim:cluster-deletion-create", steps).failure).toBeUndefined();
  });
});

describe("the virtual CloudHSM's cluster deletion on the clock", () => {
  it("keeps the cluster DELETE_IN_PROGRESS for clusterDeletionMs, then removes it", () => {
    const world = new World(scenario, "kmsim:cluster-deletion-sim");
    const admin = scenario.world.principals["admin"]!.arn;
    for (const step of [...deleteHsms, { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId } }])
      expect(world.call(step as CallStep, admin).outcome.ok).toBe(true);
    expect(world.cloudhsm.clusters.get(ClusterId)?.state).toBe("DELETE_IN_PROGRESS");
    world.advance(clusterDeletionMs - 1);
    expect(world.cloudhsm.clusters.get(ClusterId)?.state).toBe("DELETE_IN_PROGRESS");
    world.advance(1);
    expect(world.cloudhsm.clusters.has(ClusterId)).toBe(false);
  });

  it("deletes at once, answering DELETED, where the scenario sets no deletion time", () => {
    const world = new World({ ...scenario, timing: { ...scenario.timing, clusterDeletionMs: 0 } }, "kmsim:cluster-deletion-now");
    const admin = scenario.world.principals["admin"]!.arn;
    for (const step of deleteHsms) world.call(step as CallStep, admin);
    const outcome = world.call({ call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId } }, admin).outcome;
    expect(outcome).toEqual({ ok: true, output: { Cluster: { ClusterId, State: "DELETED" } } });
    expect(world.cloudhsm.clusters.has(ClusterId)).toBe(false);
  });
});
