// The watchdog of the seed threads (cli/watchdog.ts), on a clock the test moves: a thread whose pulse
// stops for longer than the step timeout is reported once, with where it stopped; one that keeps
// beating, one still loading (no beat since its job was given) and one released are never reported —
// unless a seed timeout is set and the beating seed runs past it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SeedPulse } from "../../harness/pulse.ts";
import { Watchdog, type Timeout } from "../../cli/watchdog.ts";
import type { PulseReading } from "../../harness/pulse.ts";

const TIMEOUT_MS = 4_000;

describe("the watchdog", () => {
  let stuck: { job: string; where: PulseReading; timedOut: Timeout }[];
  let dog: Watchdog<string>;

  beforeEach(() => {
    vi.useFakeTimers();
    stuck = [];
    dog = new Watchdog<string>(
      TIMEOUT_MS,
      (job, where, timedOut) => stuck.push({ job, where, timedOut }),
      () => Date.now(),
    );
  });
  afterEach(() => {
    dog.stop();
    vi.useRealTimers();
  });

  it("reports a pulse stopped past the timeout once, with the step it stopped in", () => {
    const pulse = new SeedPulse();
    dog.watch(pulse, "seed 9");
    pulse.seedStarted(9);
    pulse.stepStarted("run", 12);
    vi.advanceTimersByTime(TIMEOUT_MS); // its first beat is seen, then nothing moves for the timeout
    expect(stuck).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ job: "seed 9", where: { seed: 9, phase: "run", step: 12 }, timedOut: "step" });
    vi.advanceTimersByTime(10 * TIMEOUT_MS);
    expect(stuck).toHaveLength(1);
  });

  it("leaves alone a pulse that beats, one that has not begun, and one released", () => {
    const beating = new SeedPulse();
    const loading = new SeedPulse();
    const released = new SeedPulse();
    dog.watch(beating, "beating");
    dog.watch(loading, "loading");
    dog.watch(released, "released");
    released.seedStarted(1);
    for (let i = 0; i < 20; i++) {
      beating.stepStarted("shrink", i);
      vi.advanceTimersByTime(TIMEOUT_MS / 2);
      if (i === 1) dog.release(released);
    }
    expect(stuck).toEqual([]);
  });

  it("watches a pulse afresh for each job it is given", () => {
    const pulse = new SeedPulse();
    dog.watch(pulse, "first");
    pulse.seedStarted(1);
    vi.advanceTimersByTime(1_000);
    dog.release(pulse);
    vi.advanceTimersByTime(3 * TIMEOUT_MS); // idle between jobs: not a hang
    dog.watch(pulse, "second");
    vi.advanceTimersByTime(3 * TIMEOUT_MS); // given, not begun: not a hang either
    expect(stuck).toEqual([]);
    pulse.seedStarted(2);
    vi.advanceTimersByTime(3 * TIMEOUT_MS);
    expect(stuck.map((s) => s.job)).toEqual(["second"]);
  });

  it("reports a seed that beats on past the seed timeout once, from its first beat", () => {
    dog.stop();
    dog = new Watchdog<string>(
      TIMEOUT_MS,
      (job, where, timedOut) => stuck.push({ job, where, timedOut }),
      () => Date.now(),
      5 * TIMEOUT_MS,
    );
    const pulse = new SeedPulse();
    dog.watch(pulse, "slow seed");
    vi.advanceTimersByTime(3 * TIMEOUT_MS); // loading: the seed's clock has not started
    pulse.seedStarted(4);
    for (let i = 0; i < 16; i++) {
      pulse.stepStarted("shrink", i); // each step finishes well inside the step timeout
      vi.advanceTimersByTime(TIMEOUT_MS / 4);
    }
    expect(stuck).toEqual([]);
    for (let i = 16; i < 24; i++) {
      pulse.stepStarted("shrink", i);
      vi.advanceTimersByTime(TIMEOUT_MS / 4);
    }
    expect(stuck).toHaveLength(1);
    expect(stuck[0]).toMatchObject({ job: "slow seed", where: { seed: 4, phase: "shrink" }, timedOut: "seed" });
  });
});
