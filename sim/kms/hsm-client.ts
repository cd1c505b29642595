// The virtual KMS's side of the cluster link: one request to one HSM over the simulated network
// with a per-request timeout, and failover across the cluster's ACTIVE HSMs in HsmId order
// [MODEL CHOICE: a fixed order makes the effects of a lost reply exact]. A reply slower than the
// timeout counts as no reply; an answer named in `passOver` (an HSM lacking the key) moves on too.
import type { Network } from "../kernel/network.ts";
import type { Waiter } from "../kernel/process.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { HsmFailureCode, HsmRequest } from "../hsm/messages.ts";
import { HsmExchange } from "./hsm-exchange.ts";
import { HsmFailover, type HsmAsker } from "./hsm-failover.ts";

export { KMS_NODE } from "./hsm-exchange.ts";
export type { HsmAnswer } from "./hsm-failover.ts";

export interface HsmClientOptions {
  /** How long the KMS waits for one HSM's reply before trying the next, in microseconds. */
  hsmRequestTimeoutUs: number;
}

export class HsmClient implements HsmAsker {
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
  request(cluster: VirtualCluster, hsmId: string, request: HsmRequest): Waiter {
    return new HsmExchange(this.scheduler, this.network, cluster, hsmId, request, this.options.hsmRequestTimeoutUs);
  }

  /**
   * Tries the ACTIVE HSMs in HsmId order until one gives an answer not in `passOver`: what a process
   * yields to wait for that answer, else the last passed-over answer, else `undefined` when none
   * answered at all (sim/kms/hsm-failover.ts).
   */
  askAny(cluster: VirtualCluster, request: HsmRequest, passOver: readonly HsmFailureCode[] = []): Waiter {
    return new HsmFailover(this, cluster, request, passOver);
  }
}
