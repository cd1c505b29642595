// Running many seeds on every core: a pool of worker threads, each taking the next seed as soon as it
// is free. Results come back in any order and are handed on in seed order, so what a campaign writes
// does not depend on how many workers ran it.
import { Worker } from "node:worker_threads";
import { runSeed, type SeedResult } from "../harness/seed.ts";
import type { Scenario } from "../harness/scenario.ts";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";

export interface PoolOptions {
  /** Scenario name or path, as the workers load it themselves. */
  scenarioRef: string;
  scenario: Scenario;
  stepsMax: number;
  workers: number;
  /** The crypto backend the workers' worlds seal with (`scenario` already carries it for this thread). */
  crypto: CryptoBackendName;
}

/** The worker's script: the built one beside the built pool (dist/worker.js), or the tsx shim when running from sources. */
export const WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker.mjs" : "./worker.js", import.meta.url);

/** Runs `seeds`; `onResult` sees each result in seed order. A harness error in any worker rejects. */
export async function runSeeds(seeds: number[], options: PoolOptions, onResult: (r: SeedResult) => void): Promise<SeedResult[]> {
  if (options.workers <= 1 || seeds.length <= 1) {
    return seeds.map((seed) => {
      const result = runSeed(options.scenario, seed, { stepsMax: options.stepsMax });
      onResult(result);
      return result;
    });
  }
  const done = new Map<number, SeedResult>();
  const ordered: SeedResult[] = [];
  let nextSeedIndex = 0;
  let nextToHandOn = 0;
  const pool = Array.from(
    { length: Math.min(options.workers, seeds.length) },
    () =>
      new Worker(WORKER_URL, {
        workerData: { scenario: options.scenarioRef, stepsMax: options.stepsMax, crypto: options.crypto },
      }),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (worker: Worker) => {
        const seed = seeds[nextSeedIndex++];
        if (seed !== undefined) worker.postMessage(seed);
      };
      for (const worker of pool) {
        worker.on("error", reject);
        worker.on("message", (message: { seed: number; result?: SeedResult; error?: string }) => {
          if (message.error !== undefined || message.result === undefined)
            return reject(new Error(`seed ${message.seed}: ${message.error}`));
          done.set(message.seed, message.result);
          while (nextToHandOn < seeds.length && done.has(seeds[nextToHandOn]!)) {
            const result = done.get(seeds[nextToHandOn++]!)!;
            ordered.push(result);
            onResult(result);
          }
          if (ordered.length === seeds.length) resolve();
          else feed(worker);
        });
        feed(worker);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return ordered;
}
