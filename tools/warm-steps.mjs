// CPU per warm harness step, old code against new on the same seeds (issue 11). The bench's harness
// windows draw new seeds each time, so on a shared machine two runs of the same code differ by more
// than a change moves them; this compares checkouts on identical work instead. For each round and each
// checkout in turn, one fuzz worker thread of that checkout's build (its dist/worker.cjs, as `kmsim
// fuzz` runs it, with V8's default heap sizes for every checkout alike rather than cli/pool.ts's
// SEED_THREAD_LIMITS) warms up on seeds of its own, then runs seeds 1..N; printed per checkout: the process's
// CPU and the wall time per step, each round, then the medians. Checkouts must be built (run `node
// bin/kmsim.mjs --help` in each once) and are taken in alternation, so drift in the machine's load
// touches all of them alike.
// Run: node tools/warm-steps.mjs [--scenario S] [--warm 500] [--seeds 400] [--rounds 3] [DIR...] (default: this checkout)
import console from "node:console";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: "string", default: "default" },
    warm: { type: "string", default: "500" },
    seeds: { type: "string", default: "400" },
    rounds: { type: "string", default: "3" },
  },
});
/** A usage mistake: one line on stderr, exit 2. */
function fail(message) {
  console.error(`tools/warm-steps.mjs: ${message}`);
  process.exit(2);
}
const count = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number, not '${values[name]}'`);
  return n;
};
const [warm, seeds, rounds] = [count("warm"), count("seeds"), count("rounds")];
const dirs = (positionals.length > 0 ? positionals : [dirname(import.meta.dirname)]).map((d) => resolve(d));
for (const dir of dirs)
  if (!existsSync(join(dir, "dist", "worker.cjs"))) fail(`${dir}/dist/worker.cjs is missing: run node bin/kmsim.mjs --help there first`);

/** Warm-up seeds are far above the timed ones, so no timed seed ran before on the thread. */
const WARMUP_SEED_FIRST = 1_000_000;
/** Steps per seed, as `kmsim fuzz` gives its workers: the scenario's own default (a shipped name or a path). */
const scenarioFile = existsSync(values.scenario) ? values.scenario : join(dirs[0], "scenarios", `${values.scenario}.json`);
if (!existsSync(scenarioFile)) fail(`--scenario ${values.scenario}: no such scenario (${scenarioFile})`);
const STEPS_MAX = JSON.parse(readFileSync(scenarioFile, "utf8")).campaign.stepsDefault;

/** One checkout's worker: warmed, then seeds 1..N timed. */
async function measure(dir) {
  const worker = new Worker(pathToFileURL(join(dir, "dist", "worker.cjs")), {
    workerData: { scenario: values.scenario, stepsMax: STEPS_MAX, crypto: "noble" },
  });
  let answer;
  worker.on("message", (m) => answer(m));
  const run = (seed) =>
    new Promise((resolveRun, reject) => {
      answer = (m) => (m.result === undefined ? reject(new Error(`${dir}: seed ${seed}: ${m.error}`)) : resolveRun(m.result.steps));
      worker.postMessage({ seed, checkDeterminism: false });
    });
  try {
    for (let i = 0; i < warm; i++) await run(WARMUP_SEED_FIRST + i);
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    let steps = 0;
    for (let seed = 1; seed <= seeds; seed++) steps += await run(seed);
    const cpu = process.cpuUsage(cpu0);
    return { steps, cpuUsPerStep: (cpu.user + cpu.system) / steps, wallUsPerStep: ((performance.now() - wall0) * 1000) / steps };
  } finally {
    await worker.terminate();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(dirs.map((d) => [d, []]));
console.log(`warm-steps: scenario ${values.scenario}, ${warm} warm-up seeds, then seeds 1..${seeds}, ${rounds} rounds`);
for (let round = 1; round <= rounds; round++)
  for (const dir of dirs) {
    const r = await measure(dir);
    results.get(dir).push(r);
    console.log(
      `round ${round}  ${dir}  ${r.steps} steps  CPU ${r.cpuUsPerStep.toFixed(1)} us/step  wall ${r.wallUsPerStep.toFixed(1)} us/step`,
    );
  }
for (const [dir, rs] of results)
  console.log(
    `median  ${dir}  CPU ${median(rs.map((r) => r.cpuUsPerStep)).toFixed(1)} us/step  wall ${median(rs.map((r) => r.wallUsPerStep)).toFixed(1)} us/step`,
  );
