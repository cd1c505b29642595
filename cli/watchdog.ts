// The watchdog of the threads that run seeds: a seed's thread beats on its pulse (harness/pulse.ts) as
// each step starts, and a thread whose pulse has not moved for the step timeout is stuck — an endless
// loop in a step, planted or real, which no check inside the thread can ever report. The watchdog
// tells its owner, who ends the thread, reports the seed as a hang and carries on with a new thread.
// So is one whose seed has run past the seed timeout though its pulse still moves: a step that is slow
// but finite, or a shrink that never ends, would otherwise hold its thread for the rest of the night.
// Wall-clock time: it decides only whether a seed hangs, never what a run does.
import type { Worker } from "node:worker_threads";
import { SeedPulse, type PulseReading } from "../harness/pulse.ts";

/** Longest a step may run, by default, before its seed is a hang: generous — a step takes milliseconds — so a busy machine never trips it. */
export const STEP_TIMEOUT_DEFAULT_MS = 60_000;

/** Longest a seed may run, by default, shrinking and all, before it is a hang: a seed takes well under a second, a shrink seconds. */
export const SEED_TIMEOUT_DEFAULT_MS = 600_000;

/** What ran out: the time a step may take, or the time a seed may. */
export type Timeout = "step" | "seed";

/** How often the pulses are read, in ms, at most: a hang is seen between the timeout and this much after it. */
const LOOK_EVERY_MAX_MS = 1_000;

interface Watched<T> {
  job: T;
  beats: number;
  /** Set once the pulse first moves after the job was given (the thread may still be loading). */
  movedMs: number | undefined;
  /** When the pulse first moved after the job was given: the seed's clock. */
  startedMs: number | undefined;
}

export class Watchdog<T> {
  private readonly watched = new Map<SeedPulse, Watched<T>>();
  private readonly timer: NodeJS.Timeout;

  /**
   * Calls `onStuck` with the job of a pulse that has not moved for `stepTimeoutMs`, or whose job began
   * more than `seedTimeoutMs` ago (and stops watching it).
   */
  constructor(
    private readonly stepTimeoutMs: number,
    private readonly onStuck: (job: T, where: PulseReading, timedOut: Timeout) => void,
    private readonly nowMs: () => number = Date.now,
    private readonly seedTimeoutMs = Number.POSITIVE_INFINITY,
  ) {
    this.timer = setInterval(() => this.look(), Math.max(10, Math.min(LOOK_EVERY_MAX_MS, stepTimeoutMs / 4)));
    this.timer.unref(); // the threads keep the process alive while they work; the watchdog never does
  }

  /** `pulse`'s thread has been given `job`: its clock starts at the first beat. */
  watch(pulse: SeedPulse, job: T): void {
    this.watched.set(pulse, { job, beats: pulse.read().beats, movedMs: undefined, startedMs: undefined });
  }

  /** `pulse`'s thread has finished its job. */
  release(pulse: SeedPulse): void {
    this.watched.delete(pulse);
  }

  stop(): void {
    clearInterval(this.timer);
    this.watched.clear();
  }

  private look(): void {
    const now = this.nowMs();
    for (const [pulse, w] of this.watched) {
      const reading = pulse.read();
      if (reading.beats !== w.beats) {
        w.beats = reading.beats;
        w.movedMs = now;
        w.startedMs ??= now;
      }
      const timedOut: Timeout | undefined =
        w.startedMs !== undefined && now - w.startedMs > this.seedTimeoutMs
          ? "seed"
          : w.movedMs !== undefined && now - w.movedMs > this.stepTimeoutMs
            ? "step"
            : undefined;
      if (timedOut !== undefined) {
        this.watched.delete(pulse);
        this.onStuck(w.job, reading, timedOut);
      }
    }
  }
}

/** A thread the watchdog watches: its worker and the pulse it beats on. */
export interface WatchedThread {
  worker: Worker;
  pulse: SeedPulse;
}

/**
 * Ends `thread`'s worker, which did not finish its job (stuck, or out of memory), unheard (a reply it sent
 * as it was ended is dropped), and puts in its place the one `startThread` starts on a fresh pulse; the
 * caller listens to the new worker.
 */
export function replaceThread(thread: WatchedThread, startThread: (pulse: SeedPulse) => Worker): void {
  const ended = thread.worker;
  ended.removeAllListeners();
  void ended.terminate();
  thread.pulse = new SeedPulse();
  thread.worker = startThread(thread.pulse);
}
