// summary.md, for $GITHUB_STEP_SUMMARY and the engineer on call: the verdict first, then one row per
// failure group with the smallest repro, what was not reached, latency, how deep each operation's
// calls went, and the probe table folded away. Long messages stay in summary.json and index.html; prose lines stay short.
import type { CampaignReport } from "./campaign.ts";
import { depthMarkdown } from "./depth.ts";
import { verdictLine } from "./verdict.ts";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function campaignMarkdown(report: CampaignReport): string {
  const { seeds } = report;
  const lines = [
    `# kmsim: ${report.verdict.toUpperCase()} — scenario \`${report.scenario}\``,
    "",
    `**${verdictLine(report)}**`,
    "",
    `Seeds ${seeds.first}–${seeds.first + seeds.count - 1} (shard ${seeds.shard}), up to ${report.stepsMax} generated steps each;`,
    `${report.totals.steps} steps run; ${report.totals.rechecked} seeds run twice to check determinism.`,
    "",
  ];
  if (!report.complete) lines.push(`Not run (${report.notRun.count}): ${report.notRun.seeds}`, "");
  if (report.groups.length > 0) {
    lines.push("## Failure groups", "", "Repro files sit beside this report; `npx kmsim replay FILE` runs one.", "");
    lines.push("| # | kind | operation | count | seeds | smallest repro | re-run the seed |", "|---|---|---|---|---|---|---|");
    report.groups.forEach((g, i) => {
      const seedList = g.seeds.length > 5 ? `${g.seeds.slice(0, 5).join(", ")}, …` : g.seeds.join(", ");
      const repro = g.smallest.repro === "" ? `seed ${g.smallest.seed}` : `\`${g.smallest.repro}\` (${g.smallest.shrunkSteps} steps)`;
      lines.push(`| ${i + 1} | ${g.kind} | ${g.operation ?? "—"} | ${g.count} | ${seedList} | ${repro} | \`${g.smallest.command}\` |`);
    });
    lines.push("", "<details><summary>Signatures</summary>", "");
    // Full signatures are in summary.json and index.html; here they are cut to a readable line.
    report.groups.forEach((g, i) =>
      lines.push(`${i + 1}. ${cell(g.signature.length > 110 ? `${g.signature.slice(0, 109)}…` : g.signature)}`),
    );
    lines.push("", "</details>", "");
  }
  const { coverage } = report;
  if (coverage.notReached.length > 0) {
    lines.push(`## Not reached (${coverage.notReached.length} of ${coverage.expected.length} expected)`, "");
    for (const p of coverage.notReached) lines.push(`- \`${p}\``);
    lines.push("");
  }
  const ops = Object.entries(report.latency);
  if (ops.length > 0) {
    lines.push("<details><summary>Latency per operation (virtual clock)</summary>", "");
    lines.push("| operation | calls | mean ms | p50 ≤ ms | p90 ≤ ms | p99 ≤ ms | max ms |", "|---|---|---|---|---|---|---|");
    for (const [op, s] of ops)
      lines.push(`| ${op} | ${s.calls} | ${s.meanMs} | ${s.p50MsMax} | ${s.p90MsMax} | ${s.p99MsMax} | ${s.maxUs / 1000} |`);
    lines.push("", "</details>", "");
  }
  lines.push(...depthMarkdown(report.probes));
  const probes = Object.entries(report.probes);
  lines.push(`<details><summary>Coverage probes (${probes.length} reached, summed over all seeds)</summary>`, "");
  lines.push("| probe | count |", "|---|---|");
  for (const [name, n] of probes) lines.push(`| \`${name}\` | ${n} |`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}
