// Per-operation latency on the virtual clock, kept as a histogram with fixed bucket edges so that
// histograms from seeds, workers and shards add up exactly, whatever the order: a merged report and
// an unsharded one carry the same numbers. A percentile is read as the upper edge of the bucket it
// falls in ("p99 <= 2.5 ms"), which is what a fixed-edge histogram can say honestly.
import { PERCENTILE_SAMPLES_MIN, type ConditionPercentile } from "../harness/latency-pool.ts";

/** Bucket upper edges in microseconds: 0, then 10 per decade (the R10 series) from 10 us to 1,000 s, then the rest. */
export const BUCKET_EDGES_US: readonly number[] = (() => {
  const series = [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8];
  const edges: number[] = [];
  for (let decade = 10; decade < 1e9; decade *= 10) for (const m of series) edges.push(Math.round(m * decade));
  edges.push(1e9, Number.MAX_SAFE_INTEGER);
  edges.unshift(0); // calls that took no virtual time (answered without the network) have a bucket of their own
  return edges;
})();

export interface Histogram {
  calls: number;
  sumUs: number;
  maxUs: number;
  /** Calls per bucket, by the bucket's upper edge in microseconds (as a string key, only non-empty buckets). */
  buckets: Record<string, number>;
}

export interface LatencyStats extends Histogram {
  meanMs: number;
  p50MsMax: number;
  p90MsMax: number;
  p99MsMax: number;
}

function edgeFor(us: number): number {
  return BUCKET_EDGES_US.find((edge) => us <= edge) ?? Number.MAX_SAFE_INTEGER;
}

export function histogram(durationsUs: readonly number[]): Histogram {
  const h: Histogram = { calls: 0, sumUs: 0, maxUs: 0, buckets: {} };
  for (const us of durationsUs) {
    h.calls++;
    h.sumUs += us;
    h.maxUs = Math.max(h.maxUs, us);
    const key = String(edgeFor(us));
    h.buckets[key] = (h.buckets[key] ?? 0) + 1;
  }
  return h;
}

export function addHistogram(into: Histogram, h: Histogram): void {
  into.calls += h.calls;
  into.sumUs += h.sumUs;
  into.maxUs = Math.max(into.maxUs, h.maxUs);
  for (const [edge, n] of Object.entries(h.buckets)) into.buckets[edge] = (into.buckets[edge] ?? 0) + n;
}

/** The bucket edges of `h` in ascending order with their counts. */
export function bucketsAscending(h: Histogram): [number, number][] {
  return Object.entries(h.buckets)
    .map(([edge, n]): [number, number] => [Number(edge), n])
    .sort(([a], [b]) => a - b);
}

function percentileMs(h: Histogram, fraction: number): number {
  const rank = Math.max(1, Math.ceil(h.calls * fraction));
  let seen = 0;
  for (const [edge, n] of bucketsAscending(h)) {
    seen += n;
    if (seen >= rank) return Math.min(edge, h.maxUs) / 1000;
  }
  return h.maxUs / 1000;
}

/** Histograms by operation, summed, with their percentiles; operations in name order. */
export function latencyStats(byOperation: Record<string, Histogram>): Record<string, LatencyStats> {
  const out: Record<string, LatencyStats> = {};
  for (const op of Object.keys(byOperation).sort()) {
    const h = byOperation[op]!;
    const buckets = Object.fromEntries(bucketsAscending(h).map(([edge, n]) => [String(edge), n]));
    out[op] = {
      calls: h.calls,
      sumUs: h.sumUs,
      maxUs: h.maxUs,
      buckets,
      meanMs: h.calls === 0 ? 0 : Math.round(h.sumUs / h.calls) / 1000,
      p50MsMax: percentileMs(h, 0.5),
      p90MsMax: percentileMs(h, 0.9),
      p99MsMax: percentileMs(h, 0.99),
    };
  }
  return out;
}

/** A condition's p90 over the campaign, in a word or three. */
export function percentileVerdict(row: ConditionPercentile): string {
  return !row.judged ? `not judged (< ${PERCENTILE_SAMPLES_MIN} calls)` : row.exceeded ? "OVER" : "within";
}
