// What a model rule is given (the world, the state, the caller, the input, the time) and what it
// returns: the branches a call may take, each an expected outcome and the state after it.
import type { JsonObject, Outcome } from "../sim/step.ts";
import { iamDecision, type Caller } from "./authorize.ts";
import type { OutcomePattern } from "./pattern.ts";
import { refuse } from "./refuse.ts";
import type { MidCall, ModelGrant, ModelState, ModelWorld } from "./state.ts";

export interface CallContext {
  world: ModelWorld;
  state: ModelState;
  caller: Caller;
  input: JsonObject;
  nowUs: number;
  /** Where a fault in flight lands among the call's HSM attempts, when one is (see model/model.ts). */
  midCall?: MidCall;
  /** The grants that authorize this call without a token (§12; see model/grants.ts `grantsInFlux`). */
  grantView?: ModelGrant[];
}

/** One way a step can go: the outcome, why (when there is more than one way), and the state after. */
export interface Branch {
  outcome: OutcomePattern;
  why?: string;
  next: (actual: Outcome) => ModelState;
}

/** An IAM-only permission (spec §9.1); refuses with AWS's AccessDeniedException message. */
export function needIam(ctx: CallContext, action: string, resource?: string): void {
  const denial = iamDecision(ctx.caller, action, resource);
  if (denial !== undefined) refuse("AccessDeniedException", denial);
}

/** Spec §2: dates are seconds since 1970, here with millisecond precision. */
export function dateOf(world: ModelWorld, timeUs: number): number {
  return (world.epochMs + Math.floor(timeUs / 1000)) / 1000;
}
