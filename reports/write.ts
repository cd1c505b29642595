// Writing a report file whole or not at all: the text goes to a temporary file beside the target,
// which is then renamed over it, so a reader never sees half a report. A campaign's four reports are
// all rendered from its one CampaignReport, and renamed into place only once all four are written.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CampaignReport } from "./campaign.ts";
import { campaignHtml } from "./html.ts";
import { campaignJunitPieces } from "./junit.ts";
import { campaignMarkdown } from "./markdown.ts";
import { summaryJsonPieces } from "./summary-json.ts";

export function writeWhole(path: string, text: string): void {
  writeWholePieces(path, [text]);
}

/** Text gathered before each write of writeWholePieces: a few large writes rather than a write per piece. */
const WRITE_BYTES = 1 << 20;

/**
 * Writes `pieces` to `path`.partial and returns that path; a piece that throws leaves no file. Each
 * write is writeFileSync on the open file, which writes its whole text (writeSync may write only part).
 */
function writePartial(path: string, pieces: Iterable<string>): string {
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
      writeFileSync(fd, pending.join(""));
      pending = [];
      pendingLength = 0;
    }
    writeFileSync(fd, pending.join(""));
  } catch (e) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw e;
  }
  closeSync(fd);
  return temporary;
}

/** As writeWhole, for a text given as pieces (never made whole in memory); a piece that throws leaves nothing. */
export function writeWholePieces(path: string, pieces: Iterable<string>): void {
  renameSync(writePartial(path, pieces), path);
}

/** The four reports of a campaign, rendered from the one report, into `dir`. */
export const REPORT_FILES = ["summary.json", "junit.xml", "summary.md", "index.html"] as const;

/**
 * Writes the four reports, all or none: each goes to its .partial file first (summary.json and junit.xml
 * piece by piece, their per-seed rows one at a time: reports/summary-json.ts, reports/junit.ts), and only
 * once all four are written are they renamed into place. A renderer that throws leaves no report file.
 */
export function writeReports(dir: string, report: CampaignReport): string[] {
  const pieces: Record<(typeof REPORT_FILES)[number], Iterable<string>> = {
    "summary.json": summaryJsonPieces(report),
    "junit.xml": campaignJunitPieces(report),
    "summary.md": [campaignMarkdown(report)],
    "index.html": [campaignHtml(report)],
  };
  const written: string[] = [];
  try {
    for (const name of REPORT_FILES) written.push(writePartial(join(dir, name), pieces[name]));
  } catch (e) {
    for (const temporary of written) rmSync(temporary, { force: true });
    throw e;
  }
  REPORT_FILES.forEach((name, i) => renameSync(written[i]!, join(dir, name)));
  return REPORT_FILES.map((name) => join(dir, name));
}
