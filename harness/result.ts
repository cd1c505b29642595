// What a run of one Step list comes to: its verdict, the failure that ended it (its kind, the step,
// the check that fired), every step with both sides' answers, the trace hash and the probes.
import type { OutcomePattern } from "../protocol/pattern.ts";
import type { Outcome, Step } from "../protocol/step.ts";
import type { LatencySamples } from "./latency.ts";

/**
 * `model-limit`: the model could not follow the run (too many ways it could have gone); not a KMS finding.
 * `hang`: a step ran past the campaign's step timeout, and the thread running it was ended (cli/watchdog.ts);
 * only a watchdog reports it, never a run.
 */
export const FAILURE_KINDS = ["mismatch", "invariant", "budget", "liveness", "crash", "nondeterminism", "model-limit", "hang"] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  kind: FailureKind;
  /** Index of the step where it showed, when it belongs to one step. */
  step?: number;
  /** The check that fired: "model", "state-audit", "expect", "access", an invariant's name, "budget:<Op>". */
  check?: string;
  message: string;
}

export interface StepRecord {
  i: number;
  step: Step;
  sut: Outcome;
  model: OutcomePattern[];
  ok: boolean;
  atUs: number;
  durationUs: number;
}

export interface RunResult {
  verdict: "pass" | "fail";
  failure?: Failure;
  /** The steps of the list given, as run. */
  records: StepRecord[];
  /** The steps the harness added after them to heal the world and let it settle (liveness), numbered on. */
  settling: StepRecord[];
  traceHash: string;
  /** Coverage probes: how often each corner was reached in this run. */
  probes: Record<string, number>;
  /** Crypto calls' latency against the latency model, per operation and fault condition (harness/latency.ts). */
  latency: LatencySamples;
}
