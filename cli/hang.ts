// A seed the watchdog found stuck (cli/watchdog.ts), as a campaign reports it: a failure of kind `hang`
// that names the step it hung in, from where its pulse stopped. When it hung on its first run, the
// repro is the generated list up to and including that step — the same world up to there, so
// `kmsim replay` hangs at that step as the seed did, ready for a profiler or a debugger.
import { generatedSteps, swarmOf, type SeedResult } from "../harness/seed.ts";
import type { PulseReading } from "../harness/pulse.ts";
import type { Failure } from "../harness/result.ts";
import type { Scenario } from "../harness/scenario.ts";
import type { Step } from "../protocol/step.ts";
import { describeStep } from "../reports/failure.ts";

/** The check a hang names: the only one that fires outside the thread that ran the seed. */
export const HANG_CHECK = "step-timeout";

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Where in the seed the pulse stopped, in words, and the prefix that reaches it (when the first run hung). */
function whereItHung(steps: readonly Step[], where: PulseReading): { said: string; prefix?: Step[] } {
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

/** The result of a seed of `scenario` whose thread was ended when its pulse had not moved for `stepTimeoutMs`. */
export function hangResult(scenario: Scenario, seed: number, stepsMax: number, where: PulseReading, stepTimeoutMs: number): SeedResult {
  const limit = `ran past the ${seconds(stepTimeoutMs)} step timeout (--step-timeout), and its thread was ended`;
  const empty = {
    scenario: scenario.name,
    seed,
    swarm: swarmOf(scenario, seed),
    verdict: "fail",
    kind: "hang",
    traceHash: "",
    probes: {},
    durationsUs: {},
    latency: {},
  } as const;
  if (where.step < 0) {
    // Before the first step: the list being drawn, or the world being built. Drawing it again here could hang this thread too.
    const failure: Failure = {
      kind: "hang",
      check: HANG_CHECK,
      message: `before its first step (drawing its Step list or building its world), the seed ${limit}`,
    };
    return { ...empty, steps: 0, failure };
  }
  const steps = generatedSteps(scenario, seed, stepsMax);
  const { said, prefix } = whereItHung(steps, where);
  const step = prefix === undefined ? undefined : where.step;
  const failure: Failure = {
    kind: "hang",
    ...(step === undefined ? {} : { step }),
    check: HANG_CHECK,
    message: `${said} ${limit}`,
  };
  return {
    ...empty,
    steps: steps.length,
    failure,
    ...(prefix === undefined ? {} : { shrunk: { steps: prefix, failure, records: [], fastCheck: { seed, path: "", shrinks: 0 } } }),
  };
}
