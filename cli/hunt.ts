// Hunting one mutant: apply it in this process, run seeds of its scenarios in turn (seed 1 of each,
// then seed 2 …) until one fails or the budget — seeds per scenario, wall time — runs out, then undo
// it. The failing seed is shrunk once more to measure its repro. Wall-clock time is read here only,
// to report how long the kill took; it never reaches a run.
import { addSamples, poolExceeded, type LatencyPool } from "../harness/latency-pool.ts";
import type { Scenario } from "../harness/scenario.ts";
import { SeedPulse, type PulseReading } from "../harness/pulse.ts";
import type { Mutant } from "../mutants/catalogue.ts";
import type { SeedResult } from "../harness/seed.ts";
import { runSeedOrCrash } from "./unfinished.ts";

export interface HuntOptions {
  /** First seed of each scenario's range. */
  first: number;
  /** Seeds per scenario at most. */
  seedsPer: number;
  /** Wall time per mutant at most, in ms (checked between seeds). */
  timePerMs: number;
  /** Shrink the killing seed to measure the repro's length. */
  shrink: boolean;
  /** Longest a step may run before its seed is a hang, the kill of a mutant that makes the KMS loop forever (cli/watchdog.ts). */
  stepTimeoutMs: number;
  /** Each hunting thread's heap limit in MiB: a mutant that fills the heap is killed as a crash of check out-of-memory. */
  heapLimitMb: number;
}

export interface HuntResult {
  name: string;
  area: string;
  killed: boolean;
  /** Where it was killed (or null). */
  scenario: string | null;
  seed: number | null;
  /** Seeds run until the kill, counting every scenario's. */
  seedsToKill: number | null;
  msToKill: number | null;
  kind: string | null;
  check: string | null;
  /** Steps in the shrunk repro (null when not shrunk or not killed). */
  reproSteps: number | null;
  message: string | null;
  expected: Mutant["expected"];
  /** Seeds run in all, and the last seed reached per scenario (so the unmutated world can be held to the same range). */
  seedsRun: number;
  lastSeed: Record<string, number>;
}

/** Kinds that count as a kill: a finding of the checks (model-limit is a limit of the harness, not one). */
const KILLING = new Set(["mismatch", "invariant", "budget", "liveness", "crash", "hang"]);

/** `mutant` as hunted: in its own scenarios, or in `scenario` alone when one is given. */
export function huntedIn(mutant: Mutant, scenario: string | null): Mutant {
  return scenario === null ? mutant : { ...mutant, scenarios: [scenario] };
}

function emptyResult(mutant: Mutant): HuntResult {
  return {
    name: mutant.name,
    area: mutant.area,
    killed: false,
    scenario: null,
    seed: null,
    seedsToKill: null,
    msToKill: null,
    kind: null,
    check: null,
    reproSteps: null,
    message: null,
    expected: mutant.expected,
    seedsRun: 0,
    lastSeed: {},
  };
}

/**
 * Hunts `mutant` in this thread; each seed beats on `pulse` (harness/pulse.ts), naming the seed and the
 * index of its scenario in `mutant.scenarios`, for the watchdog of the thread that started this one.
 */
export function hunt(mutant: Mutant, scenarios: ReadonlyMap<string, Scenario>, options: HuntOptions, pulse = new SeedPulse()): HuntResult {
  const result = emptyResult(mutant);
  const undo = mutant.apply();
  try {
    const startedMs = Date.now();
    const latency = new Map<string, LatencyPool>();
    for (let seed = options.first; seed < options.first + options.seedsPer; seed++) {
      for (const [index, name] of mutant.scenarios.entries()) {
        const scenario = scenarios.get(name);
        if (scenario === undefined) throw new Error(`mutant ${mutant.name}: no scenario ${name}`);
        pulse.seedStarted(seed, index);
        const run = runSeedOrCrash(scenario, seed, { stepsMax: scenario.campaign.stepsDefault, shrink: false, pulse });
        result.seedsRun += 1;
        result.lastSeed[name] = seed;
        const pool = addSamples(latency.get(name) ?? {}, run.latency);
        latency.set(name, pool);
        // The campaign's percentiles so far, as `kmsim fuzz` judges them over its seeds.
        const campaign = run.verdict === "pass" ? poolExceeded(pool) : undefined;
        if (campaign !== undefined) {
          Object.assign(result, { killed: true, scenario: name, seed, seedsToKill: result.seedsRun, msToKill: Date.now() - startedMs });
          return Object.assign(result, { kind: "budget", check: campaign.check, message: campaign.message });
        }
        if (run.verdict !== "fail" || run.kind === null || !KILLING.has(run.kind)) continue;
        Object.assign(result, {
          killed: true,
          scenario: name,
          seed,
          seedsToKill: result.seedsRun,
          msToKill: Date.now() - startedMs,
          kind: run.kind,
          check: run.failure?.check ?? null,
          message: run.failure?.message.split("\n")[0] ?? null,
        });
        if (options.shrink) {
          pulse.seedStarted(seed, index);
          const shrunk = runSeedOrCrash(scenario, seed, { stepsMax: scenario.campaign.stepsDefault, pulse });
          result.reproSteps = shrunk.shrunk?.steps.length ?? shrunk.steps;
        }
        return result;
      }
      if (Date.now() - startedMs > options.timePerMs) break;
    }
    return result;
  } finally {
    undo();
  }
}

/** The result of a seed whose thread was ended where `where` says (cli/unfinished.ts: a hang, or out of memory). */
export type EndedSeed = (scenario: Scenario, seed: number, stepsMax: number, where: PulseReading) => SeedResult;

/**
 * The hunt of `mutant` whose thread was ended in a step of the seed and scenario `where` names, after
 * `msToKill`: a kill of the kind `ended` makes of that seed (a hang, or a crash when it ran out of
 * memory), the seeds before it counted as run.
 */
export function endedHunt(
  mutant: Mutant,
  scenarios: ReadonlyMap<string, Scenario>,
  options: HuntOptions,
  where: PulseReading,
  msToKill: number,
  ended: EndedSeed,
): HuntResult {
  const name = mutant.scenarios[where.scenarioIndex];
  const scenario = name === undefined ? undefined : scenarios.get(name);
  if (name === undefined || scenario === undefined)
    throw new Error(`mutant ${mutant.name}: no scenario ${where.scenarioIndex} of its hunt`);
  const result = emptyResult(mutant);
  const before = where.seed - options.first; // rounds of every scenario done before this seed
  for (const [index, other] of mutant.scenarios.entries()) {
    const last = index <= where.scenarioIndex ? where.seed : where.seed - 1;
    if (last >= options.first) result.lastSeed[other] = last;
  }
  result.seedsRun = before * mutant.scenarios.length + where.scenarioIndex + 1;
  const stopped = ended(scenario, where.seed, scenario.campaign.stepsDefault, where);
  return Object.assign(result, {
    killed: true,
    scenario: name,
    seed: where.seed,
    seedsToKill: result.seedsRun,
    msToKill,
    kind: stopped.kind,
    check: stopped.failure?.check ?? null,
    message: stopped.failure?.message ?? null,
    reproSteps: options.shrink ? (stopped.shrunk?.steps.length ?? null) : null,
  });
}
