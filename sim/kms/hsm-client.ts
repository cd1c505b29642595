// The virtual KMS's side of the cluster link: one request to one HSM over the simulated network
// with a per-request timeout, and failover across the cluster's ACTIVE HSMs in HsmId order
// [MODEL CHOICE: a fixed order makes the effects of a lost reply exact]. A reply slower than the
// timeout counts as no reply; an answer named in `passOver` (an HSM lacking the key) moves on too.
import type { Network } from "../kernel/network.ts";
import type { Proc, Suspension } from "../kernel/process.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { HsmFailureCode, HsmRequest, HsmResponse } from "../hsm/messages.ts";
import { HsmExchange } from "./hsm-exchange.ts";

export { KMS_NODE } from "./hsm-exchange.ts";

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
   * within the timeout (the one set now). A suspension rather than a generator, so that every
   * resumption of an HSM request steps through one generator frame fewer; one object for the whole
   * exchange (sim/kms/hsm-exchange.ts), where it was nine closures and four events.
   */
  request(cluster: VirtualCluster, hsmId: string, request: HsmRequest): Suspension {
    return new HsmExchange(this.scheduler, this.network, cluster, hsmId, request, this.options.hsmRequestTimeoutUs);
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
