// A story's steps, each kept or dropped: the generator's operator sequences (macros.ts, stories.ts)
// are built from it, so shrinking removes a story's steps one by one and a repro keeps only those it needs.
import fc from "fast-check";
import type { Step } from "../protocol/step.ts";

/**
 * Each step kept with odds `keepOdds` in `keepOdds + 1` (3/4 unless a story needs all its steps),
 * shrinking towards dropped: a repro keeps only the steps it needs.
 */
export function droppable(steps: Step[], keepOdds = 3): fc.Arbitrary<Step[]> {
  return fc.tuple(...steps.map(() => fc.integer({ min: 0, max: keepOdds }))).map((keep) => steps.filter((_, i) => keep[i]! > 0));
}
