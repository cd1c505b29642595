// One seed, end to end: draw the swarm configuration, let fast-check generate the Step list from the
// same seed, run it through both sides, and on failure let fast-check shrink it to a minimal list that
// fails the same way, then polish it (polish.ts: fewest steps and faults, shortest pauses). The result
// carries everything a report and a repro file need.
import fc from "fast-check";
import { Prng } from "../sim/kernel/prng.ts";
import type { Scenario } from "./scenario.ts";
import { isCall, type Step } from "../protocol/step.ts";
import { canonicalJson } from "../protocol/canonical.ts";
import {
  EXECUTE_DEFAULTS,
  executeSteps,
  traceEntry,
  type ExecuteOptions,
  type Failure,
  type FailureKind,
  type RunResult,
  type StepRecord,
} from "./execute.ts";
import { emptyDictionary } from "./dictionary.ts";
import { drawSwarm, stepsArbitrary, type Swarm } from "./generate.ts";
import type { LatencySamples } from "./latency.ts";
import { polish } from "./polish.ts";
import { packedMap } from "../protocol/packed-map.ts";
import type { SeedPhase, SeedPulse } from "./pulse.ts";

export interface SeedOptions {
  /** Longest generated Step list, before shrinking. */
  stepsMax: number;
  /** Run the seed twice and fail with kind `nondeterminism` if the traces differ. */
  checkDeterminism?: boolean;
  /** Shrink a failure to a minimal Step list (default); off when only the verdict matters. */
  shrink?: boolean;
  /** Told where the seed is as each step starts, for a watchdog on another thread (the caller starts the seed on it). */
  pulse?: SeedPulse;
}

export interface SeedResult {
  seed: number;
  scenario: string;
  /** The scenario's file, when it was loaded by path (Scenario.file). */
  scenarioFile?: string;
  swarm: Swarm;
  verdict: "pass" | "fail";
  kind: FailureKind | null;
  /** Steps in the generated list. */
  steps: number;
  traceHash: string;
  failure?: Failure;
  probes: Record<string, number>;
  /** Each call's duration on the virtual clock, by operation, in the order the calls ran. */
  durationsUs: Record<string, number[]>;
  /** The run's latency samples per operation and fault condition, for campaign percentiles (harness/latency.ts). */
  latency: LatencySamples;
  /** Present on failure: the shrunk list, its failure, and fast-check's seed and path. */
  shrunk?: { steps: Step[]; failure: Failure; records: StepRecord[]; fastCheck: { seed: number; path: string; shrinks: number } };
}

/** The world's seed string for harness seed `seed`: every PRNG stream of the run descends from it. */
export function worldSeed(seed: number): string {
  return `kmsim:${seed}`;
}

/** The swarm configuration of seed `seed`: drawn from the world seed's own stream, before any step. */
export function swarmOf(scenario: Scenario, seed: number): Swarm {
  return drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm"));
}

/** The options of a run in `phase`: its steps beat on the pulse, if there is one. */
function inPhase(options: SeedOptions, phase: () => SeedPhase): ExecuteOptions {
  const pulse = options.pulse;
  return pulse === undefined ? EXECUTE_DEFAULTS : { ...EXECUTE_DEFAULTS, onStep: (i) => pulse.stepStarted(phase(), i) };
}

function generateAndRun(scenario: Scenario, seed: number, options: SeedOptions, swarm: Swarm, firstPhase: SeedPhase = "run") {
  const arbitrary = stepsArbitrary(scenario, swarm, options.stepsMax);
  let first: { steps: Step[]; result: RunResult } | undefined;
  let last: { steps: Step[]; result: RunResult } | undefined;
  let internal: unknown;
  const execute = inPhase(options, () => (first === undefined ? firstPhase : "shrink"));
  const property = fc.property(arbitrary, (steps) => {
    if (internal !== undefined) return true;
    let result: RunResult;
    try {
      result = executeSteps(scenario, worldSeed(seed), steps, execute);
    } catch (e) {
      internal = e; // a harness bug or bad input: reported as such, never shrunk as if it were a finding
      return true;
    }
    if (first === undefined) {
      first = { steps, result };
      if (result.failure !== undefined) options.pulse?.found(result.failure.kind, result.failure.step ?? -1);
    }
    if (options.shrink === false) return true;
    // Shrinking keeps only lists that fail the same way as the original.
    const failsAlike = result.verdict === "fail" && result.failure?.kind === first.result.failure?.kind;
    if (failsAlike) last = { steps, result };
    return !failsAlike;
  });
  const details = fc.check(property, { seed, numRuns: 1 });
  if (internal !== undefined) throw internal;
  if (first === undefined) throw new Error(`seed ${seed}: fast-check generated no Step list`);
  return { first, last, details };
}

/**
 * The Step list seed `seed` generates, without running it: the list its first run runs (fast-check's
 * first value for the seed, as generateAndRun draws it). For a watchdog naming the step a seed hung in.
 */
export function generatedSteps(scenario: Scenario, seed: number, stepsMax: number): Step[] {
  const swarm = swarmOf(scenario, seed);
  let steps: Step[] | undefined;
  fc.check(
    fc.property(stepsArbitrary(scenario, swarm, stepsMax), (drawn) => void (steps ??= drawn)),
    { seed, numRuns: 1 },
  );
  if (steps === undefined) throw new Error(`seed ${seed}: fast-check generated no Step list`);
  return steps;
}

function durationsByCall(records: readonly StepRecord[]): Record<string, number[]> {
  const out = emptyDictionary<number[]>(); // harness/dictionary.ts: each run calls in an order of its own
  for (const r of records) if (isCall(r.step)) (out[r.step.call] ??= []).push(r.durationUs);
  return out;
}

/** A seed's result's naming of its scenario: its name, and its file when it was loaded by path. */
export function scenarioOfResult(scenario: Scenario): Pick<SeedResult, "scenario" | "scenarioFile"> {
  return { scenario: scenario.name, ...(scenario.file === undefined ? {} : { scenarioFile: scenario.file }) };
}

export function runSeed(scenario: Scenario, seed: number, options: SeedOptions): SeedResult {
  const swarm = swarmOf(scenario, seed);
  const { first, last, details } = generateAndRun(scenario, seed, options, swarm);
  const original = first.result;
  const result: SeedResult = {
    seed,
    ...scenarioOfResult(scenario),
    swarm,
    verdict: original.verdict,
    kind: original.failure?.kind ?? null,
    steps: first.steps.length,
    traceHash: original.traceHash,
    ...(original.failure !== undefined ? { failure: original.failure } : {}),
    probes: original.probes,
    durationsUs: durationsByCall(original.records),
    latency: original.latency,
  };
  if (options.checkDeterminism === true && result.verdict === "pass") {
    const again = generateAndRun(scenario, seed, options, swarmOf(scenario, seed), "recheck").first;
    const entry = (r: StepRecord): string => canonicalJson(traceEntry(r));
    const a = packedMap([...original.records, ...original.settling], entry);
    const b = packedMap([...again.result.records, ...again.result.settling], entry);
    if (a.length !== b.length || a.some((entry, i) => entry !== b[i])) {
      const i = a.findIndex((entry, j) => entry !== b[j]);
      const at = i === -1 ? Math.min(a.length, b.length) : i;
      const failure: Failure = {
        kind: "nondeterminism",
        step: at,
        message: `two runs of seed ${seed} differ first at step ${at}: ${a[at] ?? "(missing)"} vs ${b[at] ?? "(missing)"}`,
      };
      return { ...result, verdict: "fail", kind: "nondeterminism", failure };
    }
  }
  if (result.verdict === "fail" && last !== undefined && last.result.failure !== undefined) {
    const execute = inPhase(options, () => "polish");
    const polished = polish(last.steps, last.result.failure, (steps) => executeSteps(scenario, worldSeed(seed), steps, execute)) ?? last;
    result.shrunk = {
      steps: polished.steps,
      failure: polished.result.failure!,
      records: polished.result.records,
      fastCheck: { seed: details.seed, path: details.counterexamplePath ?? "", shrinks: details.numShrinks },
    };
  }
  return result;
}
