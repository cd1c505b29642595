// `kmsim bench`: throughput of the crypto path — AES-256-GCM alone and through the virtual KMS, per
// backend and payload size —, authorization decisions and the harness, each against a baseline
// measured in the same run (node:crypto AES-256-GCM), and whether a campaign's memory grows with its
// seeds. Speed is only ever reported (median of rounds, with min and max), never judged: these
// machines are shared and noisy. Wall-clock time is allowed here and nowhere in a trace.
import { availableParallelism, loadavg } from "node:os";
import { InputError } from "../protocol/input-error.ts";
import { CRYPTO_BACKENDS, type CryptoBackendName } from "../sim/crypto/backend.ts";
import { int, parse } from "./args.ts";
import { handsOn, runInCampaignProcess } from "./campaign-process.ts";
import { loadScenario } from "./load.ts";
import { IN_PROCESS, type Invocation } from "./invocation.ts";
import { measureCodeFigures } from "./bench/code-figures.ts";
import { BASELINE_BYTES, baselineOp } from "./bench/crypto-paths.ts";
import { measureHarness } from "./bench/harness-rate.ts";
import { checkMemory } from "./bench/memory.ts";
import { printTable } from "./bench/table.ts";
import type { TimingOptions } from "./bench/timing.ts";

export const BENCH_HELP = `kmsim bench [--sizes 32,1024,4096] [--crypto noble|node|all] [--scenario S] [--millis MS] [--quick] [--json]

Measures, in one run, against a baseline measured in the same run (node:crypto AES-256-GCM encrypt +
decrypt of 1 KiB, in pairs per second):
  - AES-256-GCM alone ("raw") and Encrypt, Decrypt and GenerateDataKey through the virtual KMS hot path
    (a CloudHSM key, over the simulated network to a virtual HSM), per backend and size, in ops/s and
    MB/s, and the hot-path overhead: raw ops/s over KMS ops/s, same backend and size; measured, with
    the decisions below, on a thread built as the seed threads are, so of the code a campaign runs;
  - authorization decisions (virtual KMS cached and with Conditions; the model);
  - the harness (both sides, every check) in steps/s on worker threads, one per core, each warmed on
    2,000 seeds of its own first (its first seeds run slower while V8 compiles); then rounds of
    the baseline, one worker alone and every worker, each ratio taken within its round;
  - memory: the peak RSS of a 1,000-seed campaign over a 100-seed one (child processes; 1 is flat).
Each rate is the median of timed rounds after a warm-up, with min and max. Nothing is judged.

  --sizes LIST    payload sizes in bytes, 1..4096 [32,1024,4096]
  --crypto C      backends for the crypto figures: noble, node or all [all]; the harness uses noble
                  unless C is node
  --scenario S    scenario for the KMS world and the harness [default]
  --millis MS     length of each timed round [200; 20 with --quick]
  --quick         a fast pass (3 short rounds, short harness run, 4 vs 16 seeds): checks the bench runs
  --json          print one JSON object instead of a table

Exit: 0, or 2 for bad input.`;

const SIZES_DEFAULT = [32, 1024, 4096];
const PLAINTEXT_BYTES_MAX = 4096;
/**
 * A harness thread takes a few thousand seeds to reach the speed it then keeps. Under the campaign's
 * flags (bin/campaign-flags.mjs: the thread compiles and collects for itself) a step of `default` cost
 * 178 µs over seeds 1–500, then 90, 73, 77, 69, 65, 62 and 70 µs in the blocks of 500 up to 4,000: V8's
 * optimizing compiler still took 10% of the thread's CPU over seeds 2,001–2,500, 4% past 3,000, with a
 * few deopts and recompiles in every block (`node tools/jit-churn.mjs --seeds 4000 --every 500 --
 * <the campaign flags>`, 30 November 2026). A night's campaign runs tens of thousands of seeds a
 * thread, so the harness figures are of threads past that: each warms up on WARMUP_SEEDS seeds of its
 * own first, untimed (about 10 s, both threads at once). With 500, as until 30 November, the timed
 * windows fell on seeds ~500–2,500, still warming: 9,700–12,100 steps per CPU second against
 * 12,600–13,300 with 2,000 (`bench --sizes 32 --crypto noble`, three alternated pairs, load 1.3–1.8).
 */
const WARMUP_SEEDS = 2000;
/** A 1-minute load average, before the run, from which the bench warns: a core's worth of other work. */
const BUSY_LOAD_AVERAGE = 1;

const FULL = {
  rounds: 5,
  roundMs: 200,
  harnessRounds: 4,
  harnessWindowMs: 1000,
  warmupSeeds: WARMUP_SEEDS,
  memorySeeds: [100, 1000] as [number, number],
};
const QUICK = { rounds: 3, roundMs: 20, harnessRounds: 2, harnessWindowMs: 100, warmupSeeds: 1, memorySeeds: [4, 16] as [number, number] };

function sizesOf(value: string | boolean | undefined): number[] {
  if (value === undefined) return SIZES_DEFAULT;
  const sizes = typeof value === "string" ? value.split(",").map((s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : NaN)) : [NaN];
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > PLAINTEXT_BYTES_MAX))
    throw new InputError(
      `kmsim bench: --sizes must be a comma-separated list of byte counts 1..${PLAINTEXT_BYTES_MAX}, not '${String(value)}'`,
    );
  return [...new Set(sizes)];
}

function backendsOf(value: string | boolean | undefined): CryptoBackendName[] {
  if (value === undefined || value === "all") return [...CRYPTO_BACKENDS];
  if (typeof value === "string" && (CRYPTO_BACKENDS as readonly string[]).includes(value)) return [value as CryptoBackendName];
  throw new InputError(`kmsim bench: --crypto must be one of ${CRYPTO_BACKENDS.join(", ")}, all, not '${String(value)}'`);
}

export async function benchMain(argv: string[], invocation: Invocation = IN_PROCESS): Promise<number> {
  const { values } = parse("bench", argv, {
    sizes: { type: "string" },
    crypto: { type: "string" },
    scenario: { type: "string" },
    millis: { type: "string" },
    quick: { type: "boolean" },
    json: { type: "boolean" },
  });
  if (values.help === true) return (void console.log(BENCH_HELP), 0);
  const mode = values.quick === true ? QUICK : FULL;
  const sizes = sizesOf(values.sizes);
  const backends = backendsOf(values.crypto);
  const scenarioRef = typeof values.scenario === "string" ? values.scenario : "default";
  const scenario = loadScenario(scenarioRef);
  if (scenario.canary !== undefined)
    throw new InputError(`kmsim bench: --scenario ${scenarioRef}: a canary scenario plants a bug on purpose; measure one that plants none`);
  const roundMs = int("bench", "millis", values.millis, mode.roundMs, 1);
  const timing: TimingOptions = { rounds: mode.rounds, roundMs, warmupMs: roundMs };
  const harnessCrypto: CryptoBackendName = backends.length === 1 && backends[0] === "node" ? "node" : "noble";
  const workers = availableParallelism();
  // The harness is measured as a campaign runs it, under the campaign's flags; so is everything else here, alike.
  if (handsOn(invocation, workers)) return runInCampaignProcess();
  const say = (line: string) => values.json !== true && console.log(line);

  // Other work already running skews every wall-clock figure (ops/s, steps/s, scaling) low; steps per
  // CPU second hold up better. Read before the bench adds its own load, and said on stderr, not in the JSON's stdout.
  const loadAverage1mAtStart = loadavg()[0] ?? 0;
  if (loadAverage1mAtStart >= BUSY_LOAD_AVERAGE)
    console.error(
      `kmsim bench: load average ${loadAverage1mAtStart.toFixed(1)} on ${workers} cores before the run: other work is running, so wall-clock figures will read low (steps per CPU second hold up better)`,
    );
  say(`kmsim bench: ${timing.rounds} rounds of ${roundMs} ms after a ${roundMs} ms warm-up; medians [min–max]`);
  const { results, overhead, decisions } = await measureCodeFigures({ scenarioRef, backends, sizes, timing });
  const harnessOptions = {
    scenarioRef,
    stepsMax: scenario.campaign.stepsDefault,
    crypto: harnessCrypto,
    warmupSeeds: mode.warmupSeeds,
    rounds: mode.harnessRounds,
    windowMs: mode.harnessWindowMs,
    baselineMs: roundMs,
  };
  // The baseline is timed in the harness's rounds, between its windows, so the harness ratio compares
  // figures taken seconds apart; the crypto figures are read against the same baseline.
  const rates = await measureHarness(harnessOptions, workers, baselineOp());
  const baseline = {
    name: `node:crypto AES-256-GCM encrypt+decrypt of ${BASELINE_BYTES} B`,
    bytes: BASELINE_BYTES,
    opsPerSec: rates.baseline.median,
    opsPerSecMin: rates.baseline.min,
    opsPerSecMax: rates.baseline.max,
  };
  const harness = {
    scenario: scenario.name,
    crypto: harnessCrypto,
    workers,
    /** Seeds each thread ran, untimed, before its figures were taken. */
    warmupSeedsPerWorker: mode.warmupSeeds,
    /** Rounds of (baseline, one worker, all workers); each figure is the median of its rounds. */
    rounds: mode.harnessRounds,
    windowMs: mode.harnessWindowMs,
    stepsPerSecOneWorker: rates.oneWorker.median,
    stepsPerSecOneWorkerMin: rates.oneWorker.min,
    stepsPerSecOneWorkerMax: rates.oneWorker.max,
    stepsPerSecAllWorkers: rates.allWorkers.median,
    stepsPerSecAllWorkersMin: rates.allWorkers.min,
    stepsPerSecAllWorkersMax: rates.allWorkers.max,
    stepsPerCpuSecOneWorker: rates.stepsPerCpuSecOneWorker,
    stepsPerCpuSecAllWorkers: rates.stepsPerCpuSecAllWorkers,
    /** Per round, one worker's steps/s over the baseline's pairs/s (issue 11's target: ≥ 0.15). */
    ratioToBaseline: rates.ratioToBaseline.median,
    ratioToBaselineMin: rates.ratioToBaseline.min,
    ratioToBaselineMax: rates.ratioToBaseline.max,
    /** Per round, all workers over workers × one worker (1 is perfect scaling; target ≥ 0.9). */
    scaling: rates.scaling.median,
    scalingMin: rates.scaling.min,
    scalingMax: rates.scaling.max,
  };
  const memory = await checkMemory(scenarioRef, mode.memorySeeds, workers, harnessCrypto);
  // The load average says how busy the (shared) machine was: read the figures with it. At the end it
  // includes the bench's own threads; at the start, only what else was running.
  const machine = { cores: workers, loadAverage1mAtStart, loadAverage1m: loadavg()[0] ?? 0 };
  const report = { quick: values.quick === true, machine, timing, baseline, results, overhead, decisions, harness, memory };
  if (values.json === true) console.log(JSON.stringify(report));
  else printTable(report);
  return 0;
}
