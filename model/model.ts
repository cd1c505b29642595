// The reference model: (state, step, time) → the branches the step may take. Pure: no I/O, no timers,
// no PRNG; every rule names the spec section it encodes. Before a step, the runner settles the
// background events due by then (model/settle.ts); a step that can go more than one way returns more
// than one branch (model/branching.ts), and the runner keeps every state that agrees with what the
// virtual world actually did. This file is the model's front door: a step of each kind, and a fault
// in flight landing somewhere in the call it was aimed at.
import { flatMap } from "../protocol/flat-map.ts";
import { okPattern } from "../protocol/pattern.ts";
import { isAdvance, isCall, isFault, type Outcome, type Step } from "../protocol/step.ts";
import { callBranches } from "./branching.ts";
import { exchangeWindowUs, type MidCall } from "./cluster.ts";
import { branchOf, branchWith, type Branch } from "./context.ts";
import { landedRun, readsCryptoUsers } from "./exchange-landing.ts";
import { applyFault, faultInPlace, faultLandings, touches } from "./faults.ts";
import type { AttemptPoint, ModelState, ModelWorld } from "./state.ts";
import { changed } from "./state-change.ts";
import { packedMap } from "../protocol/packed-map.ts";

export { GRANT_WINDOW, ModelLimitError } from "./branching.ts";
export { MODEL_OPERATIONS } from "./operations.ts";
export { exchangeWindowUs } from "./cluster.ts";
export { settle } from "./settle.ts";

/**
 * The branches `step` may take from `state` at `nowUs` (time at the step's start). A fault in flight
 * (one with `after`) lands somewhere during the next call: before it, at any point of any of its HSM
 * attempts (request sent, served, reply sent), or after it — every landing is allowed. Before any
 * other step it simply lands first. An operator action at the instant of a login exchange that changes
 * landed in may come before the exchange's login or after it (model/exchange-landing.ts): both are kept.
 */
export function modelStep(world: ModelWorld, state: ModelState, step: Step, nowUs: number): Branch[] {
  if (readsCryptoUsers(step)) {
    const run = landedRun(state);
    if (run !== state) return [...stepFrom(world, run, step, nowUs), ...stepFrom(world, state, step, nowUs)];
  }
  return stepFrom(world, state, step, nowUs);
}

/** `modelStep` once the order of an operator action and a landed login exchange is chosen. */
function stepFrom(world: ModelWorld, state: ModelState, step: Step, nowUs: number): Branch[] {
  const inFlight = state.inFlightFault;
  if (inFlight !== undefined) {
    const base = changed(state, (next) => void (next.inFlightFault = undefined));
    // Before any other step it lands as that step starts; in a call, at some point of it (an exchange window at most).
    if (!isCall(step)) return flatMap(faultLandings(world, base, inFlight, nowUs, 0), (l) => modelStep(world, l.state, step, nowUs));
    const withinCallUs = exchangeWindowUs(world);
    const landingsBefore = faultLandings(world, base, inFlight, nowUs, withinCallUs);
    const branches: Branch[] = [];
    for (const l of landingsBefore) {
      const why = l.why ?? `${inFlight.fault} landed before the call`;
      for (const b of callBranches(world, l.state, step, nowUs)) branches.push(because(b, why, b.next));
    }
    // Landing after the call (it may then also land inside a connect's login exchange still on the
    // wire); the same evaluation notes which attempt points the call reaches at all, on a cluster the
    // fault touches: landing on one it does not touch changes nothing, the same as landing after the call.
    const reached: [number, AttemptPoint][] = [];
    const noting: MidCall = (attempt, point, cluster) => {
      if (touches(inFlight, cluster) && !reached.some(([a, p]) => a === attempt && p === point)) reached.push([attempt, point]);
    };
    for (const b of callBranches(world, base, step, nowUs, noting, true)) {
      for (let k = 0; k < landingsBefore.length; k++) {
        branches.push(
          because(b, `${inFlight.fault} landed after the call`, (actual: Outcome) => {
            const after = b.next(actual);
            return (
              faultLandings(world, after, inFlight, nowUs, withinCallUs)[k]?.state ??
              applyFault(world, after, inFlight, nowUs, withinCallUs)
            );
          }),
        );
      }
    }
    // Landing at a point the call reaches: the call is the same as above up to that point. A point it
    // never reaches, or reaches only on clusters the fault does not touch, is the same as landing after it.
    for (const at of reached) {
      const midCall: MidCall = (attempt, point, cluster) => {
        if (attempt === at[0] && point === at[1]) faultInPlace(world, [cluster], [], inFlight, nowUs, withinCallUs);
      };
      const why = `${inFlight.fault} landed at ${at[1]} of HSM attempt ${at[0] + 1}`;
      for (const b of callBranches(world, base, step, nowUs, midCall)) {
        branches.push(because(b, why, (actual: Outcome) => applyFault(world, b.next(actual), inFlight, nowUs, withinCallUs)));
      }
    }
    return branches;
  }
  if (isAdvance(step)) return [branchOf(okPattern(), undefined, undefined, () => state)];
  if (isFault(step)) {
    // A service failure takes no `after` (model/service-failures.ts): it arms at once.
    if (step.after !== undefined && step.fault !== "service-failure")
      return [branchOf(okPattern(), undefined, undefined, () => changed(state, (next) => void (next.inFlightFault = step)))];
    return packedMap(faultLandings(world, state, step, nowUs, 0), (l) => branchOf(okPattern(), l.why, undefined, () => l.state));
  }
  return callBranches(world, state, step, nowUs);
}

/** `b` with the reason `why` and the state after `next`. */
const because = (b: Branch, why: string, next: Branch["next"]): Branch => branchWith(b, why, b.decisions, next);
