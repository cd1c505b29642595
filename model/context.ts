// What a model rule is given (the world, the state, the caller, the input, the time) and what it
// returns: the branches a call may take, each an expected outcome and the state after it.
import type { Decision } from "../protocol/decision.ts";
import type { OutcomePattern } from "../protocol/pattern.ts";
import type { JsonObject, Outcome } from "../protocol/step.ts";
import type { Caller } from "./authorize.ts";
import type { MidCall } from "./cluster.ts";
import type { Check } from "./refusal.ts";
import type { ModelGrant, ModelState, ModelWorld } from "./state.ts";

export interface CallContext {
  world: ModelWorld;
  state: ModelState;
  caller: Caller;
  input: JsonObject;
  nowUs: number;
  /** Where a fault in flight lands among the call's HSM attempts, when one is (see model/branching.ts). */
  midCall?: MidCall;
  /** The grants that authorize this call without a token (§12; see model/grant-authority.ts `grantsInFlux`). */
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
  /** The state after the step, given what the world actually answered (asked only of branches that fit it). */
  next: (actual: Outcome) => ModelState;
}

/**
 * A branch: every member written, `why` and `decisions` undefined when absent, so all branches share one
 * hidden class (a member left out when absent gave each combination its own, and a late rare one sent
 * the optimized functions reading branches back: "wrong map" deopts, tools/jit-churn.mjs).
 */
export function branchOf(
  outcome: OutcomePattern,
  why: string | undefined,
  decisions: Decision[] | undefined,
  next: Branch["next"],
): Branch {
  return { outcome, why, decisions, next };
}

/**
 * `b` with `why`, `decisions` and `next` in place of its own. Built field by field: a spread of branches
 * is slow on the per-call path.
 */
export function branchWith(b: Branch, why: string | undefined, decisions: Decision[] | undefined, next: Branch["next"]): Branch {
  return branchOf(b.outcome, why, decisions, next);
}

/** A model rule: the branches a call may take, or the refusal that ends it. */
export type Rule = (ctx: CallContext) => Check<Branch[]>;

/** The one branch of a call that goes ahead: `outcome`, then `next` (default: the state unchanged). */
export function goesAhead(ctx: CallContext, outcome: OutcomePattern, next: Branch["next"] = () => ctx.state): Branch[] {
  return [branchOf(outcome, undefined, undefined, next)];
}

/** Spec §2: dates are seconds since 1970, here with millisecond precision. */
export function dateOf(world: ModelWorld, timeUs: number): number {
  return (world.epochMs + Math.floor(timeUs / 1000)) / 1000;
}
