// `kmsim merge`: joins the reports of the shards of one campaign into one, so the morning reader opens
// a single page. Shards share nothing but the seed arithmetic; merging checks they are shards of the
// same campaign and that together they cover its seed range — a lost CI shard must not pass — and
// builds the report with the same code as an unsharded run, so the two agree byte for byte apart
// from `seeds.shard` and `run`.
import { copyFileSync, existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  addParts,
  assembleReport,
  emptyParts,
  partsOfReport,
  type CampaignReport,
  type CampaignSpec,
  type Parts,
} from "../reports/campaign.ts";
import { missingSeeds } from "../reports/seed-ranges.ts";
import { writeReports } from "../reports/write.ts";
import { InputError } from "../protocol/input-error.ts";
import { parse, text, type Options } from "./args.ts";
import { printSummary } from "./fuzz.ts";
import { readJson } from "./load.ts";
import { ensureWritableDir } from "./out-dir.ts";
import { commandLine, gitCommit, kmsimVersion } from "./run-info.ts";

export const MERGE_HELP = `kmsim merge REPORT... [--out DIR] [--allow-partial] [--require-coverage]

Joins the reports written by \`kmsim fuzz --shard I/N\` (each a summary.json, or the folder holding
one) into summary.json, junit.xml, summary.md and index.html under DIR [reports/out], copying the
shards' repro files beside them. The shards must be of one campaign (scenario, seed range, steps,
recheck share) and must together cover its seed range: a missing shard or seed is refused.

  --allow-partial      merge even when seeds are missing (the report says which, and is incomplete)
  --require-coverage   a probe the scenario expects but no shard reached fails the campaign

Exit: 0 pass, 1 a failure was found, seeds are missing or a required probe was missed,
2 bad input or usage, 3 internal error.`;

export const MERGE_OPTIONS: Options = {
  out: { type: "string" },
  "allow-partial": { type: "boolean" },
  "require-coverage": { type: "boolean" },
};

/** Fields that must agree for reports to be shards of one campaign. */
const SAME = ["scenario", "stepsMax", "recheckPercent"] as const;

function readReport(arg: string): { file: string; report: CampaignReport } {
  const file = existsSync(arg) && statSync(arg).isDirectory() ? join(arg, "summary.json") : arg;
  const doc = readJson(file) as unknown as CampaignReport;
  if (typeof doc !== "object" || doc === null || doc.kmsim !== "campaign/3" || !Array.isArray(doc.results))
    throw new InputError(`${file}: not a kmsim campaign report of this version (campaign/3)`);
  if (!/^\d+\/\d+$/.test(String(doc.seeds?.shard)))
    throw new InputError(`${file}: seeds.shard: not a shard's report (I/N); merged reports are not merged again`);
  return { file, report: doc };
}

/** Reads and checks the flags, without reading the reports they name. */
export function mergeArgs(argv: string[]): ReturnType<typeof parse> {
  const parsed = parse("merge", argv, MERGE_OPTIONS, Number.MAX_SAFE_INTEGER);
  if (parsed.values.help !== true && parsed.positionals.length === 0)
    throw new InputError("kmsim merge: give at least one shard's summary.json or folder (see kmsim merge --help)");
  return parsed;
}

export function mergeMain(argv: string[]): number {
  const { values, positionals } = mergeArgs(argv);
  if (values.help === true) return (void console.log(MERGE_HELP), 0);
  const inputs = positionals.map(readReport);
  const outDir = text(values.out, "reports/out");
  for (const { file } of inputs)
    if (resolve(dirname(file)) === resolve(outDir))
      throw new InputError(`kmsim merge: --out ${outDir} holds the shard report ${file}; give another folder`);
  const { file: firstFile, report: first } = inputs[0]!;
  const shardCount = Number(first.seeds.shard.split("/")[1]);
  const shardsSeen = new Map<number, string>();
  for (const { file, report } of inputs) {
    for (const field of SAME)
      if (report[field] !== first[field])
        throw new InputError(`${file}: ${field}: ${report[field]} differs from ${first[field]} in ${firstFile}`);
    if (report.canary?.mutant !== first.canary?.mutant)
      throw new InputError(`${file}: canary: plants ${report.canary?.mutant ?? "nothing"}, unlike ${firstFile}`);
    if (report.seeds.first !== first.seeds.first || report.seeds.count !== first.seeds.count)
      throw new InputError(`${file}: seeds: not the same seed range as ${firstFile}`);
    const [index, count] = report.seeds.shard.split("/").map(Number) as [number, number];
    if (count !== shardCount)
      throw new InputError(`${file}: seeds.shard: ${report.seeds.shard} is not one of ${shardCount} shards like ${firstFile}`);
    if (shardsSeen.has(index)) throw new InputError(`${file}: shard ${index}/${count} is also given as ${shardsSeen.get(index)}`);
    shardsSeen.set(index, file);
  }
  const parts: Parts = emptyParts();
  for (const { report } of inputs) addParts(parts, partsOfReport(report));
  const spec: CampaignSpec = {
    scenario: first.scenario,
    first: first.seeds.first,
    count: first.seeds.count,
    shard: { index: 0, count: 1 },
    stepsMax: first.stepsMax,
    recheckPercent: first.recheckPercent,
    probesExpected: first.coverage.expected,
    requireCoverage: values["require-coverage"] === true || inputs.every(({ report }) => report.coverage.required),
    canary:
      first.canary === null
        ? null
        : { mutant: first.canary.mutant, description: first.canary.description, expectedKind: first.canary.expectedKind },
  };
  const missing = missingSeeds(
    spec,
    [...parts.results.map((r) => r.seed)].sort((a, b) => a - b),
  );
  const absent = Array.from({ length: shardCount }, (_, i) => i).filter((i) => !shardsSeen.has(i));
  const why = [
    ...absent.map((i) => `shard ${i}/${shardCount} missing`),
    ...inputs.filter(({ report }) => !report.complete).map(({ report }) => `shard ${report.seeds.shard} ${report.stopped ?? "incomplete"}`),
  ].join("; ");
  if (missing.count > 0 && values["allow-partial"] !== true) {
    console.error(
      `kmsim merge: ${missing.count} of ${spec.count} seeds are in no report (${why}): ${missing.seeds}; nothing written (--allow-partial merges anyway)`,
    );
    return 1;
  }
  ensureWritableDir("merge", outDir);
  const report = assembleReport(
    spec,
    parts,
    why === "" ? null : why,
    {
      kmsimVersion: kmsimVersion(),
      gitCommit: gitCommit(),
      node: process.version,
      command: commandLine(["merge", ...argv]),
      wallMs: inputs.reduce((n, { report }) => n + report.run.wallMs, 0),
      stepsPerSecond: 0,
      workers: inputs.reduce((n, { report }) => n + report.run.workers, 0),
      resumed: inputs.some(({ report }) => report.run.resumed),
      mergedReports: inputs.length,
    },
    `merged from ${inputs.length} shard${inputs.length === 1 ? "" : "s"} of ${shardCount}`,
  );
  for (const { file, report: shard } of inputs)
    for (const f of shard.failures) {
      const from = join(dirname(file), f.repro);
      if (f.repro !== "" && existsSync(from)) copyFileSync(from, join(outDir, f.repro));
      else if (f.repro !== "") console.error(`kmsim merge: warning: ${from} is missing; the report names it`);
    }
  const files = writeReports(outDir, report);
  printSummary(report, files[0]!);
  return report.verdict === "fail" ? 1 : 0;
}
