// What an invariant is: a check of the run apart from the model, told about each step before it runs
// (to note what its judgement will need of the world as it was) and after (to judge). Each returns the
// description of a violation, or undefined; the executor reports the first as kind `invariant`, naming
// the check that fired.
import type { Decision } from "../../protocol/decision.ts";
import type { Outcome, Step } from "../../protocol/step.ts";
import type { Observer } from "../observer.ts";

/** What is known of a step once it has run. */
export interface StepFacts {
  step: Step;
  /** When it started, in µs of virtual time. */
  atUs: number;
  /** What the world answered (`ok` for a fault or a pause). */
  sut: Outcome;
  /** What the call's authorizations decided (none for a fault or a pause). */
  decisions: readonly Decision[];
  /** A fault with `after` was waiting for this step: it landed somewhere during it. */
  faultInFlight: boolean;
}

export interface Invariant {
  /** A short name, reported with a violation (e.g. "crypto-path"). */
  readonly name: string;
  /** Before the step runs, with the world as it stands. */
  before?(step: Step, observer: Observer, faultInFlight: boolean): void;
  /** After the step ran: a violation's description, or undefined. */
  after(facts: StepFacts, observer: Observer): string | undefined;
}
