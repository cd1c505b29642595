// The campaign report: what a fuzz run over many seeds found — the one data structure that
// summary.json is, and that junit.xml, summary.md and index.html are rendered from. A report is
// assembled from per-seed summaries (what the journal keeps) or from shards' reports, by the same
// code, so a merged or resumed campaign says byte for byte what an uninterrupted one says; only
// `run` (how, where and how fast it ran) and, when merged, `seeds.shard` differ.
import {
  addPool,
  addSamples,
  conditionPercentiles,
  poolExceeded,
  type ConditionPercentile,
  type LatencyPool,
} from "../harness/latency-pool.ts";
import type { SeedResult } from "../harness/seed.ts";
import { canaryReport, type CampaignFailure, type CanaryReport, type CanarySpec } from "./canary.ts";
import { failureEntry, groupFailures, type FailureEntry, type FailureGroup } from "./failure.ts";
import { addHistogram, histogram, latencyStats, type Histogram, type LatencyStats } from "./latency.ts";
import { missingSeeds } from "./seed-ranges.ts";

/** What defines a campaign: the same spec, the same report. */
export interface CampaignSpec {
  scenario: string;
  first: number;
  count: number;
  shard: { index: number; count: number };
  stepsMax: number;
  /** Share of seeds run twice to check determinism, in percent. */
  recheckPercent: number;
  probesExpected: string[];
  requireCoverage: boolean;
  /** The bug a canary scenario plants (reports/canary.ts); absent or null for a plain scenario. */
  canary?: CanarySpec | null;
}

/** One seed as the journal keeps it and a report is built from. */
export interface SeedSummary {
  seed: number;
  verdict: "pass" | "fail";
  kind: string | null;
  steps: number;
  traceHash: string;
  rechecked: boolean;
  probes: Record<string, number>;
  latency: Record<string, Histogram>;
  /** The run's latency samples per "Operation|condition", tallied for the campaign's percentiles. */
  latencyPool: LatencyPool;
  failure: FailureEntry | null;
}

/** How, where and how fast a campaign ran: the fields that differ between runs of the same campaign. */
export interface RunInfo {
  kmsimVersion: string;
  gitCommit: string | null;
  node: string;
  command: string;
  wallMs: number;
  stepsPerSecond: number;
  workers: number;
  resumed: boolean;
  mergedReports: number;
}

export interface CampaignReport {
  kmsim: "campaign/3";
  verdict: "pass" | "fail" | "incomplete";
  /** For a canary scenario: the bug it plants and whether the campaign caught it (then failures are expected). */
  canary: CanaryReport | null;
  complete: boolean;
  /** Why the campaign stopped before its last seed: time, interrupted, fail-fast, max-failures, shards missing. */
  stopped: string | null;
  scenario: string;
  seeds: { first: number; count: number; shard: string };
  stepsMax: number;
  recheckPercent: number;
  totals: { seeds: number; pass: number; fail: number; byKind: Record<string, number>; steps: number; rechecked: number };
  notRun: { count: number; seeds: string };
  coverage: { required: boolean; expected: string[]; notReached: string[] };
  groups: FailureGroup[];
  failures: FailureEntry[];
  /** Failures of the campaign as a whole, not of one seed: the p90 per fault condition over every seed. */
  campaignFailures: CampaignFailure[];
  latency: Record<string, LatencyStats>;
  /** The crypto calls' 90th percentile per fault condition over every seed (harness/latency-pool.ts), and the tallies it is read from. */
  latencyPercentile: { conditions: ConditionPercentile[]; pool: LatencyPool };
  probes: Record<string, number>;
  results: { seed: number; verdict: string; kind: string | null; steps: number; traceHash: string }[];
  run: RunInfo;
}

export function summarizeSeed(result: SeedResult, stepsMax: number, repro: string, rechecked: boolean): SeedSummary {
  return {
    seed: result.seed,
    verdict: result.verdict,
    kind: result.kind,
    steps: result.steps,
    traceHash: result.traceHash,
    rechecked,
    probes: result.probes,
    latency: Object.fromEntries(Object.entries(result.durationsUs).map(([op, us]) => [op, histogram(us)])),
    latencyPool: addSamples({}, result.latency),
    failure: result.verdict === "fail" ? failureEntry(result, stepsMax, repro) : null,
  };
}

/** What a report adds up: per-seed rows, failures, probe counts and latency histograms. */
export interface Parts {
  results: CampaignReport["results"];
  failures: FailureEntry[];
  probes: Record<string, number>;
  latency: Record<string, Histogram>;
  latencyPool: LatencyPool;
  rechecked: number;
}

export function emptyParts(): Parts {
  return { results: [], failures: [], probes: {}, latency: {}, latencyPool: {}, rechecked: 0 };
}

/** Folds one seed's summary into `parts`: its row and failure kept, its probes and latencies added up. */
export function addSummary(parts: Parts, s: SeedSummary): void {
  parts.results.push({ seed: s.seed, verdict: s.verdict, kind: s.kind, steps: s.steps, traceHash: s.traceHash });
  if (s.failure !== null) parts.failures.push(s.failure);
  for (const [name, n] of Object.entries(s.probes)) parts.probes[name] = (parts.probes[name] ?? 0) + n;
  for (const [op, h] of Object.entries(s.latency)) addHistogram((parts.latency[op] ??= histogram([])), h);
  addPool(parts.latencyPool, s.latencyPool);
  if (s.rechecked) parts.rechecked++;
}

export function addParts(into: Parts, more: Parts): void {
  // One push at a time: a spread passes every row as an argument, past the stack's room beyond ~130,000 rows.
  for (const row of more.results) into.results.push(row);
  for (const failure of more.failures) into.failures.push(failure);
  for (const [name, n] of Object.entries(more.probes)) into.probes[name] = (into.probes[name] ?? 0) + n;
  for (const [op, h] of Object.entries(more.latency)) addHistogram((into.latency[op] ??= histogram([])), h);
  addPool(into.latencyPool, more.latencyPool);
  into.rechecked += more.rechecked;
}

/** Parts back out of a report, for merging. */
export function partsOfReport(report: CampaignReport): Parts {
  return {
    results: report.results,
    failures: report.failures,
    probes: report.probes,
    latency: Object.fromEntries(
      Object.entries(report.latency).map(([op, s]) => [op, { calls: s.calls, sumUs: s.sumUs, maxUs: s.maxUs, buckets: { ...s.buckets } }]),
    ),
    latencyPool: addPool({}, report.latencyPercentile.pool),
    rechecked: report.totals.rechecked,
  };
}

export function assembleReport(
  spec: CampaignSpec,
  parts: Parts,
  stopped: string | null,
  run: RunInfo,
  shardLabel?: string,
): CampaignReport {
  const results = [...parts.results].sort((a, b) => a.seed - b.seed);
  const failures = [...parts.failures].sort((a, b) => a.seed - b.seed);
  const byKind: Record<string, number> = {};
  for (const r of results) if (r.kind !== null) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  const notRun = missingSeeds(
    spec,
    results.map((r) => r.seed),
  );
  const complete = notRun.count === 0;
  const probes = Object.fromEntries(Object.entries(parts.probes).sort(([a], [b]) => (a < b ? -1 : 1)));
  const notReached = spec.probesExpected.filter((p) => (probes[p] ?? 0) === 0);
  const coverageMissed = spec.requireCoverage && notReached.length > 0;
  const pool = sortedPool(parts.latencyPool);
  const percentileExcess = poolExceeded(pool);
  const campaignFailures: CampaignFailure[] = percentileExcess === undefined ? [] : [{ kind: "budget", ...percentileExcess }];
  const canary = spec.canary == null ? null : canaryReport(spec.canary, failures, campaignFailures);
  // A canary passes when it is caught; anything else fails on a finding, then waits for its last seed.
  const verdict =
    canary !== null
      ? canary.caught && !coverageMissed
        ? "pass"
        : "fail"
      : failures.length > 0 || campaignFailures.length > 0
        ? "fail"
        : !complete
          ? "incomplete"
          : coverageMissed
            ? "fail"
            : "pass";
  return {
    kmsim: "campaign/3",
    verdict,
    canary,
    complete,
    stopped: complete ? null : stopped,
    scenario: spec.scenario,
    seeds: { first: spec.first, count: spec.count, shard: shardLabel ?? `${spec.shard.index}/${spec.shard.count}` },
    stepsMax: spec.stepsMax,
    recheckPercent: spec.recheckPercent,
    totals: {
      seeds: results.length,
      pass: results.length - failures.length,
      fail: failures.length,
      byKind,
      steps: results.reduce((n, r) => n + r.steps, 0),
      rechecked: parts.rechecked,
    },
    notRun,
    coverage: { required: spec.requireCoverage, expected: spec.probesExpected, notReached },
    groups: groupFailures(failures),
    failures,
    campaignFailures,
    latency: latencyStats(parts.latency),
    latencyPercentile: { conditions: conditionPercentiles(pool), pool },
    probes,
    results,
    run: { ...run, stepsPerSecond: run.wallMs > 0 ? Math.round((results.reduce((n, r) => n + r.steps, 0) * 1000) / run.wallMs) : 0 },
  };
}

/** The tallies in key order, their buckets in edge order: the same JSON however the seeds arrived. */
function sortedPool(pool: LatencyPool): LatencyPool {
  return Object.fromEntries(
    Object.keys(pool)
      .sort()
      .map((key) => {
        const t = pool[key]!;
        const buckets = Object.keys(t.buckets)
          .sort((a, b) => Number(a) - Number(b))
          .map((edge) => [edge, t.buckets[edge]!]);
        return [key, { ...t, buckets: Object.fromEntries(buckets) }];
      }),
  );
}
