// The one line every report and the console open with: the verdict (and, for a canary, whether its
// planted bug was caught), how much ran, how many failures in how many groups, a campaign-wide
// check that failed, and why the campaign stopped early if it did.
import type { CampaignReport } from "./campaign.ts";

export function verdictLine(report: CampaignReport): string {
  const { totals, seeds, notRun } = report;
  const planned = totals.seeds + notRun.count;
  const ran =
    planned === seeds.count
      ? `${totals.pass} of ${totals.seeds} seeds passed`
      : `${totals.pass} of ${totals.seeds} seeds passed (shard of ${planned})`;
  const failures =
    totals.fail === 0
      ? ""
      : ` · ${totals.fail} failure${totals.fail === 1 ? "" : "s"} in ${report.groups.length} group${report.groups.length === 1 ? "" : "s"}`;
  const stopped = report.complete ? "" : ` · stopped (${report.stopped ?? "unknown"}) with ${notRun.count} seeds not run`;
  const missed = report.coverage.notReached.length === 0 ? "" : ` · ${report.coverage.notReached.length} expected probe(s) not reached`;
  const campaign = report.campaignFailures.map((f) => ` · campaign ${f.check} over budget`).join("");
  const canary =
    report.canary === null ? "" : report.canary.caught ? " (canary caught)" : " (canary not caught: the harness has gone blind)";
  return `${report.verdict.toUpperCase()}${canary}: ${ran}${failures}${campaign}${stopped}${missed}`;
}
