// A seed's heartbeat, for a watchdog on another thread: a few 32-bit slots of shared memory that the
// thread running seeds writes as each step starts — which seed, which phase of it, which step — and
// that the thread watching reads without waiting on it. A run stuck in a step (an endless loop, planted
// or real) never yields its thread, so no message could say where it is; the slots still can.
import { FAILURE_KINDS, type FailureKind } from "./result.ts";

/** The phases of one seed (harness/seed.ts): its first run, fast-check's shrinking, the polish, the determinism re-run. */
export const SEED_PHASES = ["idle", "run", "shrink", "polish", "recheck"] as const;
export type SeedPhase = (typeof SEED_PHASES)[number];

const BEATS = 0;
const SEED = 1;
const SCENARIO = 2;
const PHASE = 3;
const STEP = 4;
/** The found failure's kind as its index in FAILURE_KINDS plus one: a fresh buffer's 0 is none. */
const FOUND_KIND = 5;
const FOUND_STEP = 6;
const SLOTS = 7;

/** What a pulse last said: the seed (and the caller's index of its scenario), its phase and step, and the failure its first run found, if any. */
export interface PulseReading {
  beats: number;
  seed: number;
  scenarioIndex: number;
  phase: SeedPhase;
  step: number;
  found: { kind: FailureKind; step: number } | null;
}

export class SeedPulse {
  private readonly slots: Int32Array;

  /** Over `buffer` (shared with the other thread), or a fresh one. */
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * Int32Array.BYTES_PER_ELEMENT)) {
    this.slots = new Int32Array(buffer);
  }

  /** A seed (of the scenario the caller numbers `scenarioIndex`) is about to run. */
  seedStarted(seed: number, scenarioIndex = 0): void {
    Atomics.store(this.slots, SEED, seed);
    Atomics.store(this.slots, SCENARIO, scenarioIndex);
    Atomics.store(this.slots, FOUND_KIND, 0);
    this.stepStarted("run", -1);
  }

  /** Step `i` of the list being run starts, in `phase`. */
  stepStarted(phase: SeedPhase, i: number): void {
    Atomics.store(this.slots, PHASE, SEED_PHASES.indexOf(phase));
    Atomics.store(this.slots, STEP, i);
    Atomics.add(this.slots, BEATS, 1);
  }

  /** The first run failed, with `kind` at step `step` (what shrinking then works on). */
  found(kind: FailureKind, step: number): void {
    Atomics.store(this.slots, FOUND_STEP, step);
    Atomics.store(this.slots, FOUND_KIND, FAILURE_KINDS.indexOf(kind) + 1);
  }

  read(): PulseReading {
    const foundKind = FAILURE_KINDS[Atomics.load(this.slots, FOUND_KIND) - 1];
    return {
      beats: Atomics.load(this.slots, BEATS),
      seed: Atomics.load(this.slots, SEED),
      scenarioIndex: Atomics.load(this.slots, SCENARIO),
      phase: SEED_PHASES[Atomics.load(this.slots, PHASE)] ?? "idle",
      step: Atomics.load(this.slots, STEP),
      found: foundKind === undefined ? null : { kind: foundKind, step: Atomics.load(this.slots, FOUND_STEP) },
    };
  }
}
