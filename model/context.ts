// What a model rule is given (the world, the state, the caller, the input, the time) and what it
// returns: the branches a call may take, each an expected outcome and the state after it.
import type { JsonObject, Outcome } from "../sim/step.ts";
import { iamDecision, type Caller } from "./authorize.ts";
import type { RequestContext } from "./conditions.ts";
import type { OutcomePattern } from "./pattern.ts";
import { refuse } from "./refuse.ts";
import { requestContext } from "./request-context.ts";
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
  /** What each authorization of the call decided and why (§9.2), for a mismatch report. */
  decisions: string[];
}

/** One way a step can go: the outcome, why (when there is more than one way), and the state after. */
export interface Branch {
  outcome: OutcomePattern;
  why?: string;
  /** What the call's authorizations decided and why (§9.2), for a mismatch report. */
  decisions?: string[];
  next: (actual: Outcome) => ModelState;
}

/**
 * An IAM-only permission (spec §9.1) for a request with the operation-specific condition keys
 * `conditions`; refuses with `errorName` (KMS's AccessDeniedException unless said) and AWS's message.
 */
export function needIam(ctx: CallContext, action: string, resource = "*", conditions: RequestContext = {}, errorName = "AccessDeniedException"): void {
  const decision = iamDecision(ctx.caller, action, requestContext(ctx, action, undefined, { conditions }), resource);
  ctx.decisions.push(`${action}: ${decision.reason}`);
  if (decision.message !== undefined) refuse(errorName, decision.message);
}

/** Spec §2: dates are seconds since 1970, here with millisecond precision. */
export function dateOf(world: ModelWorld, timeUs: number): number {
  return (world.epochMs + Math.floor(timeUs / 1000)) / 1000;
}
