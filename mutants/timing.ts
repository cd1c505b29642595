// Mutants of timing (spec §8.4, the scenario's latency model): the per-request timeout, retries and
// backoff before failing over, and slow HSMs. Most change only how long a call takes, so it is the
// latency budgets (harness/budgets.ts) that have to catch them.
import { sleep, waiterOf, type Proc } from "../sim/kernel/process.ts";
import type { Scheduler } from "../sim/kernel/scheduler.ts";
import { VirtualCluster } from "../sim/hsm/cluster.ts";
import type { HsmFailureCode, HsmRequest, HsmResponse } from "../sim/hsm/messages.ts";
import { HsmClient, type HsmClientOptions } from "../sim/kms/hsm-client.ts";
import { patch, type Mutant } from "./mutant.ts";

/** The client's private parts, as the patches below reach them. */
const inside = (client: HsmClient) => client as unknown as { options: HsmClientOptions; scheduler: Scheduler };

/** askAny as written, with `afterSilence` run whenever an HSM gives no answer (it may ask again). */
function askAnyWith(
  afterSilence: (client: HsmClient, cluster: VirtualCluster, hsmId: string, request: HsmRequest) => Proc<HsmResponse | undefined>,
) {
  return patch(
    HsmClient.prototype,
    "askAny",
    () =>
      function (this: HsmClient, cluster: VirtualCluster, request: HsmRequest, passOver: readonly HsmFailureCode[] = []) {
        return waiterOf(
          (function* (client: HsmClient): Proc<HsmResponse | undefined> {
            let passed: HsmResponse | undefined;
            for (const hsm of cluster.activeHsms()) {
              const response =
                ((yield client.request(cluster, hsm.id, request)) as HsmResponse | undefined) ??
                (yield* afterSilence(client, cluster, hsm.id, request));
              if (response === undefined) continue;
              if (!response.ok && passOver.includes(response.code)) {
                passed = response;
                continue;
              }
              return response;
            }
            return passed;
          })(this),
        );
      },
  );
}

export const TIMING_MUTANTS: Mutant[] = [
  {
    name: "request-timeout-doubled",
    area: "timing",
    description: "the KMS waits twice its per-request timeout for an HSM's reply before failing over",
    scenarios: ["keystores", "default"],
    expected: { kind: "budget", check: "budget:Decrypt" },
    apply: () =>
      patch(
        HsmClient.prototype,
        "request",
        (send) =>
          function (this: HsmClient, cluster: VirtualCluster, hsmId: string, request: HsmRequest) {
            const options = inside(this).options;
            inside(this).options = { ...options, hsmRequestTimeoutUs: 2 * options.hsmRequestTimeoutUs };
            try {
              return send.call(this, cluster, hsmId, request); // the timeout is armed from the options read here
            } finally {
              inside(this).options = options;
            }
          },
      ),
  },
  {
    name: "retry-before-failover",
    area: "timing",
    description: "an HSM that gave no answer is asked once more before the KMS tries the next",
    scenarios: ["keystores", "default"],
    expected: { kind: "budget", check: "budget:Decrypt" },
    apply: () =>
      askAnyWith(function* (client, cluster, hsmId, request) {
        return (yield client.request(cluster, hsmId, request)) as HsmResponse | undefined;
      }),
  },
  {
    name: "backoff-before-failover",
    area: "timing",
    description: "the KMS backs off half a request timeout before trying the next HSM",
    scenarios: ["keystores", "default"],
    expected: { kind: "budget", check: "budget:Encrypt" },
    apply: () =>
      askAnyWith(function* (client) {
        const { scheduler, options } = inside(client);
        yield* sleep(scheduler, options.hsmRequestTimeoutUs / 2, "backoff");
        return undefined;
      }),
  },
  {
    name: "slow-hsm-at-usual-pace",
    area: "timing",
    description: "a slowed HSM replies at its usual pace",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () => patch(VirtualCluster.prototype, "replyHoldUs", () => () => 0),
  },
  {
    name: "hsm-service-doubled",
    area: "timing",
    description: "every HSM operation takes twice its service time",
    scenarios: ["keys"],
    expected: { kind: "budget", check: "budget:p90:steady" },
    apply: () =>
      patch(
        VirtualCluster.prototype,
        "serviceUs",
        (serviceUs) =>
          function (this: VirtualCluster, request: HsmRequest) {
            return 2 * serviceUs.call(this, request);
          },
      ),
  },
];
