// Faults as the model applies them (model/faults.ts): `touches` names every cluster a fault can change,
// so applying a fault copies only those and shares the rest — and the state it makes is the state that
// applying it to copies of every cluster and subnet makes, for every fault of every kind the world can
// name, from a fresh world and from one with every HSM down, cut and slow.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { applyFault, faultInPlace, touches } from "../../model/faults.ts";
import { draftCluster } from "../../model/drafts.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState } from "../../model/state.ts";
import { structuralEqual } from "../../protocol/structural.ts";
import { FAULT_NAMES, type FaultStep } from "../../protocol/step.ts";

const world = modelWorld(loadScenario("default"));
const fresh = initialState(world);
const broken = changed(fresh, (next) => {
  next.clusters = next.clusters.map((c) => ({
    ...c,
    hsms: c.hsms.map((h) => ({ ...h, crashed: true, zoneDown: true, cutTo: true, cutFrom: true, repliesLate: true })),
  }));
});

/** Every fault of every kind naming what the world has: each HSM, zone and subnet. */
function faults(state: ModelState): FaultStep[] {
  const hsms = state.clusters.flatMap((c) => c.hsms);
  const zones = [...new Set(hsms.map((h) => h.availabilityZone))];
  const out: FaultStep[] = [];
  for (const fault of FAULT_NAMES) {
    if (fault === "service-failure") continue; // arms an error; it touches no cluster or subnet
    for (const h of hsms) out.push({ fault, hsm: h.hsmId, factor: 1000 });
    for (const az of zones) out.push({ fault, az });
    for (const s of state.subnets) out.push({ fault, subnet: s.subnetId });
    out.push({ fault });
  }
  return out;
}

/** The fault applied to copies of every cluster and every subnet: what `applyFault` must equal. */
function appliedToAll(state: ModelState, step: FaultStep): ModelState {
  const clusters = state.clusters.map(draftCluster);
  const subnets = state.subnets.map((s) => ({ ...s }));
  faultInPlace(world, clusters, subnets, step, 7, 0);
  return { ...state, clusters, subnets };
}

describe("faults", () => {
  for (const [name, state] of [
    ["a fresh world", fresh],
    ["a world with every HSM down, cut and slow", broken],
  ] as const) {
    it(`touches every cluster a fault changes, in ${name}`, () => {
      let changedSome = 0;
      for (const step of faults(state)) {
        for (const cluster of state.clusters) {
          const draft = draftCluster(cluster);
          faultInPlace(world, [draft], [], step, 7, 0);
          if (structuralEqual(draft, cluster)) continue;
          changedSome++;
          expect(touches(step, cluster), `${JSON.stringify(step)} changes ${cluster.id}`).toBe(true);
        }
      }
      expect(changedSome).toBeGreaterThan(0);
    });

    it(`applies a fault as to copies of everything, sharing what it does not touch, in ${name}`, () => {
      for (const step of faults(state)) {
        const applied = applyFault(world, state, step, 7, 0);
        expect(structuralEqual(applied, appliedToAll(state, step)), JSON.stringify(step)).toBe(true);
        state.clusters.forEach((c, i) => {
          if (!touches(step, c)) expect(applied.clusters[i]).toBe(c);
        });
      }
    });
  }
});
