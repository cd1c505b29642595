// Writing a report file whole or not at all: the text goes to a temporary file beside the target,
// which is then renamed over it, so a reader never sees half a report. A campaign's four reports are
// all rendered from its one CampaignReport.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { CampaignReport } from "./campaign.ts";
import { campaignHtml } from "./html.ts";
import { campaignJunit } from "./junit.ts";
import { campaignMarkdown } from "./markdown.ts";

export function writeWhole(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.partial`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** The four reports of a campaign, rendered from the one report, into `dir`. */
export const REPORT_FILES = ["summary.json", "junit.xml", "summary.md", "index.html"] as const;

export function writeReports(dir: string, report: CampaignReport): string[] {
  const texts: Record<(typeof REPORT_FILES)[number], string> = {
    "summary.json": `${JSON.stringify(report, null, 2)}\n`,
    "junit.xml": campaignJunit(report),
    "summary.md": campaignMarkdown(report),
    "index.html": campaignHtml(report),
  };
  return REPORT_FILES.map((name) => {
    writeWhole(join(dir, name), texts[name]);
    return join(dir, name);
  });
}
