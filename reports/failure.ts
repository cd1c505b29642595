// One failing seed as a report shows it — the shrunk steps, both sides' answers at the failing step,
// the faults and pauses on the virtual clock — and its signature: kind, operation, the two sides'
// answers and what broke, with ids and numbers blanked, so that failures alike fall into one group.
import type { SeedResult } from "../harness/seed.ts";
import type { OutcomePattern } from "../protocol/pattern.ts";
import { isAdvance, isCall, isFault, type Outcome, type Step } from "../protocol/step.ts";
import { runCommand } from "./repro.ts";

export interface FailureEntry {
  seed: number;
  kind: string;
  step: number | null;
  message: string;
  signature: string;
  /** The operation at the failing step (of the shrunk list when there is one), or null. */
  operation: string | null;
  /** Where and how the shrunk list fails (the same kind; the step and message may differ from the seed's). */
  shrunkStep: number | null;
  shrunkMessage: string;
  /** The shrunk list's failing step as run, what the virtual KMS answered and what the model allowed. */
  atFailure: { step: Step; sut: Outcome; model: OutcomePattern[] } | null;
  /** Steps in the shrunk list (or in the original one when nothing was shrunk). */
  shrunkSteps: number;
  steps: Step[];
  /** Faults and pauses of the shrunk run on the virtual clock, and the failing step. */
  timeline: { i: number; atMs: number; what: string }[];
  /** Repro file name, beside the report; "" when none was written. */
  repro: string;
  command: string;
}

export function answer(o: Outcome | OutcomePattern): string {
  return o.ok ? "ok" : o.error.name;
}

/** A message with what differs from seed to seed (ARNs, ids, numbers, quoted values) blanked. */
export function shapeOf(message: string): string {
  return message
    .split("\n")[0]!
    .replace(/arn:aws:[^\s"',;)]+/g, "<arn>")
    .replace(/\b(cks|hsm|cluster|backup|subnet)-[\w]+/g, "$1-<id>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, "<id>")
    .replace(/\b[0-9a-f]{16,}\b/g, "<id>")
    .replace(/"[^"]*"/g, (q) => (/^"[A-Za-z]{1,40}"$/.test(q) ? q : '"…"')) // names stay, values go
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+(\.\d+)?\b/g, "N")
    .slice(0, 160);
}

export function describeStep(step: Step): string {
  if (isCall(step)) return `${step.call} as ${step.as}`;
  if (isFault(step)) {
    const where = [step.hsm, step.direction, step.az, step.subnet, step.factor, step.service, step.error]
      .filter((x) => x !== undefined)
      .map((x) => JSON.stringify(x));
    return `fault ${step.fault}${where.length > 0 ? ` ${where.join(" ")}` : ""}${step.after !== undefined ? ` after ${step.after} ms` : ""}`;
  }
  if (isAdvance(step)) return `advance ${step.advance} ms`;
  return "step";
}

export function failureEntry(result: SeedResult, stepsMax: number, repro: string): FailureEntry {
  const failure = result.failure ?? { kind: result.kind ?? "crash", message: "" };
  const shrunk = result.shrunk;
  const records = shrunk?.records ?? [];
  const failingAt = shrunk?.failure.step ?? failure.step;
  const record = records.find((r) => r.i === failingAt);
  // A hang's list has no records (its thread was ended): its failing step is the list's last.
  const failingStep = record?.step ?? (failingAt === undefined ? undefined : shrunk?.steps[failingAt]);
  const operation = failingStep !== undefined && isCall(failingStep) ? failingStep.call : null;
  const answers =
    record === undefined ? "" : ` · virtual KMS ${answer(record.sut)} · model ${[...new Set(record.model.map(answer))].sort().join("|")}`;
  const shownMessage = shrunk?.failure.message ?? failure.message;
  // The check that fired (an invariant's name, "state-audit", "expect", …) and, unless the answers
  // already say it all (the model's own check), the shape of the message.
  const check = shrunk?.failure.check ?? failure.check;
  const answersSayAll = check === "model" || (check === undefined && shownMessage.startsWith("the virtual KMS answered"));
  const named = check === undefined || check.startsWith(failure.kind) ? "" : `/${check}`; // "budget:Op" adds nothing to "budget"
  const signature = `${failure.kind}${named} · ${operation ?? "—"}${answers}${answersSayAll ? "" : ` · ${shapeOf(shownMessage)}`}`;
  return {
    seed: result.seed,
    kind: failure.kind,
    step: failure.step ?? null,
    message: failure.message,
    signature,
    operation,
    shrunkStep: failingAt ?? null,
    shrunkMessage: shownMessage,
    atFailure: record === undefined ? null : { step: record.step, sut: record.sut, model: record.model },
    shrunkSteps: shrunk?.steps.length ?? result.steps,
    steps: shrunk?.steps ?? [],
    timeline: records
      .filter((r) => !isCall(r.step) || r.i === failingAt)
      .map((r) => ({ i: r.i, atMs: r.atUs / 1000, what: `${describeStep(r.step)}${r.i === failingAt ? " ✗" : ""}` })),
    repro,
    command: runCommand(result, stepsMax),
  };
}

export interface FailureGroup {
  signature: string;
  kind: string;
  operation: string | null;
  count: number;
  seeds: number[];
  /** The failure with the shortest shrunk list (the lowest seed among equals). */
  smallest: { seed: number; shrunkSteps: number; repro: string; command: string };
}

/** Failures with the same signature as one group; groups by count (most first), then signature. */
export function groupFailures(failures: readonly FailureEntry[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const f of [...failures].sort((a, b) => a.seed - b.seed)) {
    const g = groups.get(f.signature);
    const smallest = { seed: f.seed, shrunkSteps: f.shrunkSteps, repro: f.repro, command: f.command };
    if (g === undefined) {
      groups.set(f.signature, { signature: f.signature, kind: f.kind, operation: f.operation, count: 1, seeds: [f.seed], smallest });
      continue;
    }
    g.count++;
    g.seeds.push(f.seed);
    if (f.shrunkSteps < g.smallest.shrunkSteps) g.smallest = smallest;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
}
