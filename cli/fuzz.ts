// `kmsim fuzz`: a campaign — many seeds of one scenario, a shard of them when the seed space is
// split across machines — with a JSON and a Markdown report and a repro file per failure.
import { join } from "node:path";
import { campaignMarkdown, campaignReport } from "../reports/campaign.ts";
import { writeWhole } from "../reports/write.ts";
import { InputError } from "../protocol/input-error.ts";
import { availableParallelism } from "node:os";
import { cryptoFlag, int, parse, seed as seedFlag } from "./args.ts";
import { loadScenario } from "./load.ts";
import { writeRepro } from "./run.ts";

export const FUZZ_HELP = `kmsim fuzz [--scenario S] [--first N] [--seeds COUNT] [--steps K] [--shard I/N] [--workers W] [--crypto C] [--out DIR]

Runs seeds FIRST .. FIRST+COUNT-1 of a scenario (the shard I of N takes every seed whose offset
from FIRST is I modulo N), shrinks every failure to a repro file, and writes a campaign report
(JSON and Markdown) under DIR. \`npm start\` runs this on the default scenario.

  --scenario S    scenario name (scenarios/S.json) or path to a scenario file [default]
  --first N       first seed [1]
  --seeds COUNT   how many seeds [the scenario's campaign.seedCount]
  --steps K       longest generated Step list per seed [the scenario's campaign.stepsDefault]
  --shard I/N     run only shard I (0-based) of N
  --workers W     worker threads [one per core]; the report does not depend on it
  --crypto C      AES-256-GCM backend: noble or node (OpenSSL); the report is the same [noble]
  --out DIR       where the report and repro files go [reports/out]

Exit: 0 every seed passed, 1 a failure was found, 2 bad input or usage, 3 internal error.`;

function shardOf(value: string | boolean | undefined): { index: number; count: number } {
  if (value === undefined) return { index: 0, count: 1 };
  const m = typeof value === "string" ? /^(\d+)\/(\d+)$/.exec(value) : null;
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index >= count)
    throw new InputError(`kmsim fuzz: --shard must be I/N with 0 <= I < N, not '${String(value)}'`);
  return { index, count };
}

export async function fuzzMain(argv: string[]): Promise<number> {
  const { values } = parse("fuzz", argv, {
    scenario: { type: "string" },
    first: { type: "string" },
    seeds: { type: "string" },
    steps: { type: "string" },
    shard: { type: "string" },
    workers: { type: "string" },
    crypto: { type: "string" },
    out: { type: "string" },
  });
  if (values.help === true) return (void console.log(FUZZ_HELP), 0);
  const scenarioRef = typeof values.scenario === "string" ? values.scenario : "default";
  const crypto = cryptoFlag("fuzz", values.crypto);
  const scenario = { ...loadScenario(scenarioRef), crypto };
  const workers = int("fuzz", "workers", values.workers, availableParallelism(), 1);
  const first = seedFlag("fuzz", values.first, 1);
  const count = int("fuzz", "seeds", values.seeds, scenario.campaign.seedCount, 1);
  const stepsMax = int("fuzz", "steps", values.steps, scenario.campaign.stepsDefault, 1);
  const shard = shardOf(values.shard);
  const outDir = typeof values.out === "string" ? values.out : "reports/out";
  if (first + count - 1 > 2 ** 31 - 1) throw new InputError("kmsim fuzz: --first + --seeds goes past the largest seed 2147483647");

  const startedMs = Date.now(); // wall clock for the progress line only; never in a trace or report
  console.log(
    `kmsim fuzz: scenario ${scenario.name}, seeds ${first}..${first + count - 1}, shard ${shard.index}/${shard.count}, up to ${stepsMax} steps each, ${workers} worker(s)`,
  );
  const { runSeeds } = await import("./pool.ts"); // the harness and fast-check: not loaded for --help or bad input
  const seeds: number[] = [];
  for (let seed = first; seed < first + count; seed++) if ((seed - first) % shard.count === shard.index) seeds.push(seed);
  const reproPaths = new Map<number, string>();
  const results = await runSeeds(seeds, { scenarioRef, scenario, stepsMax, workers, crypto }, (result) => {
    const repro = writeRepro(result, stepsMax, outDir);
    if (repro !== null) reproPaths.set(result.seed, repro);
    if (result.verdict === "fail")
      console.log(
        `  FAIL seed ${result.seed} (${result.kind}) at step ${result.failure?.step ?? "—"}: ${result.failure?.message.split("\n")[0]}`,
      );
  });
  const report = campaignReport({
    scenario: scenario.name,
    first,
    count,
    shard: `${shard.index}/${shard.count}`,
    stepsMax,
    results,
    reproPaths,
  });
  const base = join(
    outDir,
    `${scenario.name}-seeds-${first}-${first + count - 1}${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ""}`,
  );
  writeWhole(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeWhole(`${base}.md`, campaignMarkdown(report));
  const { totals } = report;
  console.log(
    `${totals.fail === 0 ? "PASS" : "FAIL"}: ${totals.pass}/${totals.seeds} seeds passed, ${totals.steps} steps, ${((Date.now() - startedMs) / 1000).toFixed(1)} s`,
  );
  const connection = Object.keys(report.probes)
    .filter((p) => p.startsWith("connection:"))
    .map((p) => p.slice("connection:".length));
  const faults = Object.keys(report.probes)
    .filter((p) => p.startsWith("fault:"))
    .map((p) => p.slice("fault:".length));
  console.log(`reached: connection errors [${connection.join(", ")}], faults [${faults.join(", ")}]`);
  console.log(`report: ${base}.md (and .json)`);
  return totals.fail === 0 ? 0 : 1;
}
