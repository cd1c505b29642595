// After fast-check has shrunk a failing Step list, a last pass of its own (issue 12): greedily drop
// each step, take the `after` off each fault, and halve each pause down to a millisecond, keeping every
// change that still fails the same way (same kind, same check) — so a repro has the fewest calls,
// the fewest faults, the shortest advances and only the references it needs. Bounded: each step is
// tried a fixed number of times.
import { isFault, type Step } from "../protocol/step.ts";
import type { Failure, RunResult } from "./result.ts";

/** Most halvings of one pause. */
const HALVINGS_MAX = 24;

export interface Polished {
  steps: Step[];
  result: RunResult;
}

/** The smallest list `run` still fails like `failure` that this pass finds from `steps`. */
export function polish(steps: readonly Step[], failure: Failure, run: (steps: Step[]) => RunResult): Polished | undefined {
  const alike = (r: RunResult) => r.verdict === "fail" && r.failure?.kind === failure.kind && r.failure.check === failure.check;
  let best: Polished | undefined;
  let current = [...steps];
  const attempt = (candidate: Step[]): boolean => {
    const result = run(candidate);
    if (!alike(result)) return false;
    current = candidate;
    best = { steps: candidate, result };
    return true;
  };
  // Drop steps, latest first: a later step more often depends on an earlier one than the reverse.
  for (let i = current.length - 1; i >= 0; i--) attempt([...current.slice(0, i), ...current.slice(i + 1)]);
  for (let i = 0; i < current.length; i++) {
    const step = current[i]!;
    if (isFault(step) && step.after !== undefined) {
      const { after: _, ...now } = step;
      attempt(current.map((s, j) => (j === i ? (now as Step) : s)));
    }
    for (let n = 0; n < HALVINGS_MAX; n++) {
      const pause = current[i]!;
      if (!("advance" in pause) || pause.advance <= 1) break;
      if (!attempt(current.map((s, j) => (j === i ? { advance: Math.floor(pause.advance / 2) } : s)))) break;
    }
  }
  return best;
}
