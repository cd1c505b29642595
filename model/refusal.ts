// How a model rule says "this call fails": it yields a Refusal — a value holding the error it predicts
// and, when the rule had counted something first, the state after that — and goes no further; the
// dispatcher (model/branching.ts) turns it into the expected outcome. Rules are generators so that a
// check reads as one line, `const key = yield* resolveKey(...)`, with no exception for an operating
// error. Also the parameter readers, which refuse with a ValidationException (spec §1 limits; the
// message is not compared).
import type { OutcomePattern } from "../protocol/pattern.ts";
import { errorPattern } from "../protocol/pattern.ts";
import type { Json, JsonObject } from "../protocol/step.ts";
import type { ModelState } from "./state.ts";

export class Refusal {
  constructor(
    readonly outcome: OutcomePattern,
    /** The state after the refusal, when the rule changed something before refusing (a request counted). */
    readonly state?: ModelState,
    /** Further outcomes the spec allows instead (an ambiguity it records, model/ambiguities.ts). */
    readonly alternatives: readonly OutcomePattern[] = [],
    readonly ambiguity?: string,
  ) {}
}

/** A check: yields one Refusal and is never resumed, or returns its value. */
export type Check<T> = Generator<Refusal, T, unknown>;

export function* refuseWith(refusal: Refusal): Check<never> {
  yield refusal;
  throw new Error("model: a rule was resumed after it refused"); // never reached: a refusal ends the rule
}

export function refuse(name: string, message?: string): Check<never> {
  return refuseWith(new Refusal(errorPattern(name, message)));
}

/** The value of `check`, or the refusal it ended with. */
export function settleCheck<T>(check: Check<T>): { done: true; value: T } | { done: false; refusal: Refusal } {
  const r = check.next();
  return r.done === true ? { done: true, value: r.value } : { done: false, refusal: r.value };
}

/** Runs `rule`; a refusal inside it leaves `state` behind (unless it names a state of its own). */
export function* keeping<T>(state: ModelState, rule: () => Check<T>): Check<T> {
  const r = settleCheck(rule());
  if (r.done) return r.value;
  const { refusal } = r;
  return yield* refuseWith(
    refusal.state !== undefined ? refusal : new Refusal(refusal.outcome, state, refusal.alternatives, refusal.ambiguity),
  );
}

const invalid = (): Check<never> => refuse("ValidationException");

export function* optionalText(input: JsonObject, name: string, min: number, max: number): Check<string | undefined> {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string" || v.length < min || v.length > max) return yield* invalid();
  return v;
}

export function* requiredText(input: JsonObject, name: string, min: number, max: number): Check<string> {
  return (yield* optionalText(input, name, min, max)) ?? (yield* invalid());
}

/** A list of min..max strings, required: absent, not a list, or holding anything but strings is refused. */
export function* textList(input: JsonObject, name: string, min: number, max: number): Check<string[]> {
  const v = input[name];
  if (!Array.isArray(v) || v.length < min || v.length > max || !v.every((x) => typeof x === "string")) return yield* invalid();
  return v as string[];
}

export function* oneOf<T extends string>(input: JsonObject, name: string, values: readonly T[]): Check<T | undefined> {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : yield* invalid();
}

export function* flag(input: JsonObject, name: string): Check<boolean | undefined> {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "boolean" ? v : yield* invalid();
}

/** An integer in min..max, or undefined when absent. */
export function* integer(input: JsonObject, name: string, min: number, max: number): Check<number | undefined> {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : yield* invalid();
}

/** A base64 blob of min..max bytes; returns the base64 text as given. */
export function* blob(input: JsonObject, name: string, min: number, max: number): Check<string> {
  const v = input[name];
  if (typeof v !== "string" || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || /=[^=]/.test(v)) return yield* invalid();
  const padding = v.endsWith("==") ? 2 : v.endsWith("=") ? 1 : 0;
  const bytes = (v.length / 4) * 3 - padding;
  return bytes < min || bytes > max ? yield* invalid() : v;
}

/** Spec §8.3: a map of string to string; absent equals `{}`. */
export function* context(input: JsonObject, name: string): Check<Record<string, string>> {
  const v: Json | undefined = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) return yield* invalid();
  return v as Record<string, string>;
}
