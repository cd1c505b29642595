// The campaign's p90 per fault condition from tallies instead of every duration: the verdict equals
// the exact percentile over all samples, whatever the split into runs and the order they are added;
// the p90 reported is the upper edge of the bucket the exact one is in; and the tallies stay the same
// size however many runs are folded in.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addPool,
  addSamples,
  campaignLatencyExceeded,
  conditionPercentiles,
  CONDITIONS,
  EXCESS_EDGES_US,
  PERCENTILE_SAMPLES_MIN,
  poolExceeded,
  type LatencyPool,
  type LatencySamples,
} from "../../harness/latency-pool.ts";

/** The exact p90 of one condition's samples, every operation pooled, as harness/latency.ts computes it per run. */
function exactP90(runs: readonly LatencySamples[], condition: string): { n: number; p90: number } {
  const all = runs.flatMap((run) => Object.entries(run).flatMap(([key, v]) => (key.endsWith(`|${condition}`) ? v : [])));
  const sorted = [...all].sort((a, b) => a - b);
  return { n: all.length, p90: sorted[Math.max(0, Math.ceil(all.length * 0.9) - 1)] ?? 0 };
}

const KEYS = ["Encrypt|steady", "Decrypt|steady", "Encrypt|one HSM lost", "ReEncrypt|partition healing"];
const excess = fc.oneof(fc.integer({ min: -3000, max: 0 }), fc.integer({ min: 1, max: 20_000 }));
const run = fc.dictionary(fc.constantFrom(...KEYS), fc.array(excess, { maxLength: 30 }));

describe("the campaign's latency pool", () => {
  it("judges each condition's p90 exactly as the whole list of samples would, whatever the split and order", () => {
    fc.assert(
      fc.property(fc.array(run, { maxLength: 12 }), (runs) => {
        const together: LatencyPool = {};
        for (const r of runs) addSamples(together, r);
        const reversed: LatencyPool = {};
        for (const r of [...runs].reverse()) addPool(reversed, addSamples({}, r));
        expect(conditionPercentiles(reversed)).toEqual(conditionPercentiles(together));
        for (const row of conditionPercentiles(together)) {
          const exact = exactP90(runs, row.condition);
          expect(row.calls).toBe(exact.n);
          expect(row.judged).toBe(exact.n >= PERCENTILE_SAMPLES_MIN);
          expect(row.exceeded).toBe(exact.n >= PERCENTILE_SAMPLES_MIN && exact.p90 > 0);
          if (exact.p90 <= 0) expect(row.p90OverMsMax).toBe(0);
          else {
            // The upper edge of the exact p90's bucket (or the largest excess, if smaller).
            const edge = EXCESS_EDGES_US.find((e) => exact.p90 <= e)!;
            const before = EXCESS_EDGES_US[EXCESS_EDGES_US.indexOf(edge) - 1] ?? 0;
            const reportedUs = Math.round(row.p90OverMsMax * 1000);
            expect(reportedUs).toBeGreaterThanOrEqual(exact.p90);
            expect(reportedUs).toBeLessThanOrEqual(edge);
            expect(reportedUs).toBeGreaterThan(before);
          }
        }
        const first = CONDITIONS.find((c) => {
          const e = exactP90(runs, c);
          return e.n >= PERCENTILE_SAMPLES_MIN && e.p90 > 0;
        });
        expect(campaignLatencyExceeded(runs)?.check).toBe(first === undefined ? undefined : `budget:p90:${first}`);
      }),
      { numRuns: 300 },
    );
  });

  it("fails a condition only when the campaign's calls together say so: runs too short to judge alone", () => {
    // Each run: 20 steady calls, 3 of them 0.5 ms over. Alone, too few to judge; pooled, 15% over.
    const oneRun: LatencySamples = { "Encrypt|steady": [...Array.from({ length: 17 }, () => -100), 500, 500, 500] };
    expect(campaignLatencyExceeded([oneRun])).toBeUndefined();
    const excess = campaignLatencyExceeded([oneRun, oneRun]);
    expect(excess?.check).toBe("budget:p90:steady");
    expect(excess?.message).toBe(
      "crypto calls' p90 over the campaign under steady is up to 0.5 ms over the latency model's typical time (budget: p90 within it, at most 10% of calls over); 6 of 40 calls over: Encrypt 6 of 40",
    );
    // 4 of 40 over is exactly 10%: the p90 call is within.
    const fewer: LatencySamples = { "Decrypt|steady": [...Array.from({ length: 18 }, () => -100), 500, 500] };
    expect(poolExceeded(addSamples(addSamples({}, fewer), fewer))).toBeUndefined();
  });

  it("keeps tallies of one size for a thousand runs and for a hundred thousand: memory flat in the number of seeds", () => {
    // Samples that repeat every thousand runs or less, as a campaign's durations repeat their range.
    const sample = (i: number): LatencySamples => ({
      "Encrypt|steady": [(i % 997) * 13 - 2000, (i % 991) * 11 - 1000],
      "Decrypt|one AZ out": [(i % 983) * 5 - 500],
    });
    const fold = (runs: number) => {
      const pool: LatencyPool = {};
      for (let i = 0; i < runs; i++) addPool(pool, addSamples({}, sample(i)));
      return pool;
    };
    const small = fold(1_000);
    const large = fold(100_000);
    expect(large["Encrypt|steady"]!.calls).toBe(200_000);
    expect(Object.keys(large).sort()).toEqual(Object.keys(small).sort());
    for (const key of Object.keys(large)) expect(Object.keys(large[key]!.buckets).sort()).toEqual(Object.keys(small[key]!.buckets).sort());
    // A hundred times the runs: only the counts' digits grow.
    expect(JSON.stringify(large).length).toBeLessThan(JSON.stringify(small).length * 1.5);
  });
});
