// The campaign report: what a fuzz run over many seeds found — the one data structure that
// summary.json is, and that junit.xml, summary.md and index.html are rendered from. A report is
// assembled from per-seed summaries (what the journal keeps) or from shards' reports, by the same
// code, so a merged or resumed campaign says byte for byte what an uninterrupted one says; only
// `run` (how, where and how fast it ran) and, when merged, `seeds.shard` differ.
import type { SeedResult } from "../harness/seed.ts";
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
  kmsim: "campaign/2";
  verdict: "pass" | "fail" | "incomplete";
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
  latency: Record<string, LatencyStats>;
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
    failure: result.verdict === "fail" ? failureEntry(result, stepsMax, repro) : null,
  };
}

/** What a report adds up: per-seed rows, failures, probe counts and latency histograms. */
export interface Parts {
  results: CampaignReport["results"];
  failures: FailureEntry[];
  probes: Record<string, number>;
  latency: Record<string, Histogram>;
  rechecked: number;
}

export function partsOf(summaries: readonly SeedSummary[]): Parts {
  const parts: Parts = { results: [], failures: [], probes: {}, latency: {}, rechecked: 0 };
  for (const s of summaries) {
    parts.results.push({ seed: s.seed, verdict: s.verdict, kind: s.kind, steps: s.steps, traceHash: s.traceHash });
    if (s.failure !== null) parts.failures.push(s.failure);
    for (const [name, n] of Object.entries(s.probes)) parts.probes[name] = (parts.probes[name] ?? 0) + n;
    for (const [op, h] of Object.entries(s.latency)) addHistogram((parts.latency[op] ??= histogram([])), h);
    if (s.rechecked) parts.rechecked++;
  }
  return parts;
}

export function addParts(into: Parts, more: Parts): void {
  into.results.push(...more.results);
  into.failures.push(...more.failures);
  for (const [name, n] of Object.entries(more.probes)) into.probes[name] = (into.probes[name] ?? 0) + n;
  for (const [op, h] of Object.entries(more.latency)) addHistogram((into.latency[op] ??= histogram([])), h);
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
  const verdict = failures.length > 0 ? "fail" : !complete ? "incomplete" : spec.requireCoverage && notReached.length > 0 ? "fail" : "pass";
  return {
    kmsim: "campaign/2",
    verdict,
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
    latency: latencyStats(parts.latency),
    probes,
    results,
    run: { ...run, stepsPerSecond: run.wallMs > 0 ? Math.round((results.reduce((n, r) => n + r.steps, 0) * 1000) / run.wallMs) : 0 },
  };
}
