// Running a campaign to its end or to a stop: seeds go to the worker pool, each result is written —
// repro file first (atomically), then its journal line — as it arrives, and progress is shown. Stops:
// the time budget (no new seeds once spent), --fail-fast / --max-failures (likewise), and SIGINT or
// SIGTERM, which ends the workers at once. What ran is returned, whatever stopped it.
import { basename } from "node:path";
import { addSummary, summarizeSeed, type CampaignSpec, type Parts } from "../reports/campaign.ts";
import type { Scenario } from "../harness/scenario.ts";
import { rechecks } from "./budget.ts";
import type { Journal } from "./journal.ts";
import { runSeeds } from "./pool.ts";
import { Progress } from "./progress.ts";
import { writeRepro } from "./run.ts";

export interface CampaignRun {
  spec: CampaignSpec;
  scenarioRef: string;
  scenario: Scenario;
  workers: number;
  outDir: string;
  /** Seeds already in the journal (a resumed campaign), folded into a report's parts; added to from here on. */
  done: Parts;
  journal: Journal;
  timeBudgetMs?: number;
  failuresMax?: number;
  /** Longest a step may run before its seed is reported as a hang (cli/watchdog.ts); null: no watchdog. */
  stepTimeoutMs: number | null;
  /** Longest a seed may run in all before it is a hang (cli/watchdog.ts); undefined: no limit. */
  seedTimeoutMs?: number;
  /** Each seed thread's heap limit in MiB (cli/heap-limit.ts); undefined: V8's own. */
  heapLimitMb?: number;
  quiet: boolean;
}

export type StopReason = "time budget spent" | "interrupted" | "fail-fast" | "max-failures";

/** The shard's seeds, lazily, skipping those already done. */
function* seedsOf(spec: CampaignSpec, done: ReadonlySet<number>): Generator<number> {
  for (let seed = spec.first + spec.shard.index; seed < spec.first + spec.count; seed += spec.shard.count) if (!done.has(seed)) yield seed;
}

export function shardSize(spec: CampaignSpec): number {
  return spec.shard.index >= spec.count ? 0 : Math.ceil((spec.count - spec.shard.index) / spec.shard.count);
}

/**
 * Runs the shard's seeds not yet done. Each seed's summary is journalled whole and folded into the
 * report's parts at once (probe counts, latency histograms and tallies add up; a seed keeps only its
 * row), so the main thread's memory does not grow with the seeds' probes and latencies.
 */
export async function runCampaign(run: CampaignRun): Promise<{ parts: Parts; stopped: StopReason | null }> {
  const { spec } = run;
  const parts = run.done;
  const total = shardSize(spec);
  let failures = parts.failures.length;
  const startMs = Date.now(); // wall clock: the time budget and progress only, never in a trace
  const deadlineMs = run.timeBudgetMs === undefined ? undefined : startMs + run.timeBudgetMs;
  const progress = new Progress(
    total,
    {
      stream: process.stderr,
      quiet: run.quiet,
      colour: process.stderr.isTTY === true && process.env["NO_COLOR"] === undefined,
      plainEveryMs: 10_000,
      liveEveryMs: 200,
      now: Date.now,
    },
    deadlineMs,
  );
  for (const r of parts.results) progress.seedDone(r.steps, r.verdict === "fail");
  let stopped: StopReason | null = null;
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: leave now
    stopped = "interrupted";
    abort.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const keepGoing = () => {
    if (stopped !== null) return false;
    if (deadlineMs !== undefined && Date.now() >= deadlineMs) stopped = "time budget spent";
    else if (run.failuresMax !== undefined && failures >= run.failuresMax) stopped = run.failuresMax === 1 ? "fail-fast" : "max-failures";
    return stopped === null;
  };
  try {
    const done = new Set(parts.results.map((r) => r.seed));
    const source = { count: total - done.size, seeds: seedsOf(spec, done) };
    const options = {
      scenarioRef: run.scenarioRef,
      scenario: run.scenario,
      stepsMax: spec.stepsMax,
      workers: run.workers,
      crypto: run.scenario.crypto ?? "noble",
      stepTimeoutMs: run.stepTimeoutMs,
      ...(run.seedTimeoutMs === undefined ? {} : { seedTimeoutMs: run.seedTimeoutMs }),
      ...(run.heapLimitMb === undefined ? {} : { heapLimitMb: run.heapLimitMb }),
    };
    await runSeeds(
      source,
      { ...options, recheck: (seed) => rechecks(seed, spec.recheckPercent), keepGoing, signal: abort.signal },
      (result) => {
        const repro = writeRepro(result, spec.stepsMax, run.outDir);
        const summary = summarizeSeed(
          result,
          spec.stepsMax,
          repro === null ? "" : basename(repro),
          rechecks(result.seed, spec.recheckPercent),
        );
        run.journal.append(summary);
        addSummary(parts, summary);
        if (result.verdict === "fail") {
          failures++;
          const f = summary.failure;
          progress.say(`FAIL seed ${result.seed} (${result.kind}) at step ${f?.step ?? "—"}: ${f?.message.split("\n")[0] ?? ""}`);
        }
        progress.seedDone(result.steps, result.verdict === "fail");
      },
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    progress.finish();
    run.journal.close();
  }
  if (stopped === null && parts.results.length < total) stopped = "interrupted";
  return { parts, stopped: parts.results.length < total ? stopped : null };
}
