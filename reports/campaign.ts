// The campaign report: what a fuzz run over many seeds found, as JSON (for machines and the shard
// merge) and Markdown (for the engineer on call). It opens with how to reproduce, then the failures,
// then the coverage probes summed over every seed, so it shows the corners were reached.
import type { SeedResult } from "../harness/seed.ts";
import { depthMarkdown } from "./depth.ts";
import { runCommand } from "./repro.ts";

export interface CampaignReport {
  kmsim: "campaign/1";
  scenario: string;
  seeds: { first: number; count: number; shard: string };
  stepsMax: number;
  totals: { seeds: number; pass: number; fail: number; byKind: Record<string, number>; steps: number };
  failures: { seed: number; kind: string; step: number | null; message: string; shrunkSteps: number; repro: string; command: string }[];
  probes: Record<string, number>;
  results: { seed: number; verdict: string; kind: string | null; steps: number; traceHash: string }[];
}

export interface CampaignInput {
  scenario: string;
  first: number;
  count: number;
  shard: string;
  stepsMax: number;
  results: SeedResult[];
  reproPaths: Map<number, string>;
}

export function campaignReport(input: CampaignInput): CampaignReport {
  const byKind: Record<string, number> = {};
  const probes: Record<string, number> = {};
  for (const r of input.results) {
    if (r.kind !== null) byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
    for (const [name, n] of Object.entries(r.probes)) probes[name] = (probes[name] ?? 0) + n;
  }
  const failed = input.results.filter((r) => r.verdict === "fail");
  return {
    kmsim: "campaign/1",
    scenario: input.scenario,
    seeds: { first: input.first, count: input.count, shard: input.shard },
    stepsMax: input.stepsMax,
    totals: {
      seeds: input.results.length,
      pass: input.results.length - failed.length,
      fail: failed.length,
      byKind,
      steps: input.results.reduce((n, r) => n + r.steps, 0),
    },
    failures: failed.map((r) => ({
      seed: r.seed,
      kind: r.kind ?? "unknown",
      step: r.failure?.step ?? null,
      message: r.failure?.message ?? "",
      shrunkSteps: r.shrunk?.steps.length ?? r.steps,
      repro: input.reproPaths.get(r.seed) ?? "",
      command: runCommand(r, input.stepsMax),
    })),
    probes: Object.fromEntries(Object.entries(probes).sort(([a], [b]) => (a < b ? -1 : 1))),
    results: input.results.map((r) => ({ seed: r.seed, verdict: r.verdict, kind: r.kind, steps: r.steps, traceHash: r.traceHash })),
  };
}

export function campaignMarkdown(report: CampaignReport): string {
  const { totals, seeds } = report;
  const lines = [
    `# kmsim campaign — scenario \`${report.scenario}\``,
    "",
    `Seeds ${seeds.first}–${seeds.first + seeds.count - 1} (shard ${seeds.shard}), up to ${report.stepsMax} generated steps each.`,
    "",
    `**${totals.fail === 0 ? "PASS" : "FAIL"}** — ${totals.pass} of ${totals.seeds} seeds passed, ${totals.steps} steps run.`,
    "",
  ];
  if (report.failures.length > 0) {
    lines.push("## Failures", "", "| seed | kind | step | shrunk to | reproduce | replay |", "|---|---|---|---|---|---|");
    for (const f of report.failures)
      lines.push(
        `| ${f.seed} | ${f.kind} | ${f.step ?? "—"} | ${f.shrunkSteps} steps | \`${f.command}\` | \`npx kmsim replay ${f.repro}\` |`,
      );
    lines.push("");
    for (const f of report.failures) lines.push(`- seed ${f.seed}: ${f.message.split("\n")[0]}`);
    lines.push("");
  }
  lines.push(...depthMarkdown(report.probes));
  lines.push("## Coverage probes (summed over all seeds)", "", "| probe | count |", "|---|---|");
  for (const [name, n] of Object.entries(report.probes)) lines.push(`| \`${name}\` | ${n} |`);
  lines.push("");
  return lines.join("\n");
}
