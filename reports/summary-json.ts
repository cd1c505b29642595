// summary.json as a sequence of pieces, for writing a large report without making its text whole:
// the same bytes as `JSON.stringify(report, null, 2)` and a final newline, with the per-seed rows
// (`results`, about 185 bytes a seed in this layout) made one at a time. A shard of 250,000 seeds has a
// 46 MB summary.json, a merged night four times that, and V8's longest string (2^29 - 24 characters)
// would stop a whole text at about 2.9 million seeds.
import type { CampaignReport } from "./campaign.ts";

/** Where the rows go in the text of the report with no rows (`results` sits at the top level, indented 2). */
const EMPTY_RESULTS = '\n  "results": [],\n';
/** The indentation of a row's lines inside the top-level `results` list. */
const ROW_INDENT = "    ";

/** The pieces of `JSON.stringify(report, null, 2)` followed by a newline, in order. */
export function* summaryJsonPieces(report: CampaignReport): Generator<string> {
  const text = `${JSON.stringify({ ...report, results: [] }, null, 2)}\n`;
  const at = text.indexOf(EMPTY_RESULTS); // one place only: a newline inside a value is written escaped
  if (at === -1) throw new Error("reports: summary.json has no top-level results list");
  if (report.results.length === 0) {
    yield text;
    return;
  }
  yield `${text.slice(0, at)}\n  "results": [`;
  let separator = "\n";
  for (const row of report.results) {
    yield `${separator}${ROW_INDENT}${JSON.stringify(row, null, 2).replaceAll("\n", `\n${ROW_INDENT}`)}`;
    separator = ",\n";
  }
  yield `\n  ],\n${text.slice(at + EMPTY_RESULTS.length)}`;
}
