import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/kernel/clock.ts";
import { Network } from "../../../sim/kernel/network.ts";
import { Prng } from "../../../sim/kernel/prng.ts";
import { Scheduler, type Timed } from "../../../sim/kernel/scheduler.ts";

const latency = { latencyUsMin: 100, latencyUsMax: 200, tailPerMille: 100, tailUsMax: 1000 };

/** Sends a message whose delivery runs `deliver`: a scheduler entry of its own, as the HSM exchange is one. */
function send(network: Network, from: string, to: string, deliver: () => void): void {
  const entry: Timed = { timeUs: 0, seq: 0, cancelled: false, label: "m", cancel: () => undefined, fire: deliver };
  network.send(from, to, entry);
}

function setup(seed = "net") {
  const scheduler = new Scheduler(new VirtualClock());
  return { scheduler, network: new Network(scheduler, new Prng(seed), latency) };
}

describe("Network", () => {
  it("delivers within the latency bounds", () => {
    const { scheduler, network } = setup();
    const at: number[] = [];
    for (let i = 0; i < 200; i++) send(network, "a", "b", () => at.push(scheduler.clock.nowUs));
    scheduler.runTo(10_000);
    expect(at).toHaveLength(200);
    for (const t of at) {
      expect(t).toBeGreaterThanOrEqual(100);
      expect(t).toBeLessThanOrEqual(1000);
    }
    expect(at.some((t) => t > 200)).toBe(true); // the tail is reached
  });

  it("drops messages on a cut link, both ways or one way, until healed", () => {
    const { scheduler, network } = setup();
    const got: string[] = [];
    network.partition("a", "b", false);
    send(network, "a", "b", () => got.push("a->b"));
    send(network, "b", "a", () => got.push("b->a"));
    scheduler.runTo(5000);
    expect(got).toEqual(["b->a"]);
    network.partition("a", "b", true);
    send(network, "b", "a", () => got.push("b->a again"));
    network.heal("a", "b");
    send(network, "a", "b", () => got.push("a->b healed"));
    scheduler.runTo(10_000);
    expect(got).toEqual(["b->a", "a->b healed"]);
  });

  it("draws each link's latency from its own stream", () => {
    const one = setup("same");
    const two = setup("same");
    const times = (n: ReturnType<typeof setup>, noise: boolean) => {
      const at: number[] = [];
      for (let i = 0; i < 20; i++) {
        if (noise) send(n.network, "x", "y", () => undefined);
        send(n.network, "a", "b", () => at.push(n.scheduler.clock.nowUs));
      }
      n.scheduler.runTo(100_000);
      return at;
    };
    expect(times(one, false)).toEqual(times(two, true));
  });
});
