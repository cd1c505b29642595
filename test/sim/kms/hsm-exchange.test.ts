// One HSM request and its reply on the scheduler (sim/kms/hsm-exchange.ts): the answer when the reply
// comes before the timeout; no answer when it comes at the timeout or later (the timer took its place
// first), when the HSM is down, or when a link is cut; and the HSM still serves a request whose wait
// has timed out.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/kernel/clock.ts";
import { Network } from "../../../sim/kernel/network.ts";
import { spawn, type Proc } from "../../../sim/kernel/process.ts";
import { Prng } from "../../../sim/kernel/prng.ts";
import { Scheduler } from "../../../sim/kernel/scheduler.ts";
import type { VirtualCluster } from "../../../sim/hsm/cluster.ts";
import type { HsmRequest, HsmResponse } from "../../../sim/hsm/messages.ts";
import { HsmExchange, KMS_NODE } from "../../../sim/kms/hsm-exchange.ts";

const LATENCY_US = 100;
const TIMEOUT_US = 1000;
const ANSWER: HsmResponse = { ok: true, bytes: new Uint8Array([7]) };

/** An exchange with hsm-a, whose service takes `serviceUs` and whose reply is held `holdUs`; `up: false` answers nothing. */
function exchange(serviceUs: number, holdUs = 0, up = true) {
  const scheduler = new Scheduler(new VirtualClock());
  const network = new Network(scheduler, new Prng("exchange"), {
    latencyUsMin: LATENCY_US,
    latencyUsMax: LATENCY_US,
    tailPerMille: 0,
    tailUsMax: LATENCY_US,
  });
  const served: number[] = [];
  const cluster = {
    serviceUs: () => serviceUs,
    serve: () => (served.push(scheduler.clock.nowUs), up ? ANSWER : undefined),
    replyHoldUs: () => holdUs,
  } as unknown as VirtualCluster;
  const got: { answer?: HsmResponse; atUs?: number } = {};
  const run = () =>
    spawn(
      (function* (): Proc<void> {
        got.answer = (yield new HsmExchange(scheduler, network, cluster, "hsm-a", { op: "Encrypt" } as HsmRequest, TIMEOUT_US)) as
          HsmResponse | undefined;
        got.atUs = scheduler.clock.nowUs;
      })(),
      () => undefined,
    );
  return { scheduler, network, served, got, run };
}

describe("HsmExchange", () => {
  it("answers when the reply comes before the timeout", () => {
    const x = exchange(TIMEOUT_US - 2 * LATENCY_US - 1);
    x.run();
    x.scheduler.runTo(10_000);
    expect(x.got).toEqual({ answer: ANSWER, atUs: TIMEOUT_US - 1 });
  });

  it("times out when the reply would come at the timeout, or later, and the HSM still serves the request", () => {
    for (const [serviceUs, holdUs] of [
      [TIMEOUT_US - 2 * LATENCY_US, 0], // the reply due at the deadline: the timer's place comes first
      [TIMEOUT_US, 0], // served after the deadline
      [100, TIMEOUT_US], // a slow HSM holds its reply past it
    ]) {
      const x = exchange(serviceUs!, holdUs);
      x.run();
      x.scheduler.runTo(10_000);
      expect(x.got).toEqual({ answer: undefined, atUs: TIMEOUT_US });
      expect(x.served).toEqual([LATENCY_US + serviceUs!]);
    }
  });

  it("times out when the HSM is down or a link is cut", () => {
    const down = exchange(10, 0, false);
    down.run();
    down.scheduler.runTo(10_000);
    expect(down.got).toEqual({ answer: undefined, atUs: TIMEOUT_US });
    for (const [from, to] of [
      [KMS_NODE, "hsm-a"],
      ["hsm-a", KMS_NODE],
    ]) {
      const cut = exchange(10);
      cut.network.partition(from!, to!, false);
      cut.run();
      cut.scheduler.runTo(10_000);
      expect(cut.got).toEqual({ answer: undefined, atUs: TIMEOUT_US });
    }
  });
});
