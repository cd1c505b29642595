// What `kmsim mutants` reports: per mutant killed or survived, where, how fast, how and with how short
// a repro; overall the kill count and the medians (issue 12's JSON shape), and a table for people.
import type { HuntResult } from "./hunt.ts";

export interface MutantsReport {
  mutants: {
    name: string;
    area: string;
    killed: boolean;
    scenario: string | null;
    seedsToKill: number | null;
    msToKill: number | null;
    kind: string | null;
    check: string | null;
    reproSteps: number | null;
    expectedKind: string;
  }[];
  killed: number;
  total: number;
  medianMsToKill: number | null;
  worstMsToKill: number | null;
  medianReproSteps: number | null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
}

export function mutantsReport(results: readonly HuntResult[]): MutantsReport {
  const killed = results.filter((r) => r.killed);
  const ms = killed.map((r) => r.msToKill!).filter((n) => n !== null);
  return {
    mutants: results.map((r) => ({
      name: r.name,
      area: r.area,
      killed: r.killed,
      scenario: r.scenario,
      seedsToKill: r.seedsToKill,
      msToKill: r.msToKill,
      kind: r.kind,
      check: r.check,
      reproSteps: r.reproSteps,
      expectedKind: r.expected.kind,
    })),
    killed: killed.length,
    total: results.length,
    medianMsToKill: median(ms),
    worstMsToKill: ms.length === 0 ? null : Math.max(...ms),
    medianReproSteps: median(killed.map((r) => r.reproSteps).filter((n): n is number => n !== null)),
  };
}

export function mutantsTable(report: MutantsReport): string {
  const lines = report.mutants.map((m) =>
    m.killed
      ? `KILLED   ${m.name.padEnd(40)} ${String(m.scenario).padEnd(10)} seeds ${String(m.seedsToKill).padStart(4)}  ${String(m.msToKill).padStart(6)} ms  ${String(m.kind).padEnd(9)} ${String(m.check ?? "").padEnd(18)} repro ${m.reproSteps ?? "—"} steps`
      : `SURVIVED ${m.name.padEnd(40)} ${m.area}`,
  );
  lines.push(
    "",
    `${report.killed} of ${report.total} mutants killed; time to kill: median ${report.medianMsToKill ?? "—"} ms, worst ${report.worstMsToKill ?? "—"} ms; median repro ${report.medianReproSteps ?? "—"} steps`,
  );
  return lines.join("\n");
}
