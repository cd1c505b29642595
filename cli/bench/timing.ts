// Timing one operation in this process: a warm-up, then several timed rounds, reported as the median
// rate with the min and max, because these machines are shared and noisy — a single figure would say
// more about the neighbours than about kmsim. Wall-clock time is allowed here, never in a trace.

export interface TimingOptions {
  /** Timed rounds; the median is the figure quoted. */
  rounds: number;
  /** How long each timed round runs, in milliseconds. */
  roundMs: number;
  /** How long the untimed warm-up runs, in milliseconds (the JIT settles, caches fill). */
  warmupMs: number;
}

export interface Rate {
  /** Median of the rounds' rates, in units per second. */
  perSec: number;
  perSecMin: number;
  perSecMax: number;
}

/** Runs `op` (which returns how many units it did) for `ms`; units per second. */
export function rateOver(ms: number, op: () => number): number {
  let units = 0;
  const start = performance.now();
  for (;;) {
    units += op();
    const elapsed = performance.now() - start;
    if (elapsed >= ms) return (units * 1000) / elapsed;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A figure over rounds: the median quoted, with the least and greatest round. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

function rateOf(rates: readonly number[]): Rate {
  const { median: perSec, min: perSecMin, max: perSecMax } = spreadOf(rates);
  return { perSec, perSecMin, perSecMax };
}

export function timeRounds(options: TimingOptions, op: () => number): Rate {
  rateOver(options.warmupMs, op);
  return rateOf(Array.from({ length: options.rounds }, () => rateOver(options.roundMs, op)));
}

/**
 * Several operations timed in interleaved rounds (round 1 of each, then round 2 of each, …), so a
 * change in the machine's load between rounds touches all of them alike: compare them round by round.
 * Returns each one's rate and its rate in every round.
 */
export function timeInterleaved(options: TimingOptions, ops: readonly (() => number)[]): { rate: Rate; rounds: number[] }[] {
  for (const op of ops) rateOver(options.warmupMs, op);
  const rounds = ops.map(() => [] as number[]);
  for (let r = 0; r < options.rounds; r++) ops.forEach((op, i) => rounds[i]!.push(rateOver(options.roundMs, op)));
  return rounds.map((rates) => ({ rate: rateOf(rates), rounds: rates }));
}
