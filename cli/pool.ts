// Running many seeds on every core: a pool of worker threads, each taking the next seed as soon as it
// is free. Results are handed on as they arrive (whoever writes them sorts by seed, so nothing depends
// on the worker count). The caller may stop the feeding (a budget spent, enough failures) and let the
// seeds in flight finish, or abort, which ends the workers at once and drops what was in flight.
// A canary scenario's mutant is planted in whichever thread runs the seeds (cli/canary.ts).
import { Worker } from "node:worker_threads";
import { runSeed, type SeedResult } from "../harness/seed.ts";
import type { Scenario } from "../harness/scenario.ts";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";
import { plantCanary } from "./canary.ts";

export interface PoolOptions {
  /** Scenario name or path, as the workers load it themselves. */
  scenarioRef: string;
  scenario: Scenario;
  stepsMax: number;
  workers: number;
  /** Seeds to run twice, comparing their traces (runSeed's checkDeterminism). */
  recheck: (seed: number) => boolean;
  /** Asked before each seed is started; false stops the feeding. */
  keepGoing: () => boolean;
  /** Aborting ends the workers at once; seeds in flight are not reported. */
  signal: AbortSignal;
  /** The crypto backend the workers' worlds seal with (`scenario` already carries it for this thread). */
  crypto: CryptoBackendName;
}

/** The worker's script: the built one beside the built pool (dist/worker.cjs), or the tsx shim when running from sources. */
export const WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker.mjs" : "./worker.cjs", import.meta.url);

/**
 * A seed thread's young generation, in MiB (V8 splits it into two semispaces and a large-object part,
 * so 24 is 8 MiB semispaces, against V8's default of 16). A warm thread's young generation otherwise grows
 * to its default ceiling and stays there; capped, a 1,000-seed campaign on two workers peaked at
 * 210–225 MiB against 230–233, for the same CPU (27.1 / 24.4 / 28.1 s against 29.1 / 27.4 / 26.1,
 * three alternated pairs on 29 November 2026). The old generation is left to V8: the 512 and 1,024 MiB
 * limits tried before cost 6–12% of CPU (README, Memory).
 */
const YOUNG_GENERATION_MB = 24;

/** The resource limits of every thread that runs seeds (the fuzz pool's and the bench's). */
export const SEED_THREAD_LIMITS = { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Seeds to run, drawn one at a time (a campaign may be too large to list), and how many there are. */
export interface SeedSource {
  count: number;
  seeds: Iterator<number>;
}

/** Runs the seeds; `onResult` sees each result as it arrives. A harness error in any worker rejects. */
export async function runSeeds(source: SeedSource, options: PoolOptions, onResult: (r: SeedResult) => void): Promise<void> {
  const take = (): number | undefined => {
    const n = source.seeds.next();
    return n.done === true ? undefined : n.value;
  };
  if (options.workers <= 1) {
    const unplant = plantCanary(options.scenario);
    try {
      for (;;) {
        await nextTurn(); // lets signals and the progress timer in between seeds
        if (options.signal.aborted || !options.keepGoing()) return;
        const seed = take();
        if (seed === undefined) return;
        onResult(runSeed(options.scenario, seed, { stepsMax: options.stepsMax, checkDeterminism: options.recheck(seed) }));
      }
    } finally {
      unplant();
    }
  }
  if (source.count === 0) return;
  let inFlight = 0;
  const pool = Array.from(
    { length: Math.min(options.workers, source.count) },
    () =>
      new Worker(WORKER_URL, {
        workerData: { scenario: options.scenarioRef, stepsMax: options.stepsMax, crypto: options.crypto },
        resourceLimits: SEED_THREAD_LIMITS,
      }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const settleIfIdle = () => inFlight === 0 && resolve();
      const feed = (worker: Worker) => {
        const seed = options.signal.aborted || !options.keepGoing() ? undefined : take();
        if (seed === undefined) return settleIfIdle();
        inFlight++;
        worker.postMessage({ seed, checkDeterminism: options.recheck(seed) });
      };
      options.signal.addEventListener("abort", () => resolve(), { once: true });
      for (const worker of pool) {
        worker.on("error", reject);
        worker.on("message", (message: { seed: number; result?: SeedResult; error?: string }) => {
          inFlight--;
          if (options.signal.aborted) return;
          if (message.error !== undefined || message.result === undefined)
            return reject(new Error(`seed ${message.seed}: ${message.error}`));
          onResult(message.result);
          feed(worker);
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
}
