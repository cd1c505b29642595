// `kmsim fuzz`: a campaign — many seeds of one scenario, a shard of them when the seed space is
// split across machines — with summary.json, junit.xml, summary.md and index.html in the output
// folder, a repro file per failure and a journal that --resume continues from after a crash. Its
// exit code is the report's verdict, which a canary scenario inverts (reports/canary.ts).
import { availableParallelism } from "node:os";
import { STEPS_MAX } from "../harness/limits.ts";
import type { Scenario } from "../harness/scenario.ts";
import { InputError } from "../protocol/input-error.ts";
import { addSummary, assembleReport, emptyParts, type CampaignReport, type CampaignSpec } from "../reports/campaign.ts";
import { canaryLines } from "../reports/canary.ts";
import { shellWord } from "../reports/repro.ts";
import { verdictLine } from "../reports/verdict.ts";
import { writeReports } from "../reports/write.ts";
import { cryptoFlag, int, parse, SEED_MAX, seed as seedFlag, text, type Options } from "./args.ts";
import { parseDuration, parsePercent } from "./budget.ts";
import { handsOn, runInCampaignProcess } from "./campaign-process.ts";
import { defaultHeapLimitMb, HEAP_LIMIT_MAX_MB, HEAP_LIMIT_MIN_MB } from "./heap-limit.ts";
import { canaryOf } from "./canary.ts";
import { Journal, readJournal } from "./journal.ts";
import { loadScenario } from "./load.ts";
import { IN_PROCESS, type Invocation } from "./invocation.ts";
import { ensureWritableDir } from "./out-dir.ts";
import { SEED_TIMEOUT_DEFAULT_MS, STEP_TIMEOUT_DEFAULT_MS } from "./watchdog.ts";
import { commandLine, gitCommit, kmsimVersion } from "./run-info.ts";

export const FUZZ_HELP = `kmsim fuzz [--scenario S] [--first N] [--seeds COUNT] [--steps K] [--shard I/N] [--out DIR]
           [--workers W] [--time T] [--fail-fast | --max-failures N] [--recheck P%] [--require-coverage]
           [--step-timeout T] [--seed-timeout T] [--heap-limit MIB] [--resume] [--crypto C] [--quiet]

Runs seeds FIRST .. FIRST+COUNT-1 of a scenario (shard I of N takes every seed whose offset from
FIRST is I modulo N), shrinks every failure to a repro file, and writes summary.json, junit.xml,
summary.md and index.html under DIR, with journal.jsonl kept as each seed finishes.

  --scenario S        scenario name (scenarios/S.json) or path to a scenario file [default]
  --first N           first seed [1]
  --seeds COUNT       how many seeds [the scenario's campaign.seedCount]
  --steps K           longest generated Step list per seed, at most ${STEPS_MAX} [scenario's stepsDefault]
  --shard I/N         run only shard I (0-based) of N
  --out DIR           where the reports, repro files and journal go [reports/out]
  --workers W         worker threads [one per core]; the report does not depend on it
  --time T            time budget (45s, 90m, 2h, 1h30m): no new seed starts once it is spent
  --fail-fast         stop starting seeds after the first failure (--max-failures 1)
  --max-failures N    stop starting seeds after N failures
  --recheck P%        share of seeds run twice to check determinism, chosen by seed number [5%]
  --require-coverage  a probe the scenario expects but the campaign missed fails it (exit 1)
  --step-timeout T    a step still running after T (wall clock) is a hang: its thread is ended, its
                      seed reported (kind hang, with a repro up to that step), and the campaign goes on;
                      off: no watchdog, and one worker runs the seeds in this thread (a debugger's) [60s]
  --seed-timeout T    a seed still running after T, shrinking and all, is a hang too, though each of its
                      steps finished (check seed-timeout); off: no limit; none with --step-timeout off [10m]
  --heap-limit MIB    each seed thread's heap limit in MiB, ${HEAP_LIMIT_MIN_MB} to ${HEAP_LIMIT_MAX_MB}: a thread that reaches it is ended
                      and its seed reported (kind crash, check out-of-memory), and the campaign goes on
                      [V8's own, about 4096; less where the machine's memory over the workers is less]
  --resume            continue the campaign journalled in DIR; gives the report an unbroken run gives
  --crypto C          AES-256-GCM backend: noble or node (OpenSSL); the report is the same [noble]
  --quiet             no progress display

A canary scenario (one with "canary": {"mutant": NAME}, such as canary) plants that bug of the
mutant catalogue in every thread that runs its seeds: its failures are expected, and it passes when
one has the kind the bug is caught by.

With more than one worker the campaign runs in a child node process under V8 flags that keep each
thread's garbage collecting and compiling on that thread (bin/campaign-flags.mjs): workers then stop
taking CPU from each other. Signals sent to kmsim are passed on to it.

Exit: 0 pass (a canary: its bug was caught), 1 a failure was found or a required probe missed (a
canary: its bug was not caught — the harness has gone blind), 2 bad input or usage, 3 internal
error, 130 interrupted (a partial report is written; --resume continues it).`;

export const FUZZ_OPTIONS: Options = {
  scenario: { type: "string" },
  first: { type: "string" },
  seeds: { type: "string" },
  steps: { type: "string" },
  shard: { type: "string" },
  out: { type: "string" },
  workers: { type: "string" },
  time: { type: "string" },
  "fail-fast": { type: "boolean" },
  "max-failures": { type: "string" },
  recheck: { type: "string" },
  "require-coverage": { type: "boolean" },
  "step-timeout": { type: "string" },
  "seed-timeout": { type: "string" },
  "heap-limit": { type: "string" },
  resume: { type: "boolean" },
  crypto: { type: "string" },
  quiet: { type: "boolean" },
};

/** Flags that define the campaign: with --resume they come from the journal and may not be given. */
const CAMPAIGN_FLAGS = ["scenario", "first", "seeds", "steps", "shard", "recheck", "require-coverage"];

/** Most worker threads: far past any core count, short of exhausting memory. */
export const WORKERS_MAX = 256;

export interface FuzzPlan {
  spec: CampaignSpec;
  scenarioRef: string;
  scenario: Scenario;
  workers: number;
  outDir: string;
  timeBudgetMs?: number;
  failuresMax?: number;
  /** null: no watchdog (--step-timeout off). */
  stepTimeoutMs: number | null;
  /** Longest a seed may run in all; absent: no limit (--seed-timeout off). */
  seedTimeoutMs?: number;
  /** Each seed thread's heap limit; undefined: V8's own. */
  heapLimitMb?: number;
  resume: boolean;
  quiet: boolean;
}

function shardOf(value: string | boolean | undefined): { index: number; count: number } {
  if (value === undefined) return { index: 0, count: 1 };
  const m = typeof value === "string" ? /^(\d{1,9})\/(\d{1,9})$/.exec(value) : null;
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count)
    throw new InputError(`kmsim fuzz: --shard must be I/N with 0 <= I < N, not '${String(value)}'`);
  return { index, count };
}

/** A timeout flag: `fallbackMs` when absent, null for off. */
function timeout(flag: string, value: string | boolean | undefined, fallbackMs: number): number | null {
  if (value === undefined) return fallbackMs;
  if (value === "off") return null;
  try {
    return parseDuration("fuzz", flag, text(value, ""));
  } catch {
    throw new InputError(`kmsim fuzz: --${flag} must be a duration such as 10s, 5m or 1h, or off, not '${String(value)}'`);
  }
}

const seedTimeout = (ms: number | null): { seedTimeoutMs?: number } => (ms === null ? {} : { seedTimeoutMs: ms });

function heapLimit(value: string | boolean | undefined, workers: number): { heapLimitMb?: number } {
  const mb = value === undefined ? defaultHeapLimitMb(workers) : int("fuzz", "heap-limit", value, 0, HEAP_LIMIT_MIN_MB, HEAP_LIMIT_MAX_MB);
  return mb === undefined ? {} : { heapLimitMb: mb };
}

/** Reads and checks the flags (and the scenario they name) without touching the output folder. */
export function fuzzPlan(argv: string[]): FuzzPlan {
  const { values } = parse("fuzz", argv, FUZZ_OPTIONS);
  const resume = values.resume === true;
  if (resume) {
    const given = CAMPAIGN_FLAGS.filter((f) => values[f] !== undefined);
    if (given.length > 0) throw new InputError(`kmsim fuzz: --resume takes the campaign from the journal; drop --${given.join(", --")}`);
  }
  const scenarioRef = text(values.scenario, "default");
  const scenario: Scenario = { ...loadScenario(scenarioRef), crypto: cryptoFlag("fuzz", values.crypto) };
  const first = seedFlag("fuzz", values.first, 1, "first");
  const count = int("fuzz", "seeds", values.seeds, scenario.campaign.seedCount, 1, SEED_MAX);
  if (first + count - 1 > SEED_MAX) throw new InputError(`kmsim fuzz: --first + --seeds goes past the largest seed ${SEED_MAX}`);
  if (values["fail-fast"] === true && values["max-failures"] !== undefined)
    throw new InputError("kmsim fuzz: give --fail-fast or --max-failures, not both");
  const workers = int("fuzz", "workers", values.workers, availableParallelism(), 1, WORKERS_MAX);
  const failuresMax =
    values["fail-fast"] === true
      ? 1
      : values["max-failures"] === undefined
        ? undefined
        : int("fuzz", "max-failures", values["max-failures"], 1, 1);
  return {
    spec: {
      scenario: scenario.name,
      first,
      count,
      shard: shardOf(values.shard),
      stepsMax: int("fuzz", "steps", values.steps, scenario.campaign.stepsDefault, 1, STEPS_MAX),
      recheckPercent: values.recheck === undefined ? 5 : parsePercent("fuzz", "recheck", text(values.recheck, "")),
      probesExpected: scenario.campaign.probesExpected,
      requireCoverage: values["require-coverage"] === true,
      canary: canaryOf(scenario),
    },
    scenarioRef,
    scenario,
    workers,
    outDir: text(values.out, "reports/out"),
    ...(values.time === undefined ? {} : { timeBudgetMs: parseDuration("fuzz", "time", text(values.time, "")) }),
    ...(failuresMax === undefined ? {} : { failuresMax }),
    stepTimeoutMs: timeout("step-timeout", values["step-timeout"], STEP_TIMEOUT_DEFAULT_MS),
    ...seedTimeout(timeout("seed-timeout", values["seed-timeout"], SEED_TIMEOUT_DEFAULT_MS)),
    ...heapLimit(values["heap-limit"], workers),
    resume,
    quiet: values.quiet === true,
  };
}

export async function fuzzMain(argv: string[], invocation: Invocation = IN_PROCESS): Promise<number> {
  if (parse("fuzz", argv, FUZZ_OPTIONS).values.help === true) return (void console.log(FUZZ_HELP), 0);
  let plan = fuzzPlan(argv);
  if (handsOn(invocation, plan.workers)) return runInCampaignProcess();
  ensureWritableDir("fuzz", plan.outDir);
  let journal: Journal;
  const done = emptyParts(); // a resumed campaign's seeds, folded in as the journal is read
  if (plan.resume) {
    const contents = readJournal(plan.outDir, (summary) => addSummary(done, summary));
    const { spec, scenarioRef } = contents.header;
    plan = { ...plan, spec, scenarioRef, scenario: { ...loadScenario(scenarioRef), crypto: plan.scenario.crypto } };
    journal = Journal.continue(plan.outDir, contents);
  } else journal = Journal.start(plan.outDir, { kmsim: "journal/2", spec: plan.spec, scenarioRef: plan.scenarioRef });
  const { spec } = plan;
  if (plan.workers > availableParallelism())
    console.error(
      `kmsim fuzz: warning: --workers ${plan.workers} is more than the ${availableParallelism()} cores here; workers will share cores`,
    );
  if (!plan.quiet)
    console.log(
      `kmsim fuzz: scenario ${spec.scenario}${spec.canary == null ? "" : ` (a canary planting ${spec.canary.mutant}: failures are expected)`}, seeds ${spec.first}..${spec.first + spec.count - 1}, shard ${spec.shard.index}/${spec.shard.count}, up to ${spec.stepsMax} steps, ${plan.workers} worker(s)${plan.resume ? `, resuming after ${done.results.length} seeds` : ""}`,
    );
  const { runCampaign } = await import("./campaign.ts"); // the harness and fast-check: not loaded for --help or bad input
  const startedMs = Date.now(); // wall clock: the report's run.wallMs only
  const { parts, stopped } = await runCampaign({ ...plan, done, journal });
  const report = assembleReport(spec, parts, stopped, {
    kmsimVersion: kmsimVersion(),
    gitCommit: gitCommit(),
    node: process.version,
    command: commandLine(["fuzz", ...argv]),
    wallMs: Date.now() - startedMs,
    stepsPerSecond: 0,
    workers: plan.workers,
    resumed: plan.resume,
    mergedReports: 0,
  });
  const files = writeReports(plan.outDir, report);
  printSummary(report, files[0]!);
  if (stopped === "interrupted") return 130;
  return report.verdict === "fail" ? 1 : 0;
}

/** The console's closing lines, each cut to the terminal's width; the full story is in the reports. */
export function printSummary(report: CampaignReport, summaryPath: string): void {
  const width = Math.max(40, process.stdout.isTTY === true ? (process.stdout.columns ?? 100) : 100);
  const cut = (s: string) => (s.length <= width ? s : `${s.slice(0, width - 1)}…`);
  console.log(verdictLine(report));
  if (report.canary !== null) for (const line of canaryLines(report.canary)) console.log(cut(line));
  for (const f of report.campaignFailures) console.log(cut(`  campaign: ${f.kind} (${f.check}) — ${f.message}`));
  for (const [i, g] of report.groups.slice(0, 10).entries())
    console.log(
      cut(
        `  ${i + 1}. ${g.count}× ${g.kind} · ${g.operation ?? "—"} — smallest: ${g.smallest.repro === "" ? g.smallest.command : `kmsim replay ${shellWord(summaryPath.replace(/summary\.json$/, g.smallest.repro))}`}`,
      ),
    );
  if (report.groups.length > 10) console.log(`  … and ${report.groups.length - 10} more groups (see the report)`);
  if (!report.complete) console.log(cut(`not run (${report.notRun.count}): ${report.notRun.seeds}`));
  if (report.coverage.notReached.length > 0) console.log(cut(`not reached: ${report.coverage.notReached.join(", ")}`));
  console.log(cut(`reports: ${summaryPath.replace(/summary\.json$/, "")}{summary.json, junit.xml, summary.md, index.html}`));
}
