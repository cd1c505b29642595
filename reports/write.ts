// Writing a report file whole or not at all: the text goes to a temporary file beside the target,
// which is then renamed over it, so a reader never sees half a report. A campaign's four reports are
// all rendered from its one CampaignReport.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CampaignReport } from "./campaign.ts";
import { campaignHtml } from "./html.ts";
import { campaignJunit } from "./junit.ts";
import { campaignMarkdown } from "./markdown.ts";
import { summaryJsonPieces } from "./summary-json.ts";

export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Text gathered before each write of writeWholePieces: a few large writes rather than a write per piece. */
const WRITE_BYTES = 1 << 20;

/** As writeWhole, for a text given as pieces (never made whole in memory); a piece that throws leaves nothing. */
export function writeWholePieces(path: string, pieces: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  const fd = openSync(temporary, "w");
  try {
    let pending: string[] = [];
    let pendingLength = 0;
    for (const piece of pieces) {
      pending.push(piece);
      pendingLength += piece.length;
      if (pendingLength < WRITE_BYTES) continue;
      writeSync(fd, pending.join(""));
      pending = [];
      pendingLength = 0;
    }
    writeSync(fd, pending.join(""));
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temporary, path);
}

/** The four reports of a campaign, rendered from the one report, into `dir`. */
export const REPORT_FILES = ["summary.json", "junit.xml", "summary.md", "index.html"] as const;

export function writeReports(dir: string, report: CampaignReport): string[] {
  // The other three are rendered before anything is written, so a renderer's crash writes nothing;
  // summary.json, the largest, is written piece by piece (reports/summary-json.ts).
  const texts: Record<Exclude<(typeof REPORT_FILES)[number], "summary.json">, string> = {
    "junit.xml": campaignJunit(report),
    "summary.md": campaignMarkdown(report),
    "index.html": campaignHtml(report),
  };
  return REPORT_FILES.map((name) => {
    if (name === "summary.json") writeWholePieces(join(dir, name), summaryJsonPieces(report));
    else writeWhole(join(dir, name), texts[name]);
    return join(dir, name);
  });
}
