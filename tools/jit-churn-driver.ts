// The seed loop tools/jit-churn.mjs runs under V8's tracing: seeds 1..N of a scenario on this thread,
// as `kmsim fuzz --workers 1` runs them (same rechecked share), with a marker line every K seeds that
// says how far it got and how much CPU the main thread and V8's background threads (TurboFan's
// concurrent compiles, GC helpers) have used so far. Markers are written straight to fd 1 so they
// land in order among V8's trace lines (the runner makes V8's stdout unbuffered). Linux only (/proc).
import { readdirSync, readFileSync, writeSync } from "node:fs";
import { rechecks } from "../cli/budget.ts";
import { loadScenario } from "../cli/load.ts";
import { runSeed } from "../harness/seed.ts";

/** Seconds of CPU (user + system) of this process's main thread and of all its other threads. */
function threadCpuSeconds(): { main: number; background: number } {
  let main = 0;
  let background = 0;
  for (const task of readdirSync("/proc/self/task")) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${task}/stat`, "utf8");
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const seconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
    if (task === String(process.pid)) main = seconds;
    else background += seconds;
  }
  return { main, background };
}

const [scenarioRef = "default", seedsText = "1200", everyText = "100", recheckText = "5"] = process.argv.slice(2);
const scenario = { ...loadScenario(scenarioRef), crypto: "noble" as const };
const seeds = Number(seedsText);
const every = Number(everyText);
let steps = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const result = runSeed(scenario, seed, {
    stepsMax: scenario.campaign.stepsDefault,
    checkDeterminism: rechecks(seed, Number(recheckText)),
  });
  steps += result.steps;
  if (seed % every === 0 || seed === seeds) {
    const cpu = threadCpuSeconds();
    writeSync(1, `@@jit-churn seed=${seed} steps=${steps} main=${cpu.main.toFixed(2)} background=${cpu.background.toFixed(2)}\n`);
  }
}
