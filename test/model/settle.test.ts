// Settling a replication pass (model/settle.ts, §4): a pass a step that took no time scheduled (a
// fault step, a CloudHSM control-plane call) runs exactly at its time, so from then on the model
// holds one state; a pass a KMS call scheduled (a key made, a fault landing in the call) may run up
// to an exchange window later, and until then both orders are kept — but never past the call's end
// plus the replication delay, and a state in which a pass ran during a call that ended before the
// pass's time is dropped.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { exchangeWindowUs } from "../../model/cluster.ts";
import { applyFault } from "../../model/faults.ts";
import { initialState } from "../../model/initial-state.ts";
import { settle } from "../../model/settle.ts";
import type { ModelState } from "../../model/state.ts";
import type { FaultStep } from "../../protocol/step.ts";

const world = modelWorld(loadScenario("default"));
const fresh = initialState(world);
const cluster = fresh.clusters[0]!;
const restore: FaultStep = { fault: "hsm-restore", hsm: cluster.hsms[0]!.hsmId };
const windowUs = exchangeWindowUs(world);
const pending = (s: ModelState) => s.clusters[0]!.replicationAtUs;

describe("settling a replication pass", () => {
  it("runs a pass a fault step scheduled exactly at its time: one state from then on", () => {
    const restored = applyFault(world, fresh, restore, 1_000, 0);
    const atUs = pending(restored)!;
    expect(atUs).toBe(1_000 + world.replicationDelayUs);
    expect(restored.clusters[0]!.replicationByUs).toBe(atUs);
    expect(settle(world, restored, atUs - 1)).toEqual([restored]);
    const settled = settle(world, restored, atUs);
    expect(settled.map(pending)).toEqual([undefined]);
  });

  it("keeps both orders of a pass scheduled within a call until an exchange window after its time", () => {
    const restored = applyFault(world, fresh, restore, 1_000, windowUs);
    const atUs = pending(restored)!;
    expect(restored.clusters[0]!.replicationByUs).toBe(atUs + windowUs);
    expect(settle(world, restored, atUs).map(pending)).toEqual([atUs, undefined]);
    expect(settle(world, restored, atUs + windowUs - 1).map(pending)).toEqual([atUs, undefined]);
    expect(settle(world, restored, atUs + windowUs).map(pending)).toEqual([undefined]);
  });

  it("holds a pass a call scheduled no later than the call's end: exactly at its time when the call took none", () => {
    const restored = applyFault(world, fresh, restore, 1_000, windowUs); // a fault in flight landed in a call from 1,000 µs
    const atUs = pending(restored)!;
    const tookNone = settle(world, restored, 1_000);
    expect(tookNone.map((s) => s.clusters[0]!.replicationByUs)).toEqual([atUs]);
    expect(settle(world, tookNone[0]!, atUs).map(pending)).toEqual([undefined]);
    const took300 = settle(world, restored, 1_300);
    expect(took300.map((s) => s.clusters[0]!.replicationByUs)).toEqual([Math.min(atUs + windowUs, atUs + 300)]);
  });

  it("drops a state in which a pass ran during a call that ended before the pass's time", () => {
    const ran: ModelState = { ...fresh, clockAtLeastUs: 5_000 };
    expect(settle(world, ran, 4_999)).toEqual([]);
    const settled = settle(world, ran, 5_000);
    expect(settled).toHaveLength(1);
    expect(settled[0]!.clockAtLeastUs).toBeUndefined();
    expect(settled[0]!.clusters).toBe(fresh.clusters);
  });

  it("leaves a pass already scheduled as it is: the one scheduled first takes what is new", () => {
    const first = applyFault(world, fresh, restore, 1_000, windowUs);
    const again = applyFault(world, first, restore, 2_000, 0);
    expect(again.clusters[0]!.replicationAtUs).toBe(first.clusters[0]!.replicationAtUs);
    expect(again.clusters[0]!.replicationByUs).toBe(first.clusters[0]!.replicationByUs);
  });
});
