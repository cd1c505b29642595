// The seed loop tools/alloc-profile.mjs runs: seeds 1..N of a scenario on this thread, as
// `kmsim fuzz --workers 1 --recheck 0%` runs them, with V8's sampling heap profiler on over seeds
// W+1..N only (warm code: the first few hundred seeds of a thread compile). The sampler keeps the
// objects scavenges and mark-compacts collected too, so its total is the bytes allocated, not those
// left. Prints one JSON line: steps, bytes per step, scavenges and mark-compacts per 1,000 seeds and
// main-thread CPU over the measured seeds; writes the profile where it is told. Linux only (/proc).
import { readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { loadScenario } from "../cli/load.ts";
import { runSeed } from "../harness/seed.ts";

/** Seconds of CPU (user + system) of this process's main thread. */
function mainThreadCpuSeconds(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Lets the event loop turn, so the GC observer hears of the collections so far. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  const [scenarioRef = "default", seedsText = "1500", warmText = "1000", out = "", intervalText = "8192"] = process.argv.slice(2);
  const scenario = { ...loadScenario(scenarioRef), crypto: "noble" as const };
  const seeds = Number(seedsText);
  const warm = Number(warmText);
  let scavenges = 0;
  let markCompacts = 0;
  let counting = false;
  const gcs = new PerformanceObserver((list) => {
    if (!counting) return;
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) markCompacts++;
    }
  });
  gcs.observe({ entryTypes: ["gc"] });
  const session = new Session();
  session.connect();
  let steps = 0;
  let cpuBefore = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    if (seed === warm + 1) {
      await turn();
      counting = true;
      await session.post("HeapProfiler.enable");
      await session.post("HeapProfiler.startSampling", {
        samplingInterval: Number(intervalText),
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      cpuBefore = mainThreadCpuSeconds();
    }
    const result = runSeed(scenario, seed, { stepsMax: scenario.campaign.stepsDefault, checkDeterminism: false });
    if (seed > warm) steps += result.steps;
    if (seed % 100 === 0) await turn();
  }
  const cpu = mainThreadCpuSeconds() - cpuBefore;
  const { profile } = await session.post("HeapProfiler.stopSampling");
  await turn();
  gcs.disconnect();
  let bytes = 0;
  const walk = (node: { selfSize: number; children: unknown[] }): void => {
    bytes += node.selfSize;
    for (const child of node.children) walk(child as typeof node);
  };
  walk(profile.head);
  if (out !== "") writeFileSync(out, JSON.stringify(profile));
  const measured = seeds - warm;
  console.log(
    JSON.stringify({
      seeds: `${warm + 1}-${seeds}`,
      steps,
      bytesPerStep: Math.round(bytes / steps),
      scavengesPer1000Seeds: Math.round((scavenges * 1000) / measured),
      markCompactsPer1000Seeds: Math.round((markCompacts * 1000) / measured),
      mainCpuUsPerStepProfiled: Math.round((cpu * 1e6) / steps),
    }),
  );
}

void main();
