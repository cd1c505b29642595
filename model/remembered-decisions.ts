// Authorization decisions remembered (spec §9.2 is a function of what it reads): a decision reads the
// caller, the action, the resource, the policy documents and the grant it is given, and — only when a
// statement's Condition asks — the request context. The model authorizes the same call again for each
// state and branch it follows, and the same caller on the same key from step to step, so a decision is
// remembered per (immutable) pair of policy sets, with the context it read if it read one: it is reused
// when that context is equal, and a new context is built only to compare when the decision read one.
import { structuralEqual } from "../protocol/structural.ts";
import type { RequestContext } from "./conditions.ts";
import { frozen } from "./frozen.ts";

interface Remembered {
  verdict: unknown;
  /** The request context the decision read, or undefined when it read none. */
  context: RequestContext | undefined;
}

/** Decisions remembered per policy set pair; past this many, the pair's are forgotten (keys and ARNs come and go with seeds). */
const DECISIONS_PER_POLICIES_MAX = 256;

const byPolicies = new WeakMap<object, WeakMap<object, Map<string, Remembered>>>();

/** Stands for "no policies" in a pair: a caller without identity policies, or a decision that reads only them. */
export const NO_POLICIES: Readonly<Record<string, never>> = Object.freeze({});

/**
 * The verdict `decide` reaches for `question` (everything else it reads, as text) under the policy sets
 * `policies` and `others`, decided once for equal request contexts; `context` builds the request context.
 * The verdict is frozen: it is shared by every call that asks the same.
 */
export function remembered<V>(
  policies: object,
  others: object,
  question: string,
  context: () => RequestContext,
  decide: (context: () => RequestContext) => V,
): V {
  let pairs = byPolicies.get(policies);
  if (pairs === undefined) byPolicies.set(policies, (pairs = new WeakMap()));
  let decisions = pairs.get(others);
  if (decisions === undefined) pairs.set(others, (decisions = new Map()));
  let read: RequestContext | undefined;
  const reading = () => (read ??= context());
  const known = decisions.get(question);
  if (known !== undefined && (known.context === undefined || structuralEqual(known.context, reading()))) return known.verdict as V;
  const verdict = frozen(decide(reading));
  if (decisions.size >= DECISIONS_PER_POLICIES_MAX) decisions.clear();
  decisions.set(question, { verdict, context: read });
  return verdict;
}
