// The virtual KMS's condition engine (spec §9.6, §9.6.1): a Condition element is compiled once, when
// its policy is, into a test over the request context: operator names resolved, wildcard patterns
// turned into regular expressions, numbers and dates parsed. The request context holds each condition
// key under its lower-cased name (key names compare case-insensitively); values keep their case.
//
// Semantics (the same promises the reference model makes, implemented apart from it): keys and
// operators ANDed, a key's policy values ORed; positive operators need some request value to match
// some policy value, negated ones (…Not…) need no request value to match any; an absent key fails a
// positive operator and passes a negated one or any …IfExists; Null:true holds iff absent;
// ForAnyValue needs some request value to pass (none present: fails), ForAllValues every one (none
// present: passes); ArnEquals = ArnLike, per colon-separated part. Malformed (the caller answers
// MalformedPolicyDocumentException): unknown operators, IfExists on Null, empty or non-object
// operator blocks, values that are not strings, numbers or booleans (or non-empty lists of them),
// Numeric/Date/Bool/Null values that do not parse (dates: real calendar dates, years 1000–9999), and
// ForAllValues over kms:EncryptionContext:* or aws:RequestTag/* (§9.3; in identity policies too
// [MODEL CHOICE]). BinaryEquals, IpAddress and NotIpAddress are not modelled (malformed here).
import { boundedMemo } from "../../protocol/bounded-memo.ts";
import { isRecord } from "../../protocol/is-record.ts";
import { wildcard } from "./wildcard.ts";

/** Condition key names lower-cased, remembered (the same few names are added to every request's context); bounded. */
const LOWER_CASED_NAMES_MAX = 4096;
const lowerCased = boundedMemo(LOWER_CASED_NAMES_MAX, (key: string) => key.toLowerCase());

/** The request's condition keys: lower-cased name → values. */
export class RequestContext {
  private readonly values = new Map<string, string[]>();
  /** Each condition test evaluated against this request, as "operator=true|false" (coverage probes). */
  readonly evaluated: string[];

  constructor(evaluated: string[] = []) {
    this.evaluated = evaluated;
  }

  /** Adds `values` under `key` (appending to the values of a key that differs only in case); no values, no key. */
  add(key: string, values: readonly string[]): this {
    if (values.length === 0) return this;
    const name = lowerCased(key);
    const had = this.values.get(name);
    this.values.set(name, had === undefined ? values.slice() : had.concat(values));
    return this;
  }

  /** Sets `key` to `values`, replacing what it had (no values: removes it). */
  set(key: string, values: readonly string[]): this {
    this.values.delete(lowerCased(key));
    return this.add(key, values);
  }

  get(key: string): readonly string[] | undefined {
    return this.values.get(lowerCased(key));
  }

  /** A copy without the keys `drop` rejects (its evaluations are logged with this one's). */
  without(drop: (name: string) => boolean): RequestContext {
    const out = new RequestContext(this.evaluated);
    for (const [name, values] of this.values) if (!drop(name)) out.values.set(name, values);
    return out;
  }
}

export type ConditionTest = (context: RequestContext) => boolean;
export type ConditionParse = { ok: true; test: ConditionTest } | { ok: false; message: string };

type Match = (requestValue: string) => boolean;
type Parsed = { ok: true; match: Match } | { ok: false };

const NUMBER = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|([+-])(\d{2}):(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch seconds, or an ISO 8601 date or date-time (Z or ±hh:mm) that exists, years 1000–9999, in ms; NaN when neither. */
function parseDate(text: string): number {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const m = ISO_DATE.exec(text);
  if (m === null) return NaN;
  const n = (i: number) => Number(m[i] ?? "0");
  const year = n(1);
  const february29 = n(2) === 2 && n(3) === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const dayOk = n(3) >= 1 && (n(3) <= (DAYS_IN_MONTH[n(2) - 1] ?? 0) || february29);
  if (year < 1000 || !dayOk || n(4) > 23 || n(5) > 59 || n(6) > 59) return NaN;
  const ms = Number((m[7] ?? "0").padEnd(3, "0"));
  const offsetMs = m[9] === undefined ? 0 : (m[9] === "-" ? -1 : 1) * (n(10) * 60 + n(11)) * 60_000;
  return Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), ms) - offsetMs;
}

function arnSplit(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 ? [...parts.slice(0, 5), parts.slice(5).join(":")] : undefined;
}

/** The Numeric and Date operators by their order word; a Not… operator compares as its positive, negated by its caller. */
export const ORDER: Record<string, (a: number, b: number) => boolean> = {
  Equals: (a, b) => a === b,
  NotEquals: (a, b) => a === b,
  LessThan: (a, b) => a < b,
  LessThanEquals: (a, b) => a <= b,
  GreaterThan: (a, b) => a > b,
  GreaterThanEquals: (a, b) => a >= b,
};

/** A matcher of one policy value under the operator `base` (negation aside), or not ok. */
function valueMatcher(base: string, value: string): Parsed {
  switch (base) {
    case "StringEquals":
    case "StringNotEquals":
      return { ok: true, match: (v) => v === value };
    case "StringEqualsIgnoreCase":
    case "StringNotEqualsIgnoreCase": {
      const lower = value.toLowerCase();
      return { ok: true, match: (v) => v.toLowerCase() === lower };
    }
    case "StringLike":
    case "StringNotLike": {
      const re = wildcard(value, false);
      return { ok: true, match: (v) => re.test(v) };
    }
    case "Bool": {
      if (!/^(true|false)$/i.test(value)) return { ok: false };
      const lower = value.toLowerCase();
      return { ok: true, match: (v) => v.toLowerCase() === lower };
    }
    case "ArnEquals":
    case "ArnLike":
    case "ArnNotEquals":
    case "ArnNotLike": {
      const parts = arnSplit(value)?.map((part) => wildcard(part, false));
      return {
        ok: true,
        match: (v) => {
          const got = arnSplit(v);
          return parts !== undefined && got !== undefined && parts.every((re, i) => re.test(got[i]!));
        },
      };
    }
  }
  const family = /^(Numeric|Date)(.+)$/.exec(base);
  const order = family === null || !Object.hasOwn(ORDER, family[2]!) ? undefined : ORDER[family[2]!];
  if (family === null || order === undefined) return { ok: false };
  const parse = family[1] === "Numeric" ? (s: string) => (NUMBER.test(s) ? Number(s) : NaN) : parseDate;
  const bound = parse(value);
  if (Number.isNaN(bound)) return { ok: false };
  return {
    ok: true,
    match: (v) => {
      const x = parse(v);
      return !Number.isNaN(x) && order(x, bound);
    },
  };
}

function valuesOf(raw: unknown): string[] | undefined {
  const one = (x: unknown) => (typeof x === "string" ? x : typeof x === "number" || typeof x === "boolean" ? String(x) : undefined);
  const list = Array.isArray(raw) ? raw.map(one) : [one(raw)];
  return list.length > 0 && list.every((x) => x !== undefined) ? (list as string[]) : undefined;
}

function compileEntry(operator: string, key: string, raw: unknown): ConditionTest | undefined {
  const set = /^(ForAnyValue|ForAllValues):/.exec(operator)?.[1] as ConditionEntry["set"];
  let base = set === undefined ? operator : operator.slice(set.length + 1);
  const ifExists = base.endsWith("IfExists") && base !== "IfExists";
  if (ifExists) base = base.slice(0, -8);
  const values = valuesOf(raw);
  if (values === undefined) return undefined;
  if (set === "ForAllValues" && /^(kms:encryptioncontext:|aws:requesttag\/)/i.test(key)) return undefined;
  if (base === "Null") {
    if (ifExists || !values.every((v) => /^(true|false)$/i.test(v))) return undefined;
    const wantAbsent = values.map((v) => v.toLowerCase() === "true");
    const entry: ConditionEntry = { operator, base, set, ifExists, negated: false, values, passes: () => false, wantAbsent };
    return (ctx) => {
      const result = conditionSemantics.holds(entry, ctx.get(key));
      ctx.evaluated.push(`Null=${result}`);
      return result;
    };
  }
  const matchers: Match[] = [];
  for (const v of values) {
    const parsed = valueMatcher(base, v);
    if (!parsed.ok) return undefined;
    matchers.push(parsed.match);
  }
  const negated = /Not(Equals|Like)/.test(base);
  const anyMatch = (v: string) => matchers.some((m) => m(v));
  const passes = negated ? (v: string) => !anyMatch(v) : anyMatch;
  const entry: ConditionEntry = { operator, base, set, ifExists, negated, values, passes, wantAbsent: [] };
  return (ctx) => {
    const result = conditionSemantics.holds(entry, ctx.get(key));
    ctx.evaluated.push(`${operator}=${result}`);
    return result;
  };
}

/** One compiled condition entry (an operator on one key), as evaluation sees it. */
export interface ConditionEntry {
  /** As written, e.g. "ForAllValues:StringEqualsIfExists". */
  operator: string;
  /** Without set qualifier and IfExists, e.g. "StringEquals". */
  base: string;
  set: "ForAnyValue" | "ForAllValues" | undefined;
  ifExists: boolean;
  negated: boolean;
  /** The policy's values, as text. */
  values: readonly string[];
  /** Does one request value pass (negation applied)? */
  passes: (requestValue: string) => boolean;
  /** Null only: for each policy value, whether it asks for the key to be absent. */
  wantAbsent: readonly boolean[];
}

/** Does `entry` hold for the request's values of its key (`got`: absent when undefined)? */
function holds(entry: ConditionEntry, got: readonly string[] | undefined): boolean {
  const { base, set, ifExists, negated, passes } = entry;
  if (base === "Null") return entry.wantAbsent.includes(got === undefined);
  if (set === "ForAllValues") return got === undefined || got.every(passes);
  if (got === undefined || got.length === 0) return ifExists || (set === undefined && negated);
  return set === "ForAnyValue" || !negated ? got.some(passes) : got.every(passes);
}

/** How an entry is judged, consulted at every evaluation, as one object so that a planted bug (mutants/) can stand in for it. */
export const conditionSemantics = { holds };

/** Compiles a statement's Condition element (absent: always true). */
export function compileCondition(raw: unknown): ConditionParse {
  if (raw === undefined) return { ok: true, test: () => true };
  const bad = (why: string): ConditionParse => ({ ok: false, message: `Policy contains a Condition that is not valid: ${why}` });
  if (!isRecord(raw)) return bad("not an object");
  const tests: ConditionTest[] = [];
  for (const [operator, block] of Object.entries(raw)) {
    if (!isRecord(block) || Object.keys(block).length === 0) return bad(`${operator} needs an object of condition keys`);
    for (const [key, value] of Object.entries(block)) {
      const test = compileEntry(operator, key, value);
      if (test === undefined) return bad(`${operator} on ${key}`);
      tests.push(test);
    }
  }
  return { ok: true, test: (ctx) => tests.every((t) => t(ctx)) };
}
