// Where a warm harness step's allocations come from (issue 11: allocation drives the GC's share of
// the worker thread, its helper threads' CPU and the old generation's growth). Bundles
// tools/alloc-profile-driver.ts, runs seeds 1..N of a scenario on one thread with V8's sampling heap
// profiler over seeds W+1..N (collected objects included), and prints bytes allocated per step,
// scavenges per 1,000 seeds, then the source functions (mapped through the bundle's source map) that
// allocate most: by their own allocations and with what they call. A built-in (Array.prototype.map,
// a Map iterator's next) is named with the function that called it. --root runs another checkout's
// sources (an A/B against main), --focus NAME lists what a function's callees allocate.
// Run: node tools/alloc-profile.mjs [--scenario S] [--seeds 1500] [--warm 1000] [--top 40] [--root DIR] [--focus NAME]
import { spawnSync } from "node:child_process";
import console from "node:console";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { bundleDriver } from "./bundle-driver.mjs";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "default" },
    seeds: { type: "string", default: "1500" },
    warm: { type: "string", default: "1000" },
    top: { type: "string", default: "40" },
    interval: { type: "string", default: "8192" },
    root: { type: "string", default: dirname(import.meta.dirname) },
    focus: { type: "string" },
  },
});
const root = resolve(values.root);
const work = mkdtempSync(join(tmpdir(), "alloc-profile-"));
const bundle = join(work, "driver.cjs");
await bundleDriver("alloc-profile-driver.ts", root, bundle);
const profileFile = join(work, "profile.heapprofile");
const run = spawnSync(process.execPath, [bundle, values.scenario, values.seeds, values.warm, profileFile, values.interval], {
  stdio: ["ignore", "pipe", "inherit"],
  encoding: "utf8",
});
if (run.status !== 0) throw new Error(`tools/alloc-profile.mjs: the profiled run failed (exit ${run.status}, ${run.error ?? ""})`);
console.log(run.stdout.trim());
const profile = JSON.parse(readFileSync(profileFile, "utf8"));
const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, "utf8")));
rmSync(work, { recursive: true, force: true });

/** A profile node's function as `name file:line` of its source, or a built-in's name. */
function nameOf(node) {
  const frame = node.callFrame;
  const name = frame.functionName || "(anonymous)";
  if (!frame.url.endsWith(".cjs")) return name;
  const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry?.originalSource === undefined) return name;
  const file = entry.originalSource.replace(/^.*?\/((model|sim|harness|protocol|cli|tools|node_modules)\/)/, "$1");
  return `${name} ${file}:${entry.originalLine + 1}`;
}

const self = new Map();
const inclusive = new Map();
const underFocus = new Map();
let total = 0;
const add = (m, key, bytes) => m.set(key, (m.get(key) ?? 0) + bytes);
function walk(node, stack, caller, focusChild) {
  let key = nameOf(node);
  const builtIn = !key.includes(" ");
  if (builtIn && caller !== "") key = `${key} <- ${caller}`;
  total += node.selfSize;
  add(self, key, node.selfSize);
  const here = stack.includes(key) ? stack : [...stack, key];
  for (const k of here) add(inclusive, k, node.selfSize);
  let child = focusChild;
  if (values.focus !== undefined) {
    if (child === undefined && key.startsWith(values.focus)) child = "(self)";
    else if (child === "(self)") child = key;
    if (child !== undefined) add(underFocus, child, node.selfSize);
  }
  for (const c of node.children) walk(c, here, builtIn ? caller : key, child);
}
walk(profile.head, [], "", undefined);

const top = Number(values.top);
const show = (m) => {
  for (const [k, bytes] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${(bytes / 1e6).toFixed(1).padStart(8)} MB ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`\nsampled ${(total / 1e6).toFixed(0)} MB over seeds ${Number(values.warm) + 1}-${values.seeds}; by own allocations:`);
show(self);
console.log("\nwith what they call:");
show(inclusive);
if (values.focus !== undefined) {
  console.log(`\nunder ${values.focus}, by callee:`);
  show(underFocus);
}
