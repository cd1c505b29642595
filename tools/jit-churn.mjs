// How much of a campaign's CPU goes to V8's optimizing compiler, and why (issue 11). Bundles
// tools/jit-churn-driver.ts (seeds 1..N of a scenario on one thread, as `kmsim fuzz --workers 1`),
// runs it under --trace-opt --trace-deopt-verbose with V8's stdout unbuffered (stdbuf), and reports:
// per block of seeds, TurboFan's completed compiles, the milliseconds they took (V8's "took a, b, c"
// — wall time of a background job, so it swells on a loaded machine; the thread CPU columns do not),
// eager and lazy deopts, and the CPU seconds of the main thread and of V8's background threads
// (concurrent compiles and GC helpers); then the functions whose compiles cost most and the source
// sites (mapped through the bundle's source map) whose deopts sent the most functions back — over the
// whole run, or with --from K only from the block holding seed K on (what still compiles once warm).
// Linux only. Flags after `--` go to the traced node (e.g. -- --interrupt-budget=270336).
// Run: node tools/jit-churn.mjs [--scenario S] [--seeds N] [--every K] [--from K] [--top T] [-- V8FLAGS...]
import { spawnSync } from "node:child_process";
import console from "node:console";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { bundleDriver } from "./bundle-driver.mjs";

const ROOT = dirname(import.meta.dirname);
const dash = process.argv.indexOf("--", 2);
const own = dash < 0 ? process.argv.slice(2) : process.argv.slice(2, dash);
const v8Flags = dash < 0 ? [] : process.argv.slice(dash + 1);
const { values } = parseArgs({
  args: own,
  options: {
    scenario: { type: "string", default: "default" },
    seeds: { type: "string", default: "1200" },
    every: { type: "string", default: "100" },
    top: { type: "string", default: "15" },
    from: { type: "string", default: "1" },
  },
});
const top = Number(values.top);
/** Compiles and deopts are tallied by function and site from the block that holds this seed on. */
const tallyFromSeed = Number(values.from);

const work = mkdtempSync(join(tmpdir(), "jit-churn-"));
const bundle = join(work, "driver.cjs");
await bundleDriver("jit-churn-driver.ts", ROOT, bundle);
const traceFile = join(work, "trace.txt");
const out = openSync(traceFile, "w");
const run = spawnSync(
  "stdbuf",
  ["-o0", process.execPath, ...v8Flags, "--trace-opt", "--trace-deopt-verbose", bundle, values.scenario, values.seeds, values.every],
  { stdio: ["ignore", out, "inherit"] },
);
closeSync(out);
if (run.status !== 0) throw new Error(`tools/jit-churn.mjs: the traced run failed (exit ${run.status}, ${run.error ?? ""})`);
const lines = readFileSync(traceFile, "utf8").split("\n");
const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
rmSync(work, { recursive: true, force: true });

/** A bundle position `line:column` as the source file, line and column it came from. */
function sourceOf(position) {
  const [line, column] = position.split(":").map(Number);
  const entry = map.findEntry(line - 1, column - 1);
  if (entry?.originalSource === undefined) return position;
  const file = relative(ROOT, resolve(work, entry.originalSource.replace(/^file:\/\//, "")));
  return `${file}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

const COMPILED = /^\[completed compiling 0x[0-9a-f]+ <JSFunction ?(\S*) ?\(sfi = 0x([0-9a-f]+)\)>.* took ([\d.]+), ([\d.]+), ([\d.]+) ms\]/;
const BAILOUT = /^\[bailout \(kind: deopt-(\w+), reason: (.*?)\): begin\. deoptimizing 0x[0-9a-f]+ <JSFunction ?(\S*) ?\(sfi/;
const MARKER = /^@@jit-churn seed=(\d+) steps=(\d+) main=([\d.]+) background=([\d.]+)/;

const blocks = [];
let block = { compiles: 0, compileMs: 0, eager: 0, lazy: 0 };
const byFunction = new Map(); // name@sfi → { compiles, ms }
const bySite = new Map(); // site [reason] → { deopts, functions }
let last = { seed: 0, steps: 0, main: 0, background: 0 };
let tallying = tallyFromSeed <= 1;
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const marker = MARKER.exec(line);
  if (marker !== null) {
    const now = { seed: Number(marker[1]), steps: Number(marker[2]), main: Number(marker[3]), background: Number(marker[4]) };
    blocks.push({
      ...block,
      from: last.seed + 1,
      to: now.seed,
      steps: now.steps - last.steps,
      main: now.main - last.main,
      background: now.background - last.background,
    });
    block = { compiles: 0, compileMs: 0, eager: 0, lazy: 0 };
    last = now;
    tallying = now.seed + Number(values.every) >= tallyFromSeed;
    continue;
  }
  const compiled = COMPILED.exec(line);
  if (compiled !== null) {
    const ms = Number(compiled[3]) + Number(compiled[4]) + Number(compiled[5]);
    block.compiles++;
    block.compileMs += ms;
    if (!tallying) continue;
    const key = `${compiled[1] || "(anonymous)"}@${compiled[2].slice(-5)}`;
    const f = byFunction.get(key) ?? { compiles: 0, ms: 0 };
    f.compiles++;
    f.ms += ms;
    byFunction.set(key, f);
    continue;
  }
  const bailout = BAILOUT.exec(line);
  if (bailout === null) continue;
  if (bailout[1] === "lazy") {
    block.lazy++;
    continue;
  }
  block.eager++;
  if (!tallying) continue;
  const at = /deoptimize at <[^>]*?:(\d+:\d+)>/.exec(lines[i + 1] ?? "");
  const key = `${at === null ? "?" : sourceOf(at[1])} [${bailout[2]}]`;
  const site = bySite.get(key) ?? { deopts: 0, functions: new Set() };
  site.deopts++;
  site.functions.add(bailout[3] || "(anonymous)");
  bySite.set(key, site);
}

const fixed = (x, digits = 2) => x.toFixed(digits);
console.log(`jit-churn: scenario ${values.scenario}, seeds 1..${values.seeds}${v8Flags.length > 0 ? `, node ${v8Flags.join(" ")}` : ""}`);
console.log("seeds        steps  compiles  compile-ms  deopts(eager/lazy)  main-cpu-s  background-cpu-s  us/step(all threads)");
const total = { steps: 0, compiles: 0, compileMs: 0, eager: 0, lazy: 0, main: 0, background: 0 };
for (const b of blocks) {
  for (const k of Object.keys(total)) total[k] += b[k];
  const usPerStep = b.steps > 0 ? ((b.main + b.background) * 1e6) / b.steps : 0;
  console.log(
    `${`${b.from}-${b.to}`.padEnd(11)} ${String(b.steps).padStart(6)}  ${String(b.compiles).padStart(8)}  ${fixed(b.compileMs, 0).padStart(10)}  ${`${b.eager}/${b.lazy}`.padStart(18)}  ${fixed(b.main).padStart(10)}  ${fixed(b.background).padStart(16)}  ${fixed(usPerStep, 0).padStart(20)}`,
  );
}
console.log(
  `total: ${total.steps} steps, ${total.compiles} compiles, ${fixed(total.compileMs, 0)} compile-ms, ${total.eager} eager and ${total.lazy} lazy deopts, CPU main ${fixed(total.main)} s + background ${fixed(total.background)} s`,
);
const since = tallyFromSeed > 1 ? `, from the block holding seed ${tallyFromSeed}` : "";
console.log(`\nfunctions by compile-ms (top ${top}${since}):`);
for (const [name, f] of [...byFunction].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
  console.log(`${fixed(f.ms, 0).padStart(8)} ms  ${String(f.compiles).padStart(3)} compiles  ${name}`);
console.log(`\ndeopt sites by eager deopts (top ${top}${since}):`);
for (const [site, s] of [...bySite].sort((a, b) => b[1].deopts - a[1].deopts).slice(0, top))
  console.log(`${String(s.deopts).padStart(4)}  ${site}  in ${[...s.functions].join(", ")}`);
