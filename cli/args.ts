// Command-line flags through node:util parseArgs; every mistake becomes a one-line InputError. A
// flag's value may start with "-" (`--seed -1` is then judged as a number, not taken for a flag),
// and a flag given twice is refused rather than silently taking the last.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../protocol/input-error.ts";
import { CRYPTO_BACKENDS, isCryptoBackendName, type CryptoBackendName } from "../sim/crypto/backend.ts";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Joins `--flag VALUE` into `--flag=VALUE` where VALUE looks like a negative number, so parseArgs does not take it for a flag. */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

export function parse(command: string, argv: string[], options: Options, positionals = 0): Parsed {
  const all: Options = { ...options, help: { type: "boolean", short: "h" } };
  let parsed: Parsed & { tokens: { kind: string; name?: string }[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv, all),
      options: all,
      allowPositionals: positionals > 0,
      strict: true,
      tokens: true,
    }) as typeof parsed;
  } catch (e) {
    throw new InputError(`kmsim ${command}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)} (see kmsim ${command} --help)`);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    if (seen.has(token.name)) throw new InputError(`kmsim ${command}: --${token.name} is given more than once`);
    seen.add(token.name);
  }
  if (parsed.positionals.length > positionals)
    throw new InputError(`kmsim ${command}: unexpected argument '${parsed.positionals[positionals]}' (see kmsim ${command} --help)`);
  return { values: parsed.values, positionals: parsed.positionals };
}

/** A string flag's value, or `fallback`. */
export function text(value: string | boolean | undefined, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

/** A whole number flag from `min` to `max`. */
export function int(
  command: string,
  flag: string,
  value: string | boolean | undefined,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new InputError(`kmsim ${command}: --${flag} must be a whole number ${range}, not '${String(value)}'`);
  }
  return n;
}

/** The largest seed: fast-check takes a 32-bit signed seed. */
export const SEED_MAX = 2 ** 31 - 1;

/** A seed: a whole number fast-check can take (0 ..= 2^31 - 1). */
export function seed(command: string, value: string | boolean | undefined, fallback?: number, flag = "seed"): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value === undefined) throw new InputError(`kmsim ${command}: --${flag} N is required`);
  return int(command, flag, value, 0, 0, SEED_MAX);
}

/** `--crypto noble|node`: the AES-256-GCM backend the World seals with (noble unless given). */
export function cryptoFlag(command: string, value: string | boolean | undefined): CryptoBackendName {
  if (value === undefined) return "noble";
  if (!isCryptoBackendName(value))
    throw new InputError(`kmsim ${command}: --crypto must be one of ${CRYPTO_BACKENDS.join(", ")}, not '${String(value)}'`);
  return value;
}
