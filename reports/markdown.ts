// summary.md, for $GITHUB_STEP_SUMMARY and the engineer on call: the verdict first (and for a canary,
// that its failures are expected), then one row per failure group with the smallest repro, a
// campaign-wide failure, what was not reached, latency and its p90 per fault condition, how deep each
// operation's calls went, and the probe table folded away. Long messages stay in summary.json and
// index.html; prose lines stay short.
import type { CampaignReport } from "./campaign.ts";
import { canaryLines } from "./canary.ts";
import { depthMarkdown } from "./depth.ts";
import { percentileVerdict } from "./latency.ts";
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
  if (report.canary !== null) {
    const [what, found] = canaryLines(report.canary);
    lines.splice(4, 0, `> **${cell(what)}**`, ">", `> **${cell(found)}**`, "");
  }
  if (!report.complete) lines.push(`Not run (${report.notRun.count}): ${report.notRun.seeds}`, "");
  if (report.campaignFailures.length > 0) {
    lines.push("## Campaign-wide failures", "");
    for (const f of report.campaignFailures) lines.push(`- **${f.kind}** \`${f.check}\`: ${cell(f.message)}`);
    lines.push("");
  }
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
  lines.push(...percentileMarkdown(report));
  lines.push(...depthMarkdown(report.probes));
  const probes = Object.entries(report.probes);
  lines.push(`<details><summary>Coverage probes (${probes.length} reached, summed over all seeds)</summary>`, "");
  lines.push("| probe | count |", "|---|---|");
  for (const [name, n] of probes) lines.push(`| \`${name}\` | ${n} |`);
  lines.push("", "</details>", "");
  return lines.join("\n");
}

function percentileMarkdown(report: CampaignReport): string[] {
  const rows = report.latencyPercentile.conditions;
  if (rows.length === 0) return [];
  const open = rows.some((r) => r.exceeded) ? " open" : "";
  return [
    `<details${open}><summary>Crypto calls' p90 per fault condition over the campaign (budget: within the latency model's typical time)</summary>`,
    "",
    "| condition | calls | over | p90 over ≤ ms | verdict | by operation (over of calls) |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.condition} | ${r.calls} | ${r.over} | ${r.p90OverMsMax} | ${percentileVerdict(r)} | ${r.operations.map((o) => `${o.operation} ${o.over}/${o.calls}`).join(", ")} |`,
    ),
    "",
    "</details>",
    "",
  ];
}
