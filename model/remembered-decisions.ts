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

/**
 * What a decision is asked, part by part: who calls, the action, the resource, and the grant it is
 * given ("" for none). Each part is looked up in a map of its own — a string the state holds keeps
 * its hash, where one text joining them would be a new string to flatten and hash on every call
 * (a micro-benchmark on node 20: ~90 ns against ~700 ns a lookup).
 */
export interface Question {
  caller: string;
  action: string;
  resource: string;
  grant: string;
}

/** One policy set pair's decisions, by caller, action, resource and grant; `count` of them in all. */
interface Decisions {
  count: number;
  byCaller: Map<string, Map<string, Map<string, Map<string, Remembered>>>>;
}

/** Decisions remembered per policy set pair; past this many, the pair's are forgotten (keys and ARNs come and go with seeds). */
const DECISIONS_PER_POLICIES_MAX = 256;

const byPolicies = new WeakMap<object, WeakMap<object, Decisions>>();

/** Stands for "no policies" in a pair: a caller without identity policies, or a decision that reads only them. */
export const NO_POLICIES: Readonly<Record<string, never>> = Object.freeze({});

/** `map`'s entry for `key`, made empty first when it has none. */
function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new Map()));
  return found;
}

/** The decisions `question`'s caller, action and resource have, by grant (made empty first when there are none). */
const byGrantOf = (d: Decisions, q: Question): Map<string, Remembered> => inner(inner(inner(d.byCaller, q.caller), q.action), q.resource);

/**
 * The verdict `decide` reaches for `question` under the policy sets `policies` and `others`, decided
 * once for equal request contexts; `context` builds the request context.
 * The verdict is frozen: it is shared by every call that asks the same.
 */
export function remembered<V>(
  policies: object,
  others: object,
  question: Question,
  context: () => RequestContext,
  decide: (context: () => RequestContext) => V,
): V {
  let pairs = byPolicies.get(policies);
  if (pairs === undefined) byPolicies.set(policies, (pairs = new WeakMap()));
  let decisions = pairs.get(others);
  if (decisions === undefined) pairs.set(others, (decisions = { count: 0, byCaller: new Map() }));
  let byGrant = byGrantOf(decisions, question);
  let read: RequestContext | undefined;
  const reading = () => (read ??= context());
  const known = byGrant.get(question.grant);
  if (known !== undefined && (known.context === undefined || structuralEqual(known.context, reading()))) return known.verdict as V;
  const verdict = frozen(decide(reading));
  if (known === undefined && decisions.count++ >= DECISIONS_PER_POLICIES_MAX) {
    decisions.byCaller.clear();
    decisions.count = 1;
    byGrant = byGrantOf(decisions, question);
  }
  byGrant.set(question.grant, { verdict, context: read });
  return verdict;
}
