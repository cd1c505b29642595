// Running many seeds on every core: a pool of worker threads, each taking the next seed as soon as it
// is free. Results are handed on as they arrive (whoever writes them sorts by seed, so nothing depends
// on the worker count). The caller may stop the feeding (a budget spent, enough failures) and let the
// seeds in flight finish, or abort, which ends the workers at once and drops what was in flight. A
// watchdog ends a thread stuck in a step and reports its seed as a hang (cli/watchdog.ts); a thread that
// runs out of memory has its seed reported as a crash of check out-of-memory, and is replaced the same way.
// A canary scenario's mutant is planted in every thread that runs the seeds (cli/canary.ts).
import { Worker } from "node:worker_threads";
import { SeedPulse } from "../harness/pulse.ts";
import type { SeedResult } from "../harness/seed.ts";
import type { Scenario } from "../harness/scenario.ts";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";
import { plantCanary } from "./canary.ts";
import { ranOutOfMemory } from "./heap-limit.ts";
import { hangResult, outOfMemoryResult, runSeedOrCrash } from "./unfinished.ts";
import { replaceThread, Watchdog, type WatchedThread } from "./watchdog.ts";

export interface PoolOptions extends SeedThreadSpec {
  /** The scenario `scenarioRef` names, as loaded here (a hang's report draws its list from it). */
  scenario: Scenario;
  workers: number;
  /**
   * Longest a step may run, in wall-clock ms, before its seed is a hang and its thread is replaced; null
   * for no watchdog, and then one worker runs its seeds on this thread (for a debugger or a profiler).
   */
  stepTimeoutMs: number | null;
  /** Longest a seed may run in all, in wall-clock ms, before it is a hang (watched with the step timeout); absent for no limit. */
  seedTimeoutMs?: number;
  /** Seeds to run twice, comparing their traces (runSeed's checkDeterminism). */
  recheck: (seed: number) => boolean;
  /** Asked before each seed is started; false stops the feeding. */
  keepGoing: () => boolean;
  /** Aborting ends the workers at once; seeds in flight are not reported. */
  signal: AbortSignal;
}

/** The worker's script: the built one beside the built pool (dist/worker.cjs), or the tsx shim when running from sources. */
const WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./worker.mjs" : "./worker.cjs", import.meta.url);

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

/** Seeds to run, drawn one at a time (a campaign may be too large to list), and how many there are. */
export interface SeedSource {
  count: number;
  seeds: Iterator<number>;
}

/** What a seed thread is started with (cli/worker.ts): the scenario as it loads it, the list's length and the crypto backend. */
export interface SeedThreadSpec {
  scenarioRef: string;
  stepsMax: number;
  crypto: CryptoBackendName;
  /** The thread's old-generation heap limit in MiB; absent, V8's own (about 4 GiB on 64-bit). */
  heapLimitMb?: number;
}

/** A thread that runs seeds (cli/worker.ts), beating on `pulse`. */
export function startSeedThread(spec: SeedThreadSpec, pulse: SeedPulse = new SeedPulse()): Worker {
  const { scenarioRef, stepsMax, crypto, heapLimitMb } = spec;
  return new Worker(WORKER_URL, {
    workerData: { scenario: scenarioRef, stepsMax, crypto, pulse: pulse.buffer },
    resourceLimits: heapLimitMb === undefined ? SEED_THREAD_LIMITS : { ...SEED_THREAD_LIMITS, maxOldGenerationSizeMb: heapLimitMb },
  });
}

/** One thread of the pool, and the seed it is running. */
interface Lane extends WatchedThread {
  seed: number | undefined;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The seeds on this thread, one after another, with the scenario's canary planted here: no watchdog can end them. */
async function runHere(take: () => number | undefined, options: PoolOptions, onResult: (r: SeedResult) => void): Promise<void> {
  const unplant = plantCanary(options.scenario);
  try {
    for (;;) {
      await nextTurn(); // lets signals and the progress timer in between seeds
      const seed = take();
      if (seed === undefined) return;
      onResult(runSeedOrCrash(options.scenario, seed, { stepsMax: options.stepsMax, checkDeterminism: options.recheck(seed) }));
    }
  } finally {
    unplant();
  }
}

/**
 * Runs the seeds; `onResult` sees each result as it arrives. A seed whose run throws outside the virtual
 * world is reported as a crash of the harness, one whose step runs past `stepTimeoutMs` as a hang, and
 * one whose thread runs out of memory as a crash of check out-of-memory, its thread replaced
 * (cli/unfinished.ts); a thread that fails otherwise rejects. With a watchdog, seeds run on threads even
 * one at a time: only another thread can end a stuck one.
 */
export async function runSeeds(source: SeedSource, options: PoolOptions, onResult: (r: SeedResult) => void): Promise<void> {
  const take = (): number | undefined => {
    if (options.signal.aborted || !options.keepGoing()) return undefined;
    const n = source.seeds.next();
    return n.done === true ? undefined : n.value;
  };
  if (options.stepTimeoutMs === null && options.workers <= 1) return runHere(take, options, onResult);
  if (source.count === 0) return;
  const stepTimeoutMs = options.stepTimeoutMs;
  const seedTimeoutMs = options.seedTimeoutMs ?? Number.POSITIVE_INFINITY;
  const lanes: Lane[] = [];
  let inFlight = 0;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  const settleIfIdle = () => inFlight === 0 && settle?.resolve();
  /** Hands a result on; what making it or the receiver throws (a report it could not write) ends the run. */
  const deliver = (result: () => SeedResult): boolean => {
    try {
      onResult(result());
      return true;
    } catch (e) {
      settle?.reject(e);
      return false;
    }
  };
  const feed = (lane: Lane) => {
    const seed = take();
    if (seed === undefined) return settleIfIdle();
    inFlight++;
    lane.seed = seed;
    watchdog?.watch(lane.pulse, lane);
    lane.worker.postMessage({ seed, checkDeterminism: options.recheck(seed) });
  };
  /** Ends `lane`'s thread, which did not finish `seed`, starts another, and reports the seed as `result` says. */
  const replace = (lane: Lane, seed: number, result: () => SeedResult) => {
    replaceThread(lane, (pulse) => startSeedThread(options, pulse));
    start(lane);
    inFlight--;
    lane.seed = undefined;
    if (deliver(result)) feed(lane);
  };
  const start = (lane: Lane) => {
    lane.worker.on("error", (e) => {
      const seed = lane.seed;
      if (seed === undefined || options.signal.aborted || !ranOutOfMemory(e)) return settle?.reject(e);
      watchdog?.release(lane.pulse);
      const read = lane.pulse.read();
      // A pulse still on an earlier seed: this one ran out before its first beat (drawing its list).
      const where = read.seed === seed ? read : { ...read, step: -1 };
      replace(lane, seed, () => outOfMemoryResult(options.scenario, seed, options.stepsMax, where));
    });
    lane.worker.on("message", (message: { seed: number; result: SeedResult }) => {
      inFlight--;
      lane.seed = undefined;
      watchdog?.release(lane.pulse);
      if (options.signal.aborted) return;
      if (deliver(() => message.result)) feed(lane);
    });
  };
  const watchdog =
    stepTimeoutMs === null
      ? undefined
      : new Watchdog<Lane>(
          stepTimeoutMs,
          (lane, where, timedOut) => {
            const seed = lane.seed;
            if (seed === undefined || options.signal.aborted) return;
            const timeoutMs = timedOut === "step" ? stepTimeoutMs : seedTimeoutMs;
            replace(lane, seed, () => hangResult(options.scenario, seed, options.stepsMax, where, timeoutMs, timedOut));
          },
          Date.now,
          seedTimeoutMs,
        );
  for (let i = 0; i < Math.min(options.workers, source.count); i++) {
    const pulse = new SeedPulse();
    lanes.push({ worker: startSeedThread(options, pulse), pulse, seed: undefined });
  }
  try {
    await new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
      options.signal.addEventListener("abort", () => resolve(), { once: true });
      for (const lane of lanes) {
        start(lane);
        feed(lane);
      }
    });
  } finally {
    watchdog?.stop();
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
}
