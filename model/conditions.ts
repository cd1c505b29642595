// Spec §9.6, §9.6.1: a statement's Condition block, read straight off the document every time it is
// evaluated. The request context is a map from condition key to its values (one for a single-valued
// key, any number for kms:EncryptionContextKeys, kms:GrantOperations, kms:ResourceAliases,
// aws:TagKeys); a key the request does not have is absent.
//
// Semantics kmsim holds both sides to (IAM's, §9.6.1; where IAM is loose, the choice is named):
// - operators and keys in one block are ANDed; the values listed for one key are ORed;
// - condition key names match case-insensitively (so `kms:EncryptionContext:<k>`'s context key does,
//   §9.6); operator names are case-sensitive [MODEL CHOICE];
// - a positive operator holds when some request value matches some policy value; a negated one
//   (String/Arn Not*, NumericNotEquals, DateNotEquals) when no request value matches any policy value
//   [MODEL CHOICE for multi-valued keys used without a set operator];
// - absent key: positive false, negated true, `IfExists` true; `Null: true` holds iff absent;
// - `ForAnyValue:`: some request value passes (absent or empty: false); `ForAllValues:`: every request
//   value passes (absent or empty: true), where "passes" is the operator against the policy values;
// - ArnEquals and ArnLike are the same test: each of the six colon-separated parts is a wildcard match;
// - Numeric values are decimal numbers, Date values ISO 8601 (date, or date and time with Z or an
//   offset; a real calendar date in 1000–9999) or epoch seconds, Bool and Null values true or false; a policy value that is not one is a
//   malformed policy, a request value that is not one matches nothing.
// A policy is malformed (MalformedPolicyDocumentException) when its Condition is not an object of
// known operators over objects of keys to a value or non-empty list of values, or when it uses
// ForAllValues with kms:EncryptionContext:* or aws:RequestTag/* (§9.3; in identity policies too
// [MODEL CHOICE]). Not modelled: BinaryEquals, IpAddress, NotIpAddress (no request has a source address).
import type { Json } from "../protocol/step.ts";
import { globMatch } from "./glob.ts";

/** Condition key → the request's values for it (spec §9.2 step 2). */
export type RequestContext = Record<string, string[]>;

type Family = "String" | "StringIgnoreCase" | "StringLike" | "Numeric" | "Date" | "Bool" | "Arn" | "Null";
type Comparison = "eq" | "lt" | "le" | "gt" | "ge";

/** Spec §9.6.1: each operator, its family, its comparison and whether it is negated. */
const OPERATORS: Record<string, { family: Family; compare: Comparison; negated: boolean }> = {
  StringEquals: { family: "String", compare: "eq", negated: false },
  StringNotEquals: { family: "String", compare: "eq", negated: true },
  StringEqualsIgnoreCase: { family: "StringIgnoreCase", compare: "eq", negated: false },
  StringNotEqualsIgnoreCase: { family: "StringIgnoreCase", compare: "eq", negated: true },
  StringLike: { family: "StringLike", compare: "eq", negated: false },
  StringNotLike: { family: "StringLike", compare: "eq", negated: true },
  NumericEquals: { family: "Numeric", compare: "eq", negated: false },
  NumericNotEquals: { family: "Numeric", compare: "eq", negated: true },
  NumericLessThan: { family: "Numeric", compare: "lt", negated: false },
  NumericLessThanEquals: { family: "Numeric", compare: "le", negated: false },
  NumericGreaterThan: { family: "Numeric", compare: "gt", negated: false },
  NumericGreaterThanEquals: { family: "Numeric", compare: "ge", negated: false },
  DateEquals: { family: "Date", compare: "eq", negated: false },
  DateNotEquals: { family: "Date", compare: "eq", negated: true },
  DateLessThan: { family: "Date", compare: "lt", negated: false },
  DateLessThanEquals: { family: "Date", compare: "le", negated: false },
  DateGreaterThan: { family: "Date", compare: "gt", negated: false },
  DateGreaterThanEquals: { family: "Date", compare: "ge", negated: false },
  Bool: { family: "Bool", compare: "eq", negated: false },
  ArnEquals: { family: "Arn", compare: "eq", negated: false },
  ArnLike: { family: "Arn", compare: "eq", negated: false },
  ArnNotEquals: { family: "Arn", compare: "eq", negated: true },
  ArnNotLike: { family: "Arn", compare: "eq", negated: true },
  Null: { family: "Null", compare: "eq", negated: false },
};

interface Operator {
  set: "ForAnyValue" | "ForAllValues" | undefined;
  ifExists: boolean;
  family: Family;
  compare: Comparison;
  negated: boolean;
}

function operator(name: string): Operator | undefined {
  const prefix = /^(ForAnyValue|ForAllValues):(.*)$/.exec(name);
  const set = prefix?.[1] as Operator["set"];
  let base = prefix?.[2] ?? name;
  const ifExists = base.endsWith("IfExists");
  if (ifExists) base = base.slice(0, -"IfExists".length);
  const known = Object.hasOwn(OPERATORS, base) ? OPERATORS[base] : undefined;
  if (known === undefined || (ifExists && known.family === "Null")) return undefined;
  return { set, ifExists, ...known };
}

/** A policy value list: a string, number or boolean, or a non-empty list of them. */
function policyValues(v: Json): string[] | undefined {
  const one = (x: Json): string | undefined =>
    typeof x === "string" ? x : typeof x === "number" || typeof x === "boolean" ? String(x) : undefined;
  if (!Array.isArray(v)) return one(v) === undefined ? undefined : [one(v)!];
  const all = v.map(one);
  return all.length > 0 && all.every((x) => x !== undefined) ? (all as string[]) : undefined;
}

function number(s: string): number | undefined {
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/**
 * ISO 8601 (date, or date and time with Z or an offset) or epoch seconds, as milliseconds; a date
 * must exist in the calendar, in the years 1000–9999 [MODEL CHOICE].
 */
export function dateMs(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (m === null) return undefined;
  const [, y, mo, d, h = "0", mi = "0", sec = "0", frac = "0", zone = "Z"] = m;
  const year = Number(y);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(mo) - 1];
  if (
    year < 1000 ||
    monthDays === undefined ||
    Number(d) < 1 ||
    Number(d) > monthDays ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(sec) > 59
  )
    return undefined;
  const offsetMin = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return (
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, "0"))) - offsetMin * 60_000
  );
}

function valueValid(family: Family, v: string): boolean {
  if (family === "Numeric") return number(v) !== undefined;
  if (family === "Date") return dateMs(v) !== undefined;
  if (family === "Bool" || family === "Null") return /^(true|false)$/i.test(v);
  return true;
}

function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

function ordered(a: number | undefined, b: number | undefined, compare: Comparison): boolean {
  if (a === undefined || b === undefined) return false;
  return compare === "eq" ? a === b : compare === "lt" ? a < b : compare === "le" ? a <= b : compare === "gt" ? a > b : a >= b;
}

/** Does the request value `v` match the policy value `p` (negation aside)? */
function matches(op: Operator, v: string, p: string): boolean {
  switch (op.family) {
    case "String":
      return v === p;
    case "StringIgnoreCase":
      return v.toLowerCase() === p.toLowerCase();
    case "StringLike":
      return globMatch(p, v, false);
    case "Numeric":
      return ordered(number(v), number(p), op.compare);
    case "Date":
      return ordered(dateMs(v), dateMs(p), op.compare);
    case "Bool":
      return v.toLowerCase() === p.toLowerCase();
    case "Arn": {
      const vs = arnParts(v);
      const ps = arnParts(p);
      return vs !== undefined && ps !== undefined && ps.every((part, i) => globMatch(part, vs[i]!, false));
    }
    case "Null":
      return false;
  }
}

/** The request's values for `key` (names compared case-insensitively), or undefined when absent. */
function lookup(context: RequestContext, key: string): string[] | undefined {
  const wanted = key.toLowerCase();
  const found = Object.entries(context)
    .filter(([k]) => k.toLowerCase() === wanted)
    .flatMap(([, v]) => v);
  return found.length === 0 ? undefined : found;
}

function holds(op: Operator, key: string, values: string[], context: RequestContext): boolean {
  const present = lookup(context, key);
  if (op.family === "Null") return values.some((p) => (p.toLowerCase() === "true") === (present === undefined));
  const passes = (v: string) => (op.negated ? !values.some((p) => matches(op, v, p)) : values.some((p) => matches(op, v, p)));
  if (op.set === "ForAllValues") return present === undefined || present.every(passes);
  if (present === undefined) return op.ifExists || (op.set === undefined && op.negated);
  if (op.set === "ForAnyValue") return present.some(passes);
  return op.negated ? present.every(passes) : present.some(passes);
}

const isObject = (v: Json | undefined): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** Is this Condition element well formed (see the header)? `undefined` (no Condition) is. */
export function conditionWellFormed(condition: Json | undefined): boolean {
  if (condition === undefined) return true;
  if (!isObject(condition)) return false;
  return Object.entries(condition).every(([name, body]) => {
    const op = operator(name);
    if (op === undefined || !isObject(body) || Object.keys(body).length === 0) return false;
    return Object.entries(body).every(([key, v]) => {
      const values = policyValues(v);
      if (values === undefined || !values.every((x) => valueValid(op.family, x))) return false;
      return !(op.set === "ForAllValues" && /^(kms:encryptioncontext:|aws:requesttag\/)/i.test(key));
    });
  });
}

/** Does a well-formed Condition element hold for the request (absent Condition: yes)? */
export function conditionHolds(condition: Json | undefined, context: RequestContext): boolean {
  if (!isObject(condition)) return condition === undefined;
  return Object.entries(condition).every(([name, body]) => {
    const op = operator(name);
    if (op === undefined || !isObject(body)) return false;
    return Object.entries(body).every(([key, v]) => holds(op, key, policyValues(v) ?? [], context));
  });
}
