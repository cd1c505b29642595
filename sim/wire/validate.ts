// Request validation for the virtual services (KMS, CloudHSM): each reader returns the parameter's
// value or a Rejection carrying a ValidationException that names the parameter. A Rejection is an
// operating error as a value (style guide §8): the failed Outcome itself, so a check's caller hands it
// on with `if (x instanceof Rejection) return x;` and a service answers it as it stands. Nothing is
// thrown for it: a throw in sim/ is a broken invariant, a crash.
import type { Json, JsonObject, KmsError } from "../../protocol/step.ts";
import { fromBase64 } from "./encoding.ts";

/** A call refused with AWS's error `name` and `message`: `{ok: false, error}`, an Outcome as it stands. */
export class Rejection {
  readonly ok = false;
  readonly error: KmsError;
  constructor(name: string, message: string) {
    this.error = { name, message };
  }
}

/** A check beyond the service model's constraints, worded as AWS words its own (the member in lowerCamelCase). */
function invalid(param: string, value: Json | undefined, constraint: string): Rejection {
  const shown = value === undefined ? "null" : typeof value === "string" ? `'${value}'` : `'${JSON.stringify(value)}'`;
  const member = param.charAt(0).toLowerCase() + param.slice(1);
  return new Rejection(
    "ValidationException",
    `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

export function optionalString(input: JsonObject, param: string, lengthMin: number, lengthMax: number): string | undefined | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") return invalid(param, value, "Member must be a string");
  if (value.length < lengthMin || value.length > lengthMax) {
    return invalid(param, value, `Member must have length between ${lengthMin} and ${lengthMax}`);
  }
  return value;
}

export function requiredString(input: JsonObject, param: string, lengthMin: number, lengthMax: number): string | Rejection {
  const value = optionalString(input, param, lengthMin, lengthMax);
  if (value === undefined) return invalid(param, undefined, "Member must not be null");
  return value;
}

/** A required list of `countMin`..`countMax` strings. */
export function requiredStringList(input: JsonObject, param: string, countMin: number, countMax: number): string[] | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return invalid(param, undefined, "Member must not be null");
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) return invalid(param, value, "Member must be a list of strings");
  if (value.length < countMin || value.length > countMax) {
    return invalid(param, value, `Member must have length between ${countMin} and ${countMax}`);
  }
  return value as string[];
}

export function optionalEnum<T extends string>(input: JsonObject, param: string, allowed: readonly T[]): T | undefined | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    return invalid(param, value, `Member must satisfy enum value set: [${allowed.join(", ")}]`);
  }
  return value as T;
}

export function optionalInteger(input: JsonObject, param: string, min: number, max: number): number | undefined | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) return invalid(param, value, "Member must be an integer");
  if (value < min) return invalid(param, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) return invalid(param, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBoolean(input: JsonObject, param: string): boolean | undefined | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") return invalid(param, value, "Member must be a boolean");
  return value;
}

export function requiredBlob(input: JsonObject, param: string, lengthMin: number, lengthMax: number): Uint8Array | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return invalid(param, undefined, "Member must not be null");
  const bytes = typeof value === "string" ? fromBase64(value) : undefined;
  if (bytes === undefined) return invalid(param, value, "Member must be base64-encoded binary data");
  if (bytes.length < lengthMin || bytes.length > lengthMax) {
    return invalid(param, "<blob>", `Member must have length between ${lengthMin} and ${lengthMax}`);
  }
  return bytes;
}

/** An encryption context: a map of string to string; absent and `{}` are the same (spec §8.3). */
export function encryptionContext(input: JsonObject, param: string): Record<string, string> | Rejection {
  const value = input[param];
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    return invalid(param, value, "Member must be a map of string to string");
  }
  return value as Record<string, string>;
}
