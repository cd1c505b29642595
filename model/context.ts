// What a model rule is given (the world, the state, the caller, the input, the time) and what it
// returns: the branches a call may take, each an expected outcome and the state after it.
import type { Decision } from "../protocol/decision.ts";
import type { JsonObject, Outcome } from "../protocol/step.ts";
import { iamDecision, type Caller } from "./authorize.ts";
import type { RequestContext } from "./conditions.ts";
import type { OutcomePattern } from "../protocol/pattern.ts";
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
  /** What each authorization of the call decided (§9.2), for a mismatch report. */
  decisions: Decision[];
}

/** One way a step can go: the outcome, why (when there is more than one way), and the state after. */
export interface Branch {
  outcome: OutcomePattern;
  why?: string;
  /** What the call's authorizations decided (§9.2), for a mismatch report. */
  decisions?: Decision[];
  next: (actual: Outcome) => ModelState;
}

/** How an IAM-only permission is asked for: on what, with which operation keys, refused under which name. */
export interface IamNeed {
  /** The resource the action is on (default `*`). */
  resource?: string;
  /** The operation's own condition keys (§9.6). */
  conditions?: RequestContext;
  /** The error a refusal carries: KMS's AccessDeniedException unless the service names it otherwise. */
  errorName?: string;
}

/** An IAM-only permission (spec §9.1); refuses with AWS's message. */
export function needIam(
  ctx: CallContext,
  action: string,
  { resource = "*", conditions = {}, errorName = "AccessDeniedException" }: IamNeed = {},
): void {
  const decision = iamDecision(ctx.caller, action, requestContext(ctx, action, undefined, { conditions }), resource);
  ctx.decisions.push(decision.decision);
  if (decision.message !== undefined) refuse(errorName, decision.message);
}

/** Spec §2: dates are seconds since 1970, here with millisecond precision. */
export function dateOf(world: ModelWorld, timeUs: number): number {
  return (world.epochMs + Math.floor(timeUs / 1000)) / 1000;
}
