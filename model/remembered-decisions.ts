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

/** One policy set pair's decisions, by caller, action, resource and grant. */
interface Decisions {
  byCaller: Map<string, Map<string, Map<string, Map<string, Remembered>>>>;
}

/**
 * Decisions remembered in all, over every policy set pair; past this many, all are forgotten. A bound on
 * the whole, not on each pair: the parsed documents a pair is keyed by live on from seed to seed (texts
 * recur; model/access.ts keeps up to 512), while the resources their decisions name are each seed's own,
 * so a bound per pair let a campaign's thread keep up to 256 dead decisions on every document it had
 * read: after seeds 1..3,000 of `default` its live heap was 23.5 MiB, against 17.9 with this bound. This
 * bound holds a seed's working set several times over: over those seeds, 14% more decisions are made.
 */
export const DECISIONS_MAX = 1024;

let byPolicies = new WeakMap<object, WeakMap<object, Decisions>>();
let decisionsRemembered = 0;

/** Stands for "no policies" in a pair: a caller without identity policies, or a decision that reads only them. */
export const NO_POLICIES: Readonly<Record<string, never>> = Object.freeze({});

/** `map`'s entry for `key`, made empty first when it has none. */
function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let found = map.get(key);
  if (found === undefined) map.set(key, (found = new Map()));
  return found;
}

/** The decisions remembered under the pair (`policies`, `others`), made empty first when there are none. */
function decisionsOf(policies: object, others: object): Decisions {
  let pairs = byPolicies.get(policies);
  if (pairs === undefined) byPolicies.set(policies, (pairs = new WeakMap()));
  let decisions = pairs.get(others);
  if (decisions === undefined) pairs.set(others, (decisions = { byCaller: new Map() }));
  return decisions;
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
  let byGrant = byGrantOf(decisionsOf(policies, others), question);
  let read: RequestContext | undefined;
  const reading = () => (read ??= context());
  const known = byGrant.get(question.grant);
  if (known !== undefined && (known.context === undefined || structuralEqual(known.context, reading()))) return known.verdict as V;
  const verdict = frozen(decide(reading));
  if (known === undefined && decisionsRemembered++ >= DECISIONS_MAX) {
    byPolicies = new WeakMap();
    decisionsRemembered = 1;
    byGrant = byGrantOf(decisionsOf(policies, others), question);
  }
  byGrant.set(question.grant, { verdict, context: read });
  return verdict;
}
