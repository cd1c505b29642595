// Reads a scenario file field by field: each reader checks one value's type and bounds and, when it
// is wrong, throws an InputError naming the file and the field, so a bad file is refused up front.
import { InputError } from "../protocol/input-error.ts";
import type { Json } from "../protocol/step.ts";
import { TIMING_MS_MAX } from "./limits.ts";

/** Largest weight in a scenario's generator: weights are ratios, and this keeps their sums exact. */
export const WEIGHT_MAX = 1_000_000;

export class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new InputError(`${this.file}: ${path}: ${problem}`);
  }

  object(v: Json | undefined, path: string): Record<string, Json> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, "must be an object");
    return v;
  }

  string(v: Json | undefined, path: string): string {
    if (typeof v !== "string" || v === "") this.fail(path, "must be a non-empty string");
    return v;
  }

  int(v: Json | undefined, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max)
      this.fail(path, max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`);
    return v;
  }

  /** An object whose fields are all among `allowed`. */
  only(v: Json | undefined, path: string, allowed: readonly string[]): Record<string, Json> {
    const o = this.object(v, path);
    for (const k of Object.keys(o))
      if (!allowed.includes(k)) this.fail(path === "(top)" ? k : `${path}.${k}`, `unknown field (known: ${allowed.join(", ")})`);
    return o;
  }

  ms(v: Json | undefined, path: string, min = 0): number {
    return this.int(v, path, min, TIMING_MS_MAX);
  }

  weights(v: Json | undefined, path: string, allowed?: readonly string[]): Record<string, number> {
    const o = this.object(v, path);
    const out: Record<string, number> = {};
    for (const [k, w] of Object.entries(o)) {
      if (allowed !== undefined && !allowed.includes(k)) this.fail(`${path}.${k}`, `unknown name (known: ${allowed.join(", ")})`);
      out[k] = this.int(w, `${path}.${k}`, 0, WEIGHT_MAX);
    }
    return out;
  }
}
