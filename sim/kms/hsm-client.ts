// The virtual KMS's side of the cluster link: one request to one HSM over the simulated network
// with a per-request timeout, and failover across the cluster's ACTIVE HSMs in HsmId order
// [MODEL CHOICE: a fixed order makes the effects of a lost reply exact]. A reply slower than the
// timeout counts as no reply; an answer named in `passOver` (an HSM lacking the key) moves on too.
import type { Network } from "../kernel/network.ts";
import { timeoutSuspension, type Proc, type Suspension } from "../kernel/process.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { HsmFailureCode, HsmRequest, HsmResponse } from "../hsm/messages.ts";

export const KMS_NODE = "kms";

export interface HsmClientOptions {
  /** How long the KMS waits for one HSM's reply before trying the next, in microseconds. */
  hsmRequestTimeoutUs: number;
}

export class HsmClient {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly network: Network,
    private readonly options: HsmClientOptions,
  ) {}

  /**
   * Sends `request` to one HSM: what a process yields to wait for the reply, `undefined` if none came
   * within the timeout. A suspension rather than a generator, so that every resumption of an HSM
   * request steps through one generator frame fewer. Its events are labelled with the operation
   * alone: a label is only ever read by a crash message, and joined ones cost a string each per event.
   */
  request(cluster: VirtualCluster, hsmId: string, request: HsmRequest): Suspension {
    const { scheduler, network } = this;
    return timeoutSuspension<HsmResponse>(scheduler, this.options.hsmRequestTimeoutUs, request.op, (deliver) => {
      network.send(KMS_NODE, hsmId, request.op, () => {
        scheduler.after(cluster.serviceUs(request), request.op, () => {
          const response = cluster.serve(hsmId, request);
          if (response === undefined) return;
          const reply = () => network.send(hsmId, KMS_NODE, request.op, () => deliver(response));
          const holdUs = cluster.replyHoldUs(hsmId, request);
          if (holdUs === 0) reply();
          else scheduler.after(holdUs, request.op, reply);
        });
      });
    });
  }

  /**
   * Tries the ACTIVE HSMs in HsmId order until one gives an answer not in `passOver`; returns it, else
   * the last passed-over answer, else `undefined` when none answered at all.
   */
  *askAny(cluster: VirtualCluster, request: HsmRequest, passOver: readonly HsmFailureCode[] = []): Proc<HsmResponse | undefined> {
    let passed: HsmResponse | undefined;
    for (const hsm of cluster.activeHsms()) {
      const response = (yield this.request(cluster, hsm.id, request)) as HsmResponse | undefined;
      if (response === undefined) continue;
      if (!response.ok && passOver.includes(response.code)) {
        passed = response;
        continue;
      }
      return response;
    }
    return passed;
  }
}
