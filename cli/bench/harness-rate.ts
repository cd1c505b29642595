// The harness figure of `kmsim bench`: generated seeds run end to end (both sides, every check) on
// worker threads — the fuzz command's own worker — with one thread and with one per core, in steps
// per second of wall time and of CPU time. Each thread runs warm-up seeds first, untimed, so both
// figures are of warm threads and the second can be read against the first (ideal: workers × one
// worker). On a machine busier than its cores, wall-time scaling says more about the neighbours than
// about kmsim; steps per CPU second do not.
import { Worker } from "node:worker_threads";
import type { SeedResult } from "../../harness/seed.ts";
import type { CryptoBackendName } from "../../sim/crypto/backend.ts";
import { WORKER_URL } from "../pool.ts";

export interface HarnessRateOptions {
  /** Scenario name or path, as the worker loads it. */
  scenarioRef: string;
  stepsMax: number;
  crypto: CryptoBackendName;
  /** Seeds each thread runs untimed before the clock starts. */
  warmupSeeds: number;
  /** How long seeds are handed out once every thread is warm, in milliseconds. */
  durationMs: number;
}

/** Warm-up seeds come from far above the timed ones, so no timed seed was run before on any thread. */
const WARMUP_SEED_FIRST = 1_000_000;

class SeedThread {
  private readonly worker: Worker;
  private pending: { seed: number; resolve: (steps: number) => void; reject: (e: Error) => void } | undefined;

  constructor(options: HarnessRateOptions) {
    this.worker = new Worker(WORKER_URL, {
      workerData: { scenario: options.scenarioRef, stepsMax: options.stepsMax, crypto: options.crypto },
    });
    this.worker.on("message", (message: { seed: number; result?: SeedResult; error?: string }) => {
      const pending = this.pending;
      this.pending = undefined;
      if (message.result === undefined) pending?.reject(new Error(`bench: seed ${message.seed}: ${message.error}`));
      else if (message.seed !== pending?.seed || message.result.seed !== pending.seed)
        pending?.reject(new Error(`bench: asked for seed ${pending?.seed}, the worker ran seed ${message.result.seed}`));
      else pending.resolve(message.result.steps);
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

export interface HarnessRate {
  /** Steps per second of wall time. */
  stepsPerSec: number;
  /** Steps per second of this process's CPU time (all threads): how much work a step is, whatever the machine's load. */
  stepsPerCpuSec: number;
}

/** Steps per second of `threads` warm worker threads taking seeds 1, 2, … until the time is up. */
export async function harnessStepsPerSec(options: HarnessRateOptions, threads: number): Promise<HarnessRate> {
  const pool = Array.from({ length: threads }, () => new SeedThread(options));
  try {
    let warmupSeed = WARMUP_SEED_FIRST;
    await Promise.all(
      pool.map(async (thread) => {
        for (let i = 0; i < options.warmupSeeds; i++) await thread.run(warmupSeed++);
      }),
    );
    let seed = 1;
    let steps = 0;
    const startCpu = process.cpuUsage();
    const startMs = performance.now();
    const deadlineMs = startMs + options.durationMs;
    await Promise.all(
      pool.map(async (thread) => {
        while (performance.now() < deadlineMs) {
          const done = await thread.run(seed++); // not `steps += await …`: that reads `steps` before waiting, losing the other threads' steps
          steps += done;
        }
      }),
    );
    const elapsedMs = performance.now() - startMs;
    const cpu = process.cpuUsage(startCpu);
    return { stepsPerSec: (steps * 1000) / elapsedMs, stepsPerCpuSec: (steps * 1e6) / (cpu.user + cpu.system) };
  } finally {
    await Promise.all(pool.map(async (thread) => thread.stop()));
  }
}
