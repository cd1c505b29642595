// Seeds that did not finish in their thread, as a campaign reports them, so that it goes on past them.
// One the watchdog found stuck (cli/watchdog.ts) is a failure of kind `hang` that names the step it hung
// in, from where its pulse stopped; when it hung on its first run, the repro is the generated list up to
// and including that step — the same world up to there, so `kmsim replay` hangs at that step as the seed
// did, ready for a profiler or a debugger. One whose thread ran out of memory (a step that fills the heap,
// or memory kept from seed to seed) is a `crash` of check `out-of-memory`, named and cut the same way from
// where its pulse stopped. One whose run threw outside the virtual world (the model, the harness, a state
// of the world they do not expect) is a `crash` of check `harness`, its repro the whole generated list,
// which `kmsim replay` runs to the same exception.
import { generatedSteps, runSeed, scenarioOfResult, swarmOf, type SeedOptions, type SeedResult } from "../harness/seed.ts";
import type { PulseReading } from "../harness/pulse.ts";
import type { Failure } from "../harness/result.ts";
import type { Scenario } from "../harness/scenario.ts";
import type { Step } from "../protocol/step.ts";
import { describeStep } from "../reports/failure.ts";
import { OUT_OF_MEMORY_CHECK } from "./heap-limit.ts";
import type { Timeout } from "./watchdog.ts";

/** The check a hang names: the only one that fires outside the thread that ran the seed. */
export const HANG_CHECK = "step-timeout";
/** The check of a hang whose steps each finished, but whose seed ran past the seed timeout. */
export const SEED_TIMEOUT_CHECK = "seed-timeout";
/** The check of a seed whose run threw outside the virtual world. */
export const HARNESS_CHECK = "harness";

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Where in the seed the pulse stopped, in words, and the prefix that reaches it (when it stopped in the first run). */
function whereItStopped(steps: readonly Step[], where: PulseReading): { said: string; prefix?: Step[] } {
  const found = where.found === null ? "" : `the ${where.found.kind} its first run found at step ${where.found.step}`;
  switch (where.phase) {
    case "run":
      if (where.step < steps.length)
        return {
          said: `step ${where.step} (${describeStep(steps[where.step]!)}) of its first run`,
          prefix: steps.slice(0, where.step + 1),
        };
      return { said: `settling step ${where.step} of its first run, after its ${steps.length} steps`, prefix: [...steps] };
    case "shrink":
      return { said: `step ${where.step} of a shorter list tried while shrinking ${found}` };
    case "polish":
      return { said: `step ${where.step} of a list tried while polishing ${found}` };
    case "recheck":
      return { said: `step ${where.step} of its determinism re-run, which its first run passed` };
    case "idle":
      return { said: "no step" };
  }
}

/** What every unfinished seed's result has: no trace, probes or latencies (they stayed in its thread). */
function unfinished(scenario: Scenario, seed: number) {
  return {
    ...scenarioOfResult(scenario),
    seed,
    swarm: swarmOf(scenario, seed),
    verdict: "fail",
    traceHash: "",
    probes: {},
    durationsUs: {},
    latency: {},
  } as const;
}

/** The repro of an unfinished seed: a list as drawn, not shrunk (fast-check's seed is the seed's own). */
function whole(seed: number, steps: Step[], failure: Failure): NonNullable<SeedResult["shrunk"]> {
  return { steps, failure, records: [], fastCheck: { seed, path: "", shrinks: 0 } };
}

/**
 * The result of a seed of `scenario` whose run threw `error` (its stack) outside the virtual world: a
 * crash of check `harness`, with the generated list as its repro when drawing it again does not throw.
 */
export function thrownResult(scenario: Scenario, seed: number, stepsMax: number, error: string): SeedResult {
  const failure: Failure = {
    kind: "crash",
    check: HARNESS_CHECK,
    message: `the harness threw, outside the virtual world (a bug in kmsim, or a state of the world it does not expect): ${error}`,
  };
  let steps: Step[] | undefined;
  try {
    steps = generatedSteps(scenario, seed, stepsMax);
  } catch {
    steps = undefined; // drawing the list is what threw: there is no list to give
  }
  return {
    ...unfinished(scenario, seed),
    kind: "crash",
    steps: steps?.length ?? 0,
    failure,
    ...(steps === undefined ? {} : { shrunk: whole(seed, steps, failure) }),
  };
}

/** runSeed, with what it throws (outside the virtual world, which its runs catch) as the seed's crash of the harness. */
export function runSeedOrCrash(scenario: Scenario, seed: number, options: SeedOptions): SeedResult {
  try {
    return runSeed(scenario, seed, options);
  } catch (e) {
    return thrownResult(scenario, seed, options.stepsMax, e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
}

/** How a seed's thread was ended: the failure it is reported as, and why, in words that follow where it stopped. */
interface Ending {
  kind: "hang" | "crash";
  check: string;
  /** E.g. "ran past the 60 s step timeout (--step-timeout), and its thread was ended". */
  why: string;
}

/** The result of a seed of `scenario` whose thread was ended (`ending`) when its pulse read `where`. */
function endedResult(scenario: Scenario, seed: number, stepsMax: number, where: PulseReading, ending: Ending): SeedResult {
  const { kind, check, why } = ending;
  const empty = { ...unfinished(scenario, seed), kind } as const;
  if (where.step < 0) {
    // Before the first step: the list being drawn, or the world being built. Drawing it again here could end this thread too.
    const failure: Failure = {
      kind,
      check,
      message: `before its first step (drawing its Step list or building its world), the seed ${why}`,
    };
    return { ...empty, steps: 0, failure };
  }
  const steps = generatedSteps(scenario, seed, stepsMax);
  const { said, prefix } = whereItStopped(steps, where);
  const step = prefix === undefined ? undefined : where.step;
  const failure: Failure = { kind, ...(step === undefined ? {} : { step }), check, message: `${said} ${why}` };
  return {
    ...empty,
    steps: steps.length,
    failure,
    ...(prefix === undefined ? {} : { shrunk: whole(seed, prefix, failure) }),
  };
}

/**
 * The result of a seed of `scenario` whose thread was ended when its pulse had not moved for `timeoutMs`
 * (`timedOut` "step"), or when the seed had run for `timeoutMs` though its pulse still moved ("seed").
 */
export function hangResult(
  scenario: Scenario,
  seed: number,
  stepsMax: number,
  where: PulseReading,
  timeoutMs: number,
  timedOut: Timeout = "step",
): SeedResult {
  const [check, why] =
    timedOut === "step"
      ? [HANG_CHECK, `ran past the ${seconds(timeoutMs)} step timeout (--step-timeout), and its thread was ended`]
      : [
          SEED_TIMEOUT_CHECK,
          `was running when the seed passed the ${seconds(timeoutMs)} seed timeout (--seed-timeout), each step before it finishing, and its thread was ended`,
        ];
  return endedResult(scenario, seed, stepsMax, where, { kind: "hang", check, why });
}

/**
 * The result of a seed of `scenario` whose thread ran out of memory when its pulse read `where`. Where it
 * ran is not said (the report is the same for any number of workers); if the repro passes alone, the
 * seeds its thread ran before kept memory they should have let go.
 */
export function outOfMemoryResult(scenario: Scenario, seed: number, stepsMax: number, where: PulseReading): SeedResult {
  const why =
    "ran its thread out of memory (past its heap limit, --heap-limit), and the thread was ended (if its repro passes alone, the seeds that thread ran before kept memory they should have let go)";
  return endedResult(scenario, seed, stepsMax, where, { kind: "crash", check: OUT_OF_MEMORY_CHECK, why });
}
