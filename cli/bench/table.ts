// `kmsim bench` as a table for people: each figure with its min–max spread and its ratio to the
// baseline measured in the same run; the hot-path overheads; the harness and the memory check.
import type { CryptoResult, Overhead } from "./crypto-paths.ts";
import type { DecisionRate } from "./decisions.ts";
import type { MemoryCheck } from "./memory.ts";

export interface BenchReport {
  machine: { cores: number; loadAverage1mAtStart: number; loadAverage1m: number };
  baseline: { name: string; opsPerSec: number; opsPerSecMin: number; opsPerSecMax: number };
  results: CryptoResult[];
  overhead: Overhead[];
  decisions: DecisionRate[];
  harness: {
    scenario: string;
    crypto: string;
    workers: number;
    rounds: number;
    stepsPerSecOneWorker: number;
    stepsPerSecOneWorkerMin: number;
    stepsPerSecOneWorkerMax: number;
    stepsPerSecAllWorkers: number;
    stepsPerSecAllWorkersMin: number;
    stepsPerSecAllWorkersMax: number;
    stepsPerCpuSecOneWorker: number;
    stepsPerCpuSecAllWorkers: number;
    ratioToBaseline: number;
    ratioToBaselineMin: number;
    ratioToBaselineMax: number;
    scaling: number;
    scalingMin: number;
    scalingMax: number;
  };
  memory: MemoryCheck;
}

const n = (x: number) => Math.round(x).toLocaleString("en-US");
const spread = (median: number, min: number, max: number) => `${n(median).padStart(10)} [${n(min)}–${n(max)}]`;

export function printTable(report: BenchReport): void {
  const { baseline } = report;
  const vs = (perSec: number) => `×${(perSec / baseline.opsPerSec).toFixed(4)}`;
  console.log(
    `${report.machine.cores} cores, load average ${report.machine.loadAverage1mAtStart.toFixed(1)} before the run and ${report.machine.loadAverage1m.toFixed(1)} at its end (above the cores: a shared, busy machine)`,
  );
  console.log(`\nbaseline: ${baseline.name}: ${spread(baseline.opsPerSec, baseline.opsPerSecMin, baseline.opsPerSecMax)} pairs/s`);
  console.log("\npath  backend  op               bytes        ops/s [min–max]               MB/s   vs baseline");
  for (const r of report.results) {
    const head = `${r.path.padEnd(5)} ${r.backend.padEnd(8)} ${r.op.padEnd(16)} ${String(r.bytes).padStart(5)}`;
    console.log(
      `${head} ${spread(r.opsPerSec, r.opsPerSecMin, r.opsPerSecMax).padEnd(32)} ${r.mbPerSec.toFixed(2).padStart(8)}   ${vs(r.opsPerSec)}`,
    );
  }
  console.log("\nhot-path overhead (raw cipher ops/s over virtual KMS ops/s, same backend and size; median of rounds [min–max]):");
  for (const o of report.overhead)
    console.log(
      `  ${o.backend.padEnd(6)} ${o.op.padEnd(16)} ${String(o.bytes).padStart(5)} B   ×${o.ratio.toFixed(2)} [${o.ratioMin.toFixed(2)}–${o.ratioMax.toFixed(2)}]`,
    );
  console.log("\nauthorization decisions:");
  for (const d of report.decisions)
    console.log(
      `  ${d.name.padEnd(56)} ${spread(d.decisionsPerSec, d.decisionsPerSecMin, d.decisionsPerSecMax)} /s   ${vs(d.decisionsPerSec)}`,
    );
  const h = report.harness;
  const ratio = (median: number, min: number, max: number, digits: number) =>
    `${median.toFixed(digits)} [${min.toFixed(digits)}–${max.toFixed(digits)}]`;
  console.log(
    `\nharness, scenario ${h.scenario}, ${h.crypto} (both sides, every check), warm worker threads, ${h.rounds} rounds (ratios within each round):`,
  );
  console.log(
    `  one worker    ${spread(h.stepsPerSecOneWorker, h.stepsPerSecOneWorkerMin, h.stepsPerSecOneWorkerMax)} steps/s   ×${ratio(h.ratioToBaseline, h.ratioToBaselineMin, h.ratioToBaselineMax, 3)} of baseline   ${n(h.stepsPerCpuSecOneWorker)} steps per CPU second`,
  );
  const all = `${h.workers} workers`.padEnd(13);
  console.log(
    `  ${all} ${spread(h.stepsPerSecAllWorkers, h.stepsPerSecAllWorkersMin, h.stepsPerSecAllWorkersMax)} steps/s   scaling ${ratio(h.scaling, h.scalingMin, h.scalingMax, 2)}   ${n(h.stepsPerCpuSecAllWorkers)} steps per CPU second`,
  );
  const m = report.memory;
  console.log(`\nmemory, kmsim fuzz --scenario ${m.scenario} --workers ${m.workers} in child processes, peak RSS:`);
  console.log(
    `  ${m.seedsSmall} seeds ${m.peakRssMiBSmall.toFixed(1)} MiB, ${m.seedsLarge} seeds ${m.peakRssMiBLarge.toFixed(1)} MiB: ×${m.ratio.toFixed(2)} (1 is flat)`,
  );
}
