// The virtual KMS's side of the cluster link: one request to one HSM over the simulated network
// with a per-request timeout, and failover across the cluster's ACTIVE HSMs, trying first the HSM
// that answered last. A reply slower than the timeout counts as no reply.
import type { Network } from "../kernel/network.ts";
import { withTimeout, type Proc } from "../kernel/process.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { HsmRequest, HsmResponse } from "../hsm/messages.ts";

export const KMS_NODE = "kms";

export interface HsmClientOptions {
  /** How long the KMS waits for one HSM's reply before trying the next, in microseconds. */
  hsmRequestTimeoutUs: number;
}

export class HsmClient {
  /** The HSM that answered most recently, per cluster: tried first next time. */
  private readonly preferred = new Map<string, string>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly network: Network,
    private readonly options: HsmClientOptions,
  ) {}

  /** Sends `request` to one HSM; `undefined` if no reply came within the timeout. */
  *ask(cluster: VirtualCluster, hsmId: string, request: HsmRequest): Proc<HsmResponse | undefined> {
    const { scheduler, network } = this;
    return yield* withTimeout<HsmResponse>(scheduler, this.options.hsmRequestTimeoutUs, `${request.op}@${hsmId}`, (deliver) => {
      network.send(KMS_NODE, hsmId, request.op, () => {
        scheduler.after(cluster.serviceUs(request), `serve ${request.op}@${hsmId}`, () => {
          const response = cluster.serve(hsmId, request);
          if (response !== undefined) network.send(hsmId, KMS_NODE, `${request.op} reply`, () => deliver(response));
        });
      });
    });
  }

  /** Tries the ACTIVE HSMs until one answers; `undefined` if none did. */
  *askAny(cluster: VirtualCluster, request: HsmRequest): Proc<HsmResponse | undefined> {
    const candidates = cluster.activeHsms().map((h) => h.id);
    const first = this.preferred.get(cluster.id);
    if (first !== undefined && candidates.includes(first)) candidates.sort((a, b) => (a === first ? -1 : b === first ? 1 : 0));
    for (const hsmId of candidates) {
      const response = yield* this.ask(cluster, hsmId, request);
      if (response !== undefined) {
        this.preferred.set(cluster.id, hsmId);
        return response;
      }
    }
    return undefined;
  }
}
