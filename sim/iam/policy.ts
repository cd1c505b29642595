// The virtual KMS's policy engine: a policy document is parsed once into compiled statements
// (principal set, action and resource matchers) and cached by its text. It shares nothing with the
// reference model's evaluator: the differential check only catches what the two do not share.
// Conditions are compiled with the statement (conditions.ts). Each compiled policy keeps an index of
// its statements by action, built on first use, so a decision looks only at the statements that can
// apply to its action. The cache is bounded: its entries are texts, and a campaign's worker meets
// new ones with every seed, so an unbounded cache grew with the number of seeds run.
import type { StatementRef } from "../../protocol/decision.ts";
import { compileCondition, type ConditionTest, type RequestContext } from "./conditions.ts";
import { isRecord } from "../../protocol/is-record.ts";
import { wildcard } from "./wildcard.ts";

export interface CompiledStatement {
  effect: "Allow" | "Deny";
  /** `undefined` = a statement with no Principal (identity policies); "*" = everyone. */
  principals: "*" | Set<string> | undefined;
  /** Every principal the statement names, as written (for the existence check). */
  named: string[];
  /** Does the statement's Action (or NotAction) cover an action? */
  coversAction: (action: string) => boolean;
  /** Does its Resource (or NotResource) cover a resource? */
  coversResource: (resource: string) => boolean;
  /** The Condition, compiled; `undefined` when the statement has none. */
  condition: ConditionTest | undefined;
  /** How a decision names the statement: its policy, Sid and place in the policy. */
  ref: StatementRef;
}

export type PolicyParse = { ok: true; statements: CompiledStatement[] } | { ok: false; message: string };

/**
 * Compiled policies kept, by text, of each kind (key, identity): far more than one world holds at
 * once (a few per key and principal), so a run recompiles nothing it still uses; past it, the oldest
 * entry goes. A policy compiled again is a new, equal object: the decision cache, keyed by identity,
 * just starts afresh.
 */
export const COMPILED_POLICIES_MAX = 512;
/** Keyed by the text itself (whose hash V8 keeps with the string), so a lookup on the hot path hashes nothing. */
const compiledKeyPolicies = new Map<string, PolicyParse>();
const compiledIdentityPolicies = new Map<string, PolicyParse>();

/** Parses a policy document; `isKeyPolicy` requires a Principal in every statement. */
export function compilePolicy(text: string, isKeyPolicy: boolean): PolicyParse {
  const compiled = isKeyPolicy ? compiledKeyPolicies : compiledIdentityPolicies;
  let result = compiled.get(text);
  if (result === undefined) {
    result = parse(text, isKeyPolicy);
    if (compiled.size >= COMPILED_POLICIES_MAX) compiled.delete(compiled.keys().next().value!);
    compiled.set(text, result);
  }
  return result;
}

function parse(text: string, isKeyPolicy: boolean): PolicyParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, message: "The policy is not valid JSON." };
  }
  if (!isRecord(doc)) return { ok: false, message: "The policy must be a JSON object." };
  const raw = doc["Statement"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) return { ok: false, message: "The policy must contain at least one Statement." };
  const statements: CompiledStatement[] = [];
  for (const s of list) {
    if (!isRecord(s)) return { ok: false, message: "Each Statement must be a JSON object." };
    const effect = s["Effect"];
    if (effect !== "Allow" && effect !== "Deny") return { ok: false, message: "Each Statement needs an Effect of Allow or Deny." };
    const condition = compileCondition(s["Condition"]);
    if (!condition.ok) return condition;
    let principals: CompiledStatement["principals"];
    let named: string[] = [];
    if (!isKeyPolicy && (s["Principal"] !== undefined || s["NotPrincipal"] !== undefined))
      return { ok: false, message: "Policy document should not specify a principal." };
    if (isKeyPolicy) {
      const p = s["Principal"];
      if (p === "*") principals = "*";
      else if (isRecord(p) && p["AWS"] !== undefined) {
        const aws = toStrings(p["AWS"]);
        if (aws === undefined || aws.length === 0)
          return { ok: false, message: "Policy contains a statement with one or more invalid principals." };
        principals = aws.includes("*") ? "*" : new Set(aws);
        named = aws;
      } else return { ok: false, message: "Policy contains a statement with one or more invalid principals." };
    }
    const coversAction = coverage(s, "Action", true);
    const coversResource = coverage(s, "Resource", false);
    if (coversAction === undefined || coversResource === undefined)
      return {
        ok: false,
        message:
          "Each of Action, NotAction, Resource and NotResource must be a string or a list of strings, and a statement takes only one of each pair.",
      };
    statements.push({
      effect,
      principals,
      named,
      coversAction,
      coversResource,
      condition: s["Condition"] === undefined ? undefined : condition.test,
      ref: {
        kind: "statement",
        policy: isKeyPolicy ? "key policy" : "identity policy",
        ...(typeof s["Sid"] === "string" ? { sid: s["Sid"] } : {}),
        index: statements.length,
      },
    });
  }
  return { ok: true, statements };
}

/**
 * The matcher of a statement's `name` element (Action or Resource) or its `Not` form; undefined when
 * malformed (not a string or list of strings, or both forms given). Spec §9.3: a statement with
 * neither is accepted but never matches.
 */
function coverage(s: Record<string, unknown>, name: "Action" | "Resource", ignoreCase: boolean): ((value: string) => boolean) | undefined {
  const plain = s[name];
  const not = s[`Not${name}`];
  if (plain !== undefined && not !== undefined) return undefined;
  if (plain === undefined && not === undefined) return () => false;
  const patterns = toStrings(plain ?? not)?.map((p) => wildcard(p, ignoreCase));
  if (patterns === undefined) return undefined;
  return plain !== undefined ? (v) => patterns.some((re) => re.test(v)) : (v) => !patterns.some((re) => re.test(v));
}

function toStrings(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

/** Statements by action, per compiled statement list (the list is never changed once compiled). */
const byAction = new WeakMap<CompiledStatement[], Map<string, CompiledStatement[]>>();

/** The statements of `statements` whose Action covers `action`. */
export function forAction(statements: CompiledStatement[], action: string): CompiledStatement[] {
  let index = byAction.get(statements);
  if (index === undefined) byAction.set(statements, (index = new Map()));
  let found = index.get(action);
  if (found === undefined) index.set(action, (found = statements.filter((s) => s.coversAction(action))));
  return found;
}

/**
 * The first Allow and first Deny statement (in policy order) of `statements` that apply to the request; the
 * request context is asked for only when a statement with a Condition gets that far.
 */
export function matching(
  statements: CompiledStatement[],
  principalArns: readonly string[],
  action: string,
  resource: string,
  context: () => RequestContext,
): { allow?: StatementRef; deny?: StatementRef } {
  const out: { allow?: StatementRef; deny?: StatementRef } = { allow: undefined, deny: undefined }; // one shape, whichever is found
  for (const s of forAction(statements, action)) {
    if (s.principals !== undefined && s.principals !== "*" && !principalArns.some((p) => (s.principals as Set<string>).has(p))) continue;
    if (!s.coversResource(resource)) continue;
    if (s.condition !== undefined && !s.condition(context())) continue;
    if (s.effect === "Deny") out.deny ??= s.ref;
    else out.allow ??= s.ref;
  }
  return out;
}
