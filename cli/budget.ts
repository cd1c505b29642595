// The small flag languages of a campaign: a time budget (`--time 2h`, `90m`, `1h30m`, `45s`) and the
// share of seeds re-run for determinism (`--recheck 5%`). Which seeds are re-run is a function of the
// seed number alone (a hash, so they spread over the range), so workers and shards cannot change it.
import { InputError } from "../protocol/input-error.ts";

/** Longest time budget: 30 days. */
export const TIME_BUDGET_MS_MAX = 30 * 24 * 3_600_000;

export function parseDuration(command: string, flag: string, value: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (m === null || value === "")
    throw new InputError(`kmsim ${command}: --${flag} must be a duration such as 45s, 90m, 2h or 1h30m, not '${value}'`);
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  if (ms <= 0 || ms > TIME_BUDGET_MS_MAX)
    throw new InputError(`kmsim ${command}: --${flag} must be more than 0s and at most 720h, not '${value}'`);
  return ms;
}

/** A percentage with at most two decimals, 0% to 100%. */
export function parsePercent(command: string, flag: string, value: string): number {
  const m = /^(\d{1,3})(\.\d{1,2})?%$/.exec(value);
  const percent = m === null ? NaN : Number(value.slice(0, -1));
  if (!(percent >= 0 && percent <= 100))
    throw new InputError(`kmsim ${command}: --${flag} must be a percentage from 0% to 100% such as 5%, not '${value}'`);
  return percent;
}

/** murmur3's 32-bit finalizer: spreads consecutive seeds over the whole range. */
function mix(seed: number): number {
  let h = seed >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Is `seed` among the `percent` share of seeds that are run twice? */
export function rechecks(seed: number, percent: number): boolean {
  return mix(seed) % 10_000 < Math.round(percent * 100);
}
