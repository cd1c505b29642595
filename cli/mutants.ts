// `kmsim mutants`: the harness held against its published mutant catalogue (mutants/). For each
// mutant, in a worker of its own, a campaign over its scenarios from a fixed seed range until the
// first failure or the budget; it reports killed or survived, seeds and wall time to the kill, the
// failure kind and the check that fired, and the shrunk repro's length. `kmsim list mutants` prints
// the catalogue.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { InputError } from "../protocol/input-error.ts";
import { SeedPulse, type PulseReading } from "../harness/pulse.ts";
import { CATALOGUE, mutantNamed } from "../mutants/catalogue.ts";
import { int, parse } from "./args.ts";
import { handsOn, runInCampaignProcess } from "./campaign-process.ts";
import { HEAP_LIMIT_MAX_MB, HEAP_LIMIT_MIN_MB, ranOutOfMemory } from "./heap-limit.ts";
import { endedHunt, huntedIn, type EndedSeed, type HuntOptions, type HuntResult } from "./hunt.ts";
import { IN_PROCESS, type Invocation } from "./invocation.ts";
import { loadScenario } from "./load.ts";
import { mutantsReport, mutantsTable } from "./mutants-report.ts";
import { hangResult, outOfMemoryResult } from "./unfinished.ts";
import { replaceThread, STEP_TIMEOUT_DEFAULT_MS, Watchdog, type WatchedThread } from "./watchdog.ts";

/**
 * A hunting thread's heap limit by default, in MiB: a hunt holds tens of MiB, and a mutant that fills the
 * heap reaches this in seconds, well inside the step timeout (V8's own 4 GiB takes minutes, near its end
 * all in collections, and the watchdog would end it first as a hang).
 */
const HUNT_HEAP_LIMIT_DEFAULT_MB = 256;

export const MUTANTS_HELP = `kmsim mutants [--only NAME] [--scenario S] [--seeds-per N] [--time-per D] [--step-timeout D]
              [--heap-limit MIB] [--workers W] [--no-shrink] [--json]

Plants each mutant of the catalogue (kmsim list mutants) in turn and hunts it: seeds 1..N of each
of its scenarios, taken in turn, until the general checks fail a seed (the kill) or the budget runs
out (a survivor: a gap in the harness). The killing seed is shrunk to measure its repro.

  --only NAME      one mutant
  --scenario S     hunt in this scenario instead of the mutant's own
  --seeds-per N    seeds per scenario at most [300]
  --time-per D     wall time per mutant at most, e.g. 60s or 2m [60s]
  --step-timeout D a step still running after D is a hang, the kill of a mutant that loops forever [60s]
  --heap-limit MIB each hunting thread's heap limit, ${HEAP_LIMIT_MIN_MB} to ${HEAP_LIMIT_MAX_MB}: a thread that reaches it is
                   ended, the kill (a crash, check out-of-memory) of a mutant that fills the heap [${HUNT_HEAP_LIMIT_DEFAULT_MB}]
  --workers W      worker threads [one per core]
  --no-shrink      do not shrink the killing seed (no repro sizes)
  --json           print {"mutants": [...], "killed", "total", "medianMsToKill", "medianReproSteps"}

With more than one thread the hunt runs in a child node process under the V8 flags of a campaign of
several workers (kmsim fuzz --help).

Exit: 0 every mutant killed, 1 a mutant survived, 2 bad input or usage, 3 internal error.`;

export const LIST_HELP = `kmsim list mutants [--json]

Prints the mutant catalogue: name, area, the scenarios each is hunted in, the failure kind expected
and the one-line description of the bug.`;

function duration(flag: string, value: string | boolean | undefined, fallbackMs: number, leastMs = 0): number {
  if (value === undefined) return fallbackMs;
  const m = typeof value === "string" ? /^(\d+)(ms|s|m)?$/.exec(value) : null;
  const ms = m === null ? NaN : Number(m[1]) * (m[2] === "ms" ? 1 : m[2] === "m" ? 60_000 : 1000);
  if (!(ms >= leastMs))
    throw new InputError(
      `kmsim mutants: --${flag} must be a duration${leastMs > 0 ? " above 0" : ""} like 500ms, 60s or 2m, not '${String(value)}'`,
    );
  return ms;
}

/** The worker's script: the built one beside the built CLI (dist/mutants-worker.cjs), or the tsx shim when running from sources. */
const MUTANTS_WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "./mutants-worker.mjs" : "./mutants-worker.cjs", import.meta.url);

/** One hunting thread, the pulse it beats on, and the mutant it is hunting since when. */
interface Lane extends WatchedThread {
  hunting: { name: string; sinceMs: number } | undefined;
}

/**
 * Hunts `names` on `workers` threads, each mutant applied inside the thread that runs its seeds; results
 * in the order given. A thread stuck in a step past the step timeout is ended and replaced, and its
 * mutant counted killed as a hang (cli/watchdog.ts).
 */
export async function huntAll(names: string[], scenario: string | null, options: HuntOptions, workers: number): Promise<HuntResult[]> {
  const scenarios = [...new Set(CATALOGUE.flatMap((m) => (scenario === null ? m.scenarios : [scenario])))];
  const results = new Map<string, HuntResult>();
  let next = 0;
  let settle: { resolve: () => void; reject: (e: unknown) => void } | undefined;
  const startThread = (pulse: SeedPulse) =>
    new Worker(MUTANTS_WORKER_URL, {
      workerData: { scenarios, scenario, options, pulse: pulse.buffer },
      resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb },
    });
  const done = (lane: Lane, name: string, result: HuntResult) => {
    lane.hunting = undefined;
    results.set(name, result);
    if (results.size === names.length) settle?.resolve();
    else feed(lane);
  };
  const feed = (lane: Lane) => {
    const name = names[next++];
    if (name === undefined) return;
    lane.hunting = { name, sinceMs: Date.now() };
    watchdog.watch(lane.pulse, lane);
    lane.worker.postMessage(name);
  };
  /** `lane`'s thread was ended where its pulse reads `where`: the hunt is killed as `ended` says, on a new thread. */
  const ended = (lane: Lane, where: PulseReading, stopped: EndedSeed) => {
    const hunting = lane.hunting;
    if (hunting === undefined) return;
    replaceThread(lane, startThread);
    start(lane);
    try {
      const mutant = mutantNamed(hunting.name);
      if (mutant === undefined) throw new Error(`no mutant ${hunting.name}`);
      const hunted = huntedIn(mutant, scenario);
      const loaded = new Map(hunted.scenarios.map((s) => [s, loadScenario(s)]));
      done(lane, hunting.name, endedHunt(hunted, loaded, options, where, Date.now() - hunting.sinceMs, stopped));
    } catch (e) {
      settle?.reject(e);
    }
  };
  const start = (lane: Lane) => {
    lane.worker.on("error", (e) => {
      if (lane.hunting === undefined || !ranOutOfMemory(e)) return settle?.reject(e);
      watchdog.release(lane.pulse);
      ended(lane, lane.pulse.read(), outOfMemoryResult);
    });
    lane.worker.on("message", (message: { name: string; result?: HuntResult; error?: string }) => {
      watchdog.release(lane.pulse);
      if (message.result === undefined) return settle?.reject(new Error(`mutant ${message.name}: ${message.error}`));
      done(lane, message.name, message.result);
    });
  };
  const watchdog = new Watchdog<Lane>(options.stepTimeoutMs, (lane, where) =>
    ended(lane, where, (s, seed, stepsMax, at) => hangResult(s, seed, stepsMax, at, options.stepTimeoutMs)),
  );
  const lanes: Lane[] = Array.from({ length: Math.min(workers, names.length) }, () => {
    const pulse = new SeedPulse();
    return { worker: startThread(pulse), pulse, hunting: undefined };
  });
  try {
    await new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
      for (const lane of lanes) {
        start(lane);
        feed(lane);
      }
    });
  } finally {
    watchdog.stop();
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }
  return names.map((n) => results.get(n)!);
}

export async function mutantsMain(argv: string[], invocation: Invocation = IN_PROCESS): Promise<number> {
  const { values } = parse("mutants", argv, {
    only: { type: "string" },
    scenario: { type: "string" },
    "seeds-per": { type: "string" },
    "time-per": { type: "string" },
    "step-timeout": { type: "string" },
    "heap-limit": { type: "string" },
    workers: { type: "string" },
    "no-shrink": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help === true) return (void console.log(MUTANTS_HELP), 0);
  const only = typeof values.only === "string" ? values.only : undefined;
  if (only !== undefined && mutantNamed(only) === undefined)
    throw new InputError(`kmsim mutants: --only: no mutant '${only}' (see kmsim list mutants)`);
  const scenario = typeof values.scenario === "string" ? values.scenario : null;
  if (scenario !== null && loadScenario(scenario).canary !== undefined)
    // a bad name is the user's mistake, said by loadScenario; a canary already plants a bug of its own
    throw new InputError(
      `kmsim mutants: --scenario ${scenario}: a canary scenario plants a mutant of its own; hunt in one that plants none`,
    );
  const options: HuntOptions = {
    first: 1,
    seedsPer: int("mutants", "seeds-per", values["seeds-per"], 300, 1),
    timePerMs: duration("time-per", values["time-per"], 60_000),
    stepTimeoutMs: duration("step-timeout", values["step-timeout"], STEP_TIMEOUT_DEFAULT_MS, 1),
    heapLimitMb: int("mutants", "heap-limit", values["heap-limit"], HUNT_HEAP_LIMIT_DEFAULT_MB, HEAP_LIMIT_MIN_MB, HEAP_LIMIT_MAX_MB),
    shrink: values["no-shrink"] !== true,
  };
  const workers = int("mutants", "workers", values.workers, availableParallelism(), 1);
  const names = only !== undefined ? [only] : CATALOGUE.map((m) => m.name);
  // Several hunting threads at once: as a campaign of several workers, under the campaign's V8 flags.
  if (handsOn(invocation, Math.min(workers, names.length))) return runInCampaignProcess();
  const report = mutantsReport(await huntAll(names, scenario, options, workers));
  console.log(values.json === true ? JSON.stringify(report, null, 2) : mutantsTable(report));
  return report.killed === report.total ? 0 : 1;
}

export function listMain(argv: string[]): number {
  const { values, positionals } = parse("list", argv, { json: { type: "boolean" } }, 1);
  if (values.help === true) return (void console.log(LIST_HELP), 0);
  if (positionals[0] !== "mutants") throw new InputError(`kmsim list: what to list? (known: mutants; see kmsim list --help)`);
  const rows = CATALOGUE.map(({ name, area, description, scenarios, expected }) => ({ name, area, scenarios, expected, description }));
  if (values.json === true) console.log(JSON.stringify({ mutants: rows, total: rows.length }, null, 2));
  else
    console.log(
      rows
        .map(
          (r) =>
            `${r.name.padEnd(40)} ${r.area.padEnd(30)} ${r.scenarios.join(",").padEnd(18)} ${r.expected.kind.padEnd(9)} ${r.description}`,
        )
        .join("\n"),
    );
  return 0;
}
