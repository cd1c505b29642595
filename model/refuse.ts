// How a model rule says "this call fails": throw a Refusal holding the error it predicts; the model's
// dispatcher turns it into the one expected outcome. Also the parameter readers, which refuse with
// a ValidationException for the parameter (spec §1 limits; the message is not compared).
import type { Json, JsonObject } from "../protocol/step.ts";
import type { ModelState } from "./state.ts";
import { errorPattern, type OutcomePattern } from "../protocol/pattern.ts";

export class Refusal {
  /**
   * `state`, when given, is the state after the refusal (a rule that counted something before
   * refusing); `alternatives` are further outcomes the spec allows instead (an ambiguity it records).
   */
  constructor(
    readonly outcome: OutcomePattern,
    readonly state?: ModelState,
    readonly alternatives: OutcomePattern[] = [],
    readonly ambiguity?: string,
  ) {}
}

/** Runs `rule`; a refusal inside it leaves `state` behind instead of the state the call began with. */
export function keeping<T>(state: ModelState, rule: () => T): T {
  try {
    return rule();
  } catch (e) {
    if (e instanceof Refusal && e.state === undefined) throw new Refusal(e.outcome, state, e.alternatives, e.ambiguity);
    throw e;
  }
}

export function refuse(name: string, message?: string): never {
  throw new Refusal(errorPattern(name, message));
}

const invalid = (): never => refuse("ValidationException");

export function text(input: JsonObject, name: string, min: number, max: number, required: boolean): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return required ? invalid() : undefined;
  if (typeof v !== "string" || v.length < min || v.length > max) invalid();
  return v as string;
}

export function oneOf<T extends string>(input: JsonObject, name: string, values: readonly T[]): T | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" && (values as readonly string[]).includes(v) ? (v as T) : invalid();
}

export function flag(input: JsonObject, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "boolean" ? v : invalid();
}

/** A base64 blob of min..max bytes; returns the base64 text as given. */
export function blob(input: JsonObject, name: string, min: number, max: number): string {
  const v = input[name];
  if (typeof v !== "string" || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || /=[^=]/.test(v)) return invalid();
  const padding = v.endsWith("==") ? 2 : v.endsWith("=") ? 1 : 0;
  const bytes = (v.length / 4) * 3 - padding;
  return bytes < min || bytes > max ? invalid() : v;
}

/** Spec §8.3: a map of string to string; absent equals `{}`. */
export function context(input: JsonObject, name: string): Record<string, string> {
  const v: Json | undefined = input[name];
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v) || Object.values(v).some((x) => typeof x !== "string")) invalid();
  return v as Record<string, string>;
}
