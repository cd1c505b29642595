// Dry runs in the generator (AWS's "Testing your permissions"): one call in DRY_RUN_ODDS of each
// operation whose input takes `DryRun` (the KMS service model's word, not a list of ours) is sent as a
// dry run, and a share of the dry runs of those that also take `DryRunModifiers` (Decrypt, ReEncrypt)
// carry IGNORE_CIPHERTEXT, with the ciphertext left in or taken out. The sequences that set up the state
// a call needs get the same roll — the calls made in that state (harness/preconditions.ts) on their
// last call, the stories (harness/macros.ts) on one call of theirs —: those are the dry runs that
// would have succeeded. Every roll shrinks towards the plain call, so a repro keeps a dry run only
// when it matters.
import fc from "fast-check";
import { KMS_MODEL } from "../protocol/aws/service-model.ts";
import { isCall, type JsonObject, type Step } from "../protocol/step.ts";

/** One call in this many is a dry run. */
export const DRY_RUN_ODDS = 12;

/** Which of DryRun and DryRunModifiers the KMS operation `name` takes. */
function dryRunMembers(name: string): { dryRun: boolean; modifiers: boolean } {
  const input = KMS_MODEL.operations[name]?.input;
  const members = input === undefined || input === null ? {} : (KMS_MODEL.shapes[input]?.members ?? {});
  return { dryRun: "DryRun" in members, modifiers: "DryRunModifiers" in members };
}

/**
 * `input` made a dry run by `roll` (0..DRY_RUN_ODDS - 1: the last is a dry run) and `modifier` (0..3: 2
 * and 3 add IGNORE_CIPHERTEXT where the operation takes it, 3 also drops the ciphertext).
 */
function dryRunOf(name: string, input: JsonObject, roll: number, modifier: number): JsonObject {
  const takes = dryRunMembers(name);
  if (!takes.dryRun || roll < DRY_RUN_ODDS - 1) return input;
  if (!takes.modifiers || modifier < 2) return { ...input, DryRun: true };
  const out: JsonObject = { ...input, DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"] };
  if (modifier === 3) delete out["CiphertextBlob"];
  return out;
}

const rolls = fc.tuple(fc.integer({ min: 0, max: DRY_RUN_ODDS - 1 }), fc.integer({ min: 0, max: 3 }));

/** The inputs of operation `name`, now and then as a dry run (unchanged for an operation that takes no DryRun). */
export function withDryRuns(name: string, input: fc.Arbitrary<JsonObject>): fc.Arbitrary<JsonObject> {
  if (!dryRunMembers(name).dryRun) return input;
  return fc.tuple(input, rolls).map(([i, [roll, modifier]]) => dryRunOf(name, i, roll, modifier));
}

/** Step `i` of `steps` made a dry run by the rolls, if it is a call that takes DryRun. */
function stepDry(steps: Step[], i: number, roll: number, modifier: number): Step[] {
  const step = steps[i];
  if (step === undefined || !isCall(step) || step.input === undefined) return steps;
  return steps.map((s, j) => (j === i ? { ...step, input: dryRunOf(step.call, step.input!, roll, modifier) } : s));
}

/** A prepared sequence whose last call is, now and then, a dry run (one that would mostly have succeeded). */
export function lastMaybeDry(sequence: fc.Arbitrary<Step[]>): fc.Arbitrary<Step[]> {
  return fc.tuple(sequence, rolls).map(([steps, [roll, modifier]]) => stepDry(steps, steps.length - 1, roll, modifier));
}

/** A story one of whose calls that take DryRun (picked by `pick`) is, now and then, a dry run. */
export function oneMaybeDry(sequence: fc.Arbitrary<Step[]>): fc.Arbitrary<Step[]> {
  return fc.tuple(sequence, rolls, fc.nat()).map(([steps, [roll, modifier], pick]) => {
    const takers = steps.flatMap((s, i) => (isCall(s) && dryRunMembers(s.call).dryRun ? [i] : []));
    return takers.length === 0 ? steps : stepDry(steps, takers[pick % takers.length]!, roll, modifier);
  });
}
