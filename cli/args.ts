// Command-line flags through node:util parseArgs; every mistake becomes a one-line InputError.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../protocol/input-error.ts";
import { CRYPTO_BACKENDS, isCryptoBackendName, type CryptoBackendName } from "../sim/crypto/backend.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], options: Options, positionals = 0): Parsed {
  let parsed: Parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: positionals > 0,
      strict: true,
    }) as Parsed;
  } catch (e) {
    throw new InputError(`kmsim ${command}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)} (see kmsim ${command} --help)`);
  }
  if (parsed.positionals.length > positionals)
    throw new InputError(`kmsim ${command}: unexpected argument '${parsed.positionals[positionals]}'`);
  return parsed;
}

/** A whole number flag, at least `min`. */
export function int(command: string, flag: string, value: string | boolean | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min)
    throw new InputError(`kmsim ${command}: --${flag} must be a whole number >= ${min}, not '${String(value)}'`);
  return n;
}

/** A seed: a whole number fast-check can take (0 ..= 2^31 - 1). */
export function seed(command: string, value: string | boolean | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined) throw new InputError(`kmsim ${command}: --seed N is required`);
  const n = int(command, "seed", value, 0);
  if (n > 2 ** 31 - 1) throw new InputError(`kmsim ${command}: --seed must be at most ${2 ** 31 - 1}`);
  return n;
}

/** `--crypto noble|node`: the AES-256-GCM backend the World seals with (noble unless given). */
export function cryptoFlag(command: string, value: string | boolean | undefined): CryptoBackendName {
  if (value === undefined) return "noble";
  if (!isCryptoBackendName(value))
    throw new InputError(`kmsim ${command}: --crypto must be one of ${CRYPTO_BACKENDS.join(", ")}, not '${String(value)}'`);
  return value;
}
