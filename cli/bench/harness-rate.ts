// The harness figure of `kmsim bench`: generated seeds run end to end (both sides, every check) on
// worker threads — the fuzz command's own worker —, one per core, each warmed on seeds of its own
// first. Then, in each of several rounds: the baseline on this thread (the workers idle), one worker
// alone for a window, and every worker for a window of the same length. Each ratio (one worker over
// the baseline, all workers over workers × one worker) is taken within a round and the median quoted:
// on a shared machine the neighbours' load drifts over a run, and a figure measured a minute after the
// one it is divided by says more about that drift than about kmsim. Steps per CPU second say how much
// work a step is whatever the load.
import type { Worker } from "node:worker_threads";
import type { SeedResult } from "../../harness/seed.ts";
import type { CryptoBackendName } from "../../sim/crypto/backend.ts";
import { startSeedThread } from "../pool.ts";
import { HARNESS_CHECK } from "../unfinished.ts";
import { rateOver, spreadOf, type Spread } from "./timing.ts";

export interface HarnessRateOptions {
  /** Scenario name or path, as the worker loads it. */
  scenarioRef: string;
  stepsMax: number;
  crypto: CryptoBackendName;
  /** Seeds each thread runs untimed before the clock starts. */
  warmupSeeds: number;
  /** Rounds of (baseline, one worker, all workers). */
  rounds: number;
  /** How long seeds are handed out in each window, in milliseconds. */
  windowMs: number;
  /** How long the baseline runs in each round, and untimed before the first, in milliseconds. */
  baselineMs: number;
}

/** Warm-up seeds come from far above the timed ones, so no timed seed was run before on any thread. */
const WARMUP_SEED_FIRST = 1_000_000;

class SeedThread {
  private readonly worker: Worker;
  private pending: { seed: number; resolve: (steps: number) => void; reject: (e: Error) => void } | undefined;

  constructor(options: HarnessRateOptions) {
    this.worker = startSeedThread(options);
    this.worker.on("message", ({ seed, result }: { seed: number; result: SeedResult }) => {
      const pending = this.pending;
      this.pending = undefined;
      // A run that threw is a bug to fix, not a step count to time.
      if (result.failure?.check === HARNESS_CHECK) pending?.reject(new Error(`bench: seed ${seed}: ${result.failure.message}`));
      else if (seed !== pending?.seed || result.seed !== pending.seed)
        pending?.reject(new Error(`bench: asked for seed ${pending?.seed}, the worker ran seed ${result.seed}`));
      else pending.resolve(result.steps);
    });
    this.worker.on("error", (e) => this.pending?.reject(e));
  }

  /** Runs one seed; resolves to its step count. */
  async run(seed: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.pending = { seed, resolve, reject };
      // The fuzz worker's message (cli/worker.ts); a bare number would reach it as seed `undefined`,
      // every run a fresh random list of world "kmsim:undefined", not the seeds named here.
      this.worker.postMessage({ seed, checkDeterminism: false });
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

export interface HarnessRates {
  /** The baseline's rate (units of its op per second) in the rounds. */
  baseline: Spread;
  /** Steps per second of wall time: one worker alone, every worker together. */
  oneWorker: Spread;
  allWorkers: Spread;
  /** Steps per second of this process's CPU time (all threads), over every window of each kind. */
  stepsPerCpuSecOneWorker: number;
  stepsPerCpuSecAllWorkers: number;
  /** Per round, one worker over the baseline. */
  ratioToBaseline: Spread;
  /** Per round, all workers over workers × one worker (1 is perfect scaling). */
  scaling: Spread;
}

interface Window {
  steps: number;
  wallMs: number;
  cpuUs: number;
}

/** Seeds run on the first `threads` of `pool`, handed out from `nextSeed()` until `durationMs` is up. */
async function runWindow(pool: readonly SeedThread[], threads: number, durationMs: number, nextSeed: () => number): Promise<Window> {
  let steps = 0;
  const startCpu = process.cpuUsage();
  const startMs = performance.now();
  const deadlineMs = startMs + durationMs;
  await Promise.all(
    pool.slice(0, threads).map(async (thread) => {
      while (performance.now() < deadlineMs) {
        const done = await thread.run(nextSeed()); // not `steps += await …`: that reads `steps` before waiting, losing the other threads' steps
        steps += done;
      }
    }),
  );
  const wallMs = performance.now() - startMs;
  const cpu = process.cpuUsage(startCpu);
  return { steps, wallMs, cpuUs: cpu.user + cpu.system };
}

const perCpuSec = (windows: readonly Window[]) =>
  (windows.reduce((a, w) => a + w.steps, 0) * 1e6) / windows.reduce((a, w) => a + w.cpuUs, 0);

/**
 * `workers` warm threads measured in interleaved rounds against `baselineOp` (run on this thread,
 * returning the units it did). Timed seeds are 1, 2, … across all windows, none run twice.
 */
export async function measureHarness(options: HarnessRateOptions, workers: number, baselineOp: () => number): Promise<HarnessRates> {
  const pool = Array.from({ length: workers }, () => new SeedThread(options));
  try {
    let warmupSeed = WARMUP_SEED_FIRST;
    await Promise.all(
      pool.map(async (thread) => {
        for (let i = 0; i < options.warmupSeeds; i++) await thread.run(warmupSeed++);
      }),
    );
    let seed = 1;
    const nextSeed = () => seed++;
    rateOver(options.baselineMs, baselineOp);
    const baseline: number[] = [];
    const one: Window[] = [];
    const all: Window[] = [];
    for (let round = 0; round < options.rounds; round++) {
      baseline.push(rateOver(options.baselineMs, baselineOp));
      one.push(await runWindow(pool, 1, options.windowMs, nextSeed));
      all.push(await runWindow(pool, workers, options.windowMs, nextSeed));
    }
    const perSec = (w: Window) => (w.steps * 1000) / w.wallMs;
    return {
      baseline: spreadOf(baseline),
      oneWorker: spreadOf(one.map(perSec)),
      allWorkers: spreadOf(all.map(perSec)),
      stepsPerCpuSecOneWorker: perCpuSec(one),
      stepsPerCpuSecAllWorkers: perCpuSec(all),
      ratioToBaseline: spreadOf(one.map((w, r) => perSec(w) / baseline[r]!)),
      scaling: spreadOf(all.map((w, r) => perSec(w) / (workers * perSec(one[r]!)))),
    };
  } finally {
    await Promise.all(pool.map(async (thread) => thread.stop()));
  }
}
