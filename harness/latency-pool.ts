// The 90th percentile per fault condition over a whole campaign (issue 12 item 5), in memory that stays
// flat however many seeds run: each run's latency samples (how far each crypto call came under or over
// the latency model's typical time for it) are folded into a tally per "Operation|condition" — calls,
// calls over, and a fixed-edge histogram of by how much — which adds up exactly across seeds, workers,
// shards and resumes. The p90 is within budget exactly when at most the calls above the 90% rank are
// over, so the verdict is exact; how far over is read as a bucket's upper edge.

/** The fault conditions a crypto call is filed under (harness/latency.ts decides which). */
export const CONDITIONS = ["steady", "one HSM lost", "one AZ out", "partition healing"] as const;
export type Condition = (typeof CONDITIONS)[number];

/** Percentile samples needed before a percentile is judged (fewer say nothing about the tail). */
export const PERCENTILE_SAMPLES_MIN = 40;
/** The percentile judged, as a fraction: its calls must take no longer than the model's typical time. */
export const PERCENTILE = 0.9;

/** Samples per "Operation|condition": how far each call that reached an HSM came under (−) or over (+) its p90 bound, in µs. */
export type LatencySamples = Record<string, number[]>;

export interface LatencyExcess {
  check: string;
  message: string;
}

/** One "Operation|condition" over many runs. */
export interface ExcessTally {
  calls: number;
  /** Calls that took longer than the latency model's typical time for them. */
  over: number;
  /** The largest excess seen, in µs (0 when no call was over). */
  maxOverUs: number;
  /** Calls over, by the upper edge (µs, as a string key) of the bucket their excess falls in; non-empty buckets only. */
  buckets: Record<string, number>;
}

/** A campaign's latency samples as tallies, by "Operation|condition". */
export type LatencyPool = Record<string, ExcessTally>;

/** Bucket upper edges for an excess in µs: 1 2 3 4 5 6 8, then the R10 series per decade up to 1,000 s. */
export const EXCESS_EDGES_US: readonly number[] = (() => {
  const series = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8];
  const edges = new Set<number>();
  for (let decade = 1; decade < 1e9; decade *= 10) for (const m of series) edges.add(Math.round(m * decade));
  return [...edges, Number.MAX_SAFE_INTEGER];
})();

function edgeFor(us: number): number {
  return EXCESS_EDGES_US.find((edge) => us <= edge) ?? Number.MAX_SAFE_INTEGER;
}

/** Folds one run's samples into `into`. */
export function addSamples(into: LatencyPool, samples: LatencySamples): LatencyPool {
  for (const [key, excesses] of Object.entries(samples)) {
    const tally = (into[key] ??= { calls: 0, over: 0, maxOverUs: 0, buckets: {} });
    for (const us of excesses) {
      tally.calls++;
      if (us <= 0) continue;
      tally.over++;
      tally.maxOverUs = Math.max(tally.maxOverUs, us);
      const edge = String(edgeFor(us));
      tally.buckets[edge] = (tally.buckets[edge] ?? 0) + 1;
    }
  }
  return into;
}

function addTally(into: ExcessTally, t: ExcessTally): void {
  into.calls += t.calls;
  into.over += t.over;
  into.maxOverUs = Math.max(into.maxOverUs, t.maxOverUs);
  for (const [edge, n] of Object.entries(t.buckets)) into.buckets[edge] = (into.buckets[edge] ?? 0) + n;
}

/** Adds the tallies of `more` into `into` (order does not matter). */
export function addPool(into: LatencyPool, more: LatencyPool): LatencyPool {
  for (const [key, t] of Object.entries(more)) addTally((into[key] ??= { calls: 0, over: 0, maxOverUs: 0, buckets: {} }), t);
  return into;
}

/** One condition over the campaign, every crypto operation's calls pooled (each judged against its own bound). */
export interface ConditionPercentile {
  condition: Condition;
  calls: number;
  over: number;
  /** Judged only with PERCENTILE_SAMPLES_MIN calls or more. */
  judged: boolean;
  exceeded: boolean;
  /** How far the p90 call is over its typical time, at most (a bucket's upper edge); 0 when within. */
  p90OverMsMax: number;
  /** Per operation, by name. */
  operations: { operation: string; calls: number; over: number }[];
}

/** The pool per condition, in CONDITIONS order; conditions no call was filed under are left out. */
export function conditionPercentiles(pool: LatencyPool): ConditionPercentile[] {
  const rows: ConditionPercentile[] = [];
  for (const condition of CONDITIONS) {
    const merged: ExcessTally = { calls: 0, over: 0, maxOverUs: 0, buckets: {} };
    const operations: ConditionPercentile["operations"] = [];
    for (const key of Object.keys(pool).sort()) {
      const bar = key.indexOf("|");
      if (key.slice(bar + 1) !== condition) continue;
      const t = pool[key]!;
      addTally(merged, t);
      operations.push({ operation: key.slice(0, bar), calls: t.calls, over: t.over });
    }
    if (merged.calls === 0) continue;
    // The p90 call is the rank-th smallest; it is over exactly when fewer than `rank` calls are not.
    const rank = Math.max(1, Math.ceil(merged.calls * PERCENTILE));
    const within = merged.calls - merged.over;
    const judged = merged.calls >= PERCENTILE_SAMPLES_MIN;
    let p90OverUs = 0;
    if (within < rank) {
      let seen = within;
      for (const [edge, n] of Object.entries(merged.buckets)
        .map(([e, k]): [number, number] => [Number(e), k])
        .sort(([a], [b]) => a - b)) {
        seen += n;
        if (seen >= rank) {
          p90OverUs = Math.min(edge, merged.maxOverUs);
          break;
        }
      }
    }
    rows.push({
      condition,
      calls: merged.calls,
      over: merged.over,
      judged,
      exceeded: judged && p90OverUs > 0,
      p90OverMsMax: p90OverUs / 1000,
      operations,
    });
  }
  return rows;
}

/** The first condition whose p90 over the campaign is over budget: the check that fired and what it saw. */
export function poolExceeded(pool: LatencyPool): LatencyExcess | undefined {
  const row = conditionPercentiles(pool).find((r) => r.exceeded);
  if (row === undefined) return undefined;
  const ops = row.operations.map((o) => `${o.operation} ${o.over} of ${o.calls}`).join(", ");
  return {
    check: `budget:p90:${row.condition}`,
    message: `crypto calls' p90 over the campaign under ${row.condition} is up to ${row.p90OverMsMax} ms over the latency model's typical time (budget: p90 within it, at most ${Math.round((1 - PERCENTILE) * 100)}% of calls over); ${row.over} of ${row.calls} calls over: ${ops}`,
  };
}

/** The 90th percentile over a campaign's runs, per condition, once it has enough samples: the first condition over its bound. */
export function campaignLatencyExceeded(runs: readonly LatencySamples[]): LatencyExcess | undefined {
  const pool: LatencyPool = {};
  for (const run of runs) addSamples(pool, run);
  return poolExceeded(pool);
}
