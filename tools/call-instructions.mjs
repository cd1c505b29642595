// Instructions per warm call through the virtual KMS, against the raw cipher call it makes (issue 11):
// a count that the machine's load does not move, where the bench's ratios do. Bundles
// tools/call-instructions-driver.ts, then for each operation runs it twice under
// `valgrind --tool=cachegrind --cache-sim=no` with node on one thread and made repeatable (NODE_FLAGS):
// `--warm` calls and then `--calls` more, and `--warm` calls and then 3 × `--calls` more. The difference
// over the 2 × `--calls` extra calls is one warm call's count, start-up, set-up and compiling of the
// first calls taken out. Prints, per operation, instructions per call and the ratio to the raw seal;
// the KMS path's own part is the call's count less the seal's.
// Linux with valgrind only. Slow: about a minute per run of the defaults.
// Run: node tools/call-instructions.mjs [--crypto noble|node] [--bytes 32] [--warm 4000] [--calls 4000] [--ops seal,Encrypt,Decrypt,GenerateDataKey]
import { spawnSync } from "node:child_process";
import console from "node:console";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { bundleDriver } from "./bundle-driver.mjs";

const ROOT = dirname(import.meta.dirname);
const { values } = parseArgs({
  options: {
    crypto: { type: "string", default: "noble" },
    bytes: { type: "string", default: "32" },
    warm: { type: "string", default: "4000" },
    calls: { type: "string", default: "4000" },
    ops: { type: "string", default: "seal,Encrypt,Decrypt,GenerateDataKey" },
  },
});
/** A usage mistake: one line on stderr, exit 2. */
function fail(message) {
  console.error(`tools/call-instructions.mjs: ${message}`);
  process.exit(2);
}
const count = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a whole number above 0, not '${values[name]}'`);
  return n;
};
const [bytes, warm, calls] = [count("bytes"), count("warm"), count("calls")];
if (values.crypto !== "noble" && values.crypto !== "node") fail(`--crypto must be noble or node, not '${values.crypto}'`);
const OPS = ["seal", "Encrypt", "Decrypt", "GenerateDataKey"];
const ops = values.ops.split(",");
for (const op of ops) if (!OPS.includes(op)) fail(`--ops: ${op} is not one of ${OPS.join(", ")}`);
/** GenerateDataKey's NumberOfBytes goes up to 1,024 (spec §8.2). */
if (ops.includes("GenerateDataKey") && bytes > 1024)
  fail("--bytes above 1024: GenerateDataKey cannot make a data key that long (leave it out of --ops)");
if (spawnSync("valgrind", ["--version"]).status !== 0) fail("valgrind is not installed (Debian: apt-get install valgrind)");

/**
 * The JIT's compiles on the one thread, counted alike; and V8 made repeatable (its GC schedule, hash
 * and random seeds fixed), so a count repeats to within a few instructions, where GC timing and compiles
 * falling inside the measured calls or not spread it over ±1,000 without.
 */
const NODE_FLAGS = ["--single-threaded", "--predictable", "--predictable-gc-schedule", "--hash-seed=4711", "--random-seed=4711"];

const work = mkdtempSync(join(tmpdir(), "call-instructions-"));
const bundle = join(work, "driver.cjs");
await bundleDriver("call-instructions-driver.ts", ROOT, bundle);

/** Instructions of one run of the driver: `op`, warm calls, then `extra` more. */
function instructions(op, extra) {
  const out = join(work, `cg.${op}.${extra}`);
  const args = ["--tool=cachegrind", "--cache-sim=no", `--cachegrind-out-file=${out}`, process.execPath, ...NODE_FLAGS];
  const run = spawnSync("valgrind", [...args, bundle, values.crypto, String(bytes), op, String(warm), String(extra)], { encoding: "utf8" });
  if (run.status !== 0)
    throw new Error(
      `tools/call-instructions.mjs: ${op} failed (exit ${run.status}): ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`,
    );
  const summary = readFileSync(out, "utf8").match(/^summary:\s+(\d+)/m);
  if (summary === null) throw new Error(`tools/call-instructions.mjs: no summary line in ${out}`);
  return Number(summary[1]);
}

try {
  console.log(`call-instructions: ${values.crypto}, ${bytes} B, ${warm} warm-up calls, then ${calls} and ${3 * calls} more`);
  let seal;
  for (const op of ops) {
    const perCall = (instructions(op, 3 * calls) - instructions(op, calls)) / (2 * calls);
    if (op === "seal") seal = perCall;
    const beyond =
      seal === undefined || op === "seal"
        ? ""
        : `  ${(perCall / seal).toFixed(2)} seals, ${Math.round(perCall - seal).toLocaleString("en-US")} beyond the seal`;
    console.log(`${op.padEnd(16)} ${Math.round(perCall).toLocaleString("en-US").padStart(10)} instructions a call${beyond}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
