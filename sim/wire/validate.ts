// Request validation for the virtual services (KMS, CloudHSM): each reader returns the parameter's
// value or throws a Rejection carrying a ValidationException that names the parameter. Rejections
// are the only thing a service's dispatcher turns back into outcomes; any other throw is a crash.
import { fail, type Json, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { fromBase64 } from "./encoding.ts";

export class Rejection {
  constructor(readonly outcome: Outcome) {}
}

export function reject(name: string, message: string): never {
  throw new Rejection(fail(name, message));
}

/** A check beyond the service model's constraints, worded as AWS words its own (the member in lowerCamelCase). */
function invalid(param: string, value: Json | undefined, constraint: string): never {
  const shown = value === undefined ? "null" : typeof value === "string" ? `'${value}'` : `'${JSON.stringify(value)}'`;
  const member = param.charAt(0).toLowerCase() + param.slice(1);
  reject("ValidationException", `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export function optionalString(input: JsonObject, param: string, lengthMin: number, lengthMax: number): string | undefined {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") invalid(param, value, "Member must be a string");
  if (value.length < lengthMin || value.length > lengthMax) {
    invalid(param, value, `Member must have length between ${lengthMin} and ${lengthMax}`);
  }
  return value;
}

export function requiredString(input: JsonObject, param: string, lengthMin: number, lengthMax: number): string {
  const value = optionalString(input, param, lengthMin, lengthMax);
  if (value === undefined) invalid(param, undefined, "Member must not be null");
  return value;
}

export function optionalEnum<T extends string>(input: JsonObject, param: string, allowed: readonly T[]): T | undefined {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    invalid(param, value, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

export function optionalInteger(input: JsonObject, param: string, min: number, max: number): number | undefined {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) invalid(param, value, "Member must be an integer");
  if (value < min) invalid(param, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) invalid(param, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBoolean(input: JsonObject, param: string): boolean | undefined {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") invalid(param, value, "Member must be a boolean");
  return value;
}

export function requiredBlob(input: JsonObject, param: string, lengthMin: number, lengthMax: number): Uint8Array {
  const value = input[param];
  if (value === undefined || value === null) invalid(param, undefined, "Member must not be null");
  const bytes = typeof value === "string" ? fromBase64(value) : undefined;
  if (bytes === undefined) invalid(param, value, "Member must be base64-encoded binary data");
  if (bytes.length < lengthMin || bytes.length > lengthMax) {
    invalid(param, "<blob>", `Member must have length between ${lengthMin} and ${lengthMax}`);
  }
  return bytes;
}

/** An encryption context: a map of string to string; absent and `{}` are the same (spec §8.3). */
export function encryptionContext(input: JsonObject, param: string): Record<string, string> {
  const value = input[param];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    invalid(param, value, "Member must be a map of string to string");
  }
  return value as Record<string, string>;
}
