// `kmsim merge`: joins the campaign reports of the shards of one nightly run into one report, so the
// morning reader opens a single page. Shards share nothing but the seed arithmetic; merging checks
// that they really are shards of the same campaign.
import { join } from "node:path";
import { campaignMarkdown, type CampaignReport } from "../reports/campaign.ts";
import { writeWhole } from "../reports/write.ts";
import { InputError } from "../protocol/input-error.ts";
import { parse } from "./args.ts";
import { readJson } from "./load.ts";

export const MERGE_HELP = `kmsim merge REPORT.json... [--out DIR]

Joins the JSON campaign reports written by \`kmsim fuzz --shard I/N\` (same scenario, seed range and step
limit) into one JSON and Markdown report under DIR [reports/out].

Exit: 0 every seed passed, 1 a failure was found, 2 bad input or usage.`;

function readReport(file: string): CampaignReport {
  const doc = readJson(file) as unknown as CampaignReport;
  if (typeof doc !== "object" || doc === null || doc.kmsim !== "campaign/1")
    throw new InputError(`${file}: kmsim: not a kmsim campaign report (campaign/1)`);
  return doc;
}

export function mergeMain(argv: string[]): number {
  const { values, positionals } = parse("merge", argv, { out: { type: "string" } }, Number.MAX_SAFE_INTEGER);
  if (values.help === true) return (void console.log(MERGE_HELP), 0);
  if (positionals.length === 0) throw new InputError("kmsim merge: give at least one REPORT.json (see kmsim merge --help)");
  const reports = positionals.map((file) => ({ file, report: readReport(file) }));
  const first = reports[0]!.report;
  for (const { file, report } of reports) {
    for (const field of ["scenario", "stepsMax"] as const) {
      if (report[field] !== first[field])
        throw new InputError(`${file}: ${field}: ${report[field]} differs from ${first[field]} in ${reports[0]!.file}`);
    }
    if (report.seeds.first !== first.seeds.first || report.seeds.count !== first.seeds.count)
      throw new InputError(`${file}: seeds: not the same seed range as ${reports[0]!.file}`);
  }
  const results = reports.flatMap((r) => r.report.results).sort((a, b) => a.seed - b.seed);
  const seen = new Set<number>();
  for (const r of results) {
    if (seen.has(r.seed)) throw new InputError(`kmsim merge: seed ${r.seed} is in more than one report`);
    seen.add(r.seed);
  }
  const probes: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  for (const { report } of reports) {
    for (const [name, n] of Object.entries(report.probes)) probes[name] = (probes[name] ?? 0) + n;
    for (const [kind, n] of Object.entries(report.totals.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n;
  }
  const failures = reports.flatMap((r) => r.report.failures).sort((a, b) => a.seed - b.seed);
  const merged: CampaignReport = {
    kmsim: "campaign/1",
    scenario: first.scenario,
    seeds: { first: first.seeds.first, count: first.seeds.count, shard: `${reports.length} shards merged` },
    stepsMax: first.stepsMax,
    totals: {
      seeds: results.length,
      pass: results.length - failures.length,
      fail: failures.length,
      byKind,
      steps: results.reduce((n, r) => n + r.steps, 0),
    },
    failures,
    probes: Object.fromEntries(Object.entries(probes).sort(([a], [b]) => (a < b ? -1 : 1))),
    results,
  };
  const outDir = typeof values.out === "string" ? values.out : "reports/out";
  const base = join(outDir, `${first.scenario}-seeds-${first.seeds.first}-${first.seeds.first + first.seeds.count - 1}-merged`);
  writeWhole(`${base}.json`, `${JSON.stringify(merged, null, 2)}\n`);
  writeWhole(`${base}.md`, campaignMarkdown(merged));
  const missing = first.seeds.count - results.length;
  console.log(
    `${failures.length === 0 ? "PASS" : "FAIL"}: ${merged.totals.pass}/${merged.totals.seeds} seeds passed across ${reports.length} reports${missing > 0 ? ` (${missing} seeds of the range are in no report)` : ""}`,
  );
  console.log(`report: ${base}.md (and .json)`);
  return failures.length === 0 ? 0 : 1;
}
