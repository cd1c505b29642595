// Mutants of the cluster link: failover across the ACTIVE HSMs, key replication between them, and
// which key object a request reaches (spec §4, §8.4).
import { VirtualCluster, type ClusterOptions, type VirtualHsm } from "../sim/hsm/cluster.ts";
import type { HsmRequest, HsmResponse } from "../sim/hsm/messages.ts";
import { HsmClient } from "../sim/kms/hsm-client.ts";
import { waiterOf } from "../sim/kernel/process.ts";
import { patch, together, type Mutant } from "./mutant.ts";

const byId = (a: VirtualHsm, b: VirtualHsm) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const CLUSTER_MUTANTS: Mutant[] = [
  {
    name: "no-failover",
    area: "failover and replication",
    description: "the KMS tries only the first ACTIVE HSM and never fails over",
    scenarios: ["default", "keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        HsmClient.prototype,
        "askAny",
        () =>
          function (this: HsmClient, cluster, request) {
            const first = cluster.activeHsms()[0];
            return waiterOf(
              (function* (client: HsmClient) {
                return first === undefined ? undefined : ((yield client.request(cluster, first.id, request)) as HsmResponse | undefined);
              })(this),
            );
          },
      ),
  },
  {
    name: "no-pass-over-missing-key",
    area: "failover and replication",
    description: "an HSM that lacks the key ends the request instead of the KMS trying the next one",
    scenarios: ["keystores", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        HsmClient.prototype,
        "askAny",
        (askAny) =>
          function (this: HsmClient, cluster, request) {
            return askAny.call(this, cluster, request, []);
          },
      ),
  },
  {
    name: "down-hsm-counted-active",
    area: "failover and replication",
    description: "the KMS counts a crashed or zone-down HSM as ACTIVE (and the control plane reports it so)",
    scenarios: ["keystores"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      patch(
        VirtualCluster.prototype,
        "activeHsms",
        () =>
          function (this: VirtualCluster) {
            return [...this.hsms].sort(byId);
          },
      ),
  },
  {
    name: "crashed-hsm-answers",
    area: "failover and replication",
    description: "a crashed HSM keeps answering requests",
    scenarios: ["default", "keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      together(
        patch(
          VirtualCluster.prototype,
          "serve",
          (serve) =>
            function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
              const hsm = this.hsm(hsmId);
              const crashed = hsm?.crashed ?? false;
              if (hsm !== undefined) hsm.crashed = false;
              try {
                return serve.call(this, hsmId, request);
              } finally {
                if (hsm !== undefined) hsm.crashed = crashed;
              }
            },
        ),
        patch(
          VirtualCluster.prototype,
          "activeHsms",
          () =>
            function (this: VirtualCluster) {
              return this.hsms.filter((h) => !h.zoneDown).sort(byId);
            },
        ),
      ),
  },
  {
    name: "no-catch-up-on-return",
    area: "failover and replication",
    description: "key objects are never synchronized to an HSM that comes back or is added",
    scenarios: ["keystores"],
    expected: { kind: "invariant", check: "replication" },
    apply: () => patch(VirtualCluster.prototype, "synchronize", () => () => undefined),
  },
  {
    name: "instant-replication",
    area: "failover and replication",
    description: "key objects replicate at once instead of after the cluster's replication delay",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualCluster.prototype,
        "scheduleReplication",
        () =>
          function (this: VirtualCluster) {
            this.synchronize();
          },
      ),
  },
  {
    name: "replication-a-little-late",
    area: "failover and replication",
    description: "a replication pass runs a quarter of the cluster's replication delay late",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualCluster.prototype,
        "scheduleReplication",
        (schedule) =>
          function (this: VirtualCluster) {
            const cluster = this as unknown as { options: ClusterOptions };
            const options = cluster.options;
            cluster.options = { ...options, replicationDelayUs: options.replicationDelayUs * 1.25 };
            try {
              schedule.call(this); // the pass is queued with the delay read here
            } finally {
              cluster.options = options;
            }
          },
      ),
  },
  {
    name: "object-by-label",
    area: "failover and replication",
    description: "the HSM finds a key object by its label, not by the handle the KMS holds",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualCluster.prototype,
        "serve",
        (serve) =>
          function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
            if (request.op !== "Encrypt" && request.op !== "Decrypt") return serve.call(this, hsmId, request);
            const label = this.hsms.flatMap((h) => [...h.objects]).find(([handle]) => handle === request.handle)?.[1].label;
            const sameLabel = [...(this.hsm(hsmId)?.objects ?? [])].find(([, o]) => o.label === label)?.[0];
            return serve.call(this, hsmId, sameLabel === undefined ? request : { ...request, handle: sameLabel });
          },
      ),
  },
];
