// Builds the kmsim command into dist/ (npm runs this as `prepare`, so `npm ci` does it): esbuild
// bundles cli/main.ts with its dependencies into one CommonJS file, dist/kmsim.cjs, that
// bin/run-built.mjs runs with a V8 code cache, and the fuzz worker into dist/worker.js. Commands
// inside the bundle are initialised only when called, so `--help` runs none of the harness. Types are
// checked by `npm run typecheck`, not here. `staleReason()` tells bin/kmsim.mjs when to rebuild.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const ROOT = dirname(import.meta.dirname);
/** What the build reads: every room's sources, the bin/ scripts and the lockfile (dependencies are bundled). */
const SOURCE_DIRS = ["protocol", "sim", "model", "harness", "reports", "cli", "bin"];
const SOURCE_FILES = ["package-lock.json"];
const STAMP = "BUILT";

function newestMtimeMs(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a file deleted or renamed changes its directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtimeMs(join(path, entry)));
  return newest;
}

/** Why `dist` (default `<root>/dist`) cannot be used as it is, or undefined when it can. */
export function staleReason(root = ROOT, dist = join(root, "dist")) {
  const stamp = statSync(join(dist, STAMP), { throwIfNoEntry: false });
  if (stamp === undefined) return "no build yet";
  const newest = Math.max(
    ...SOURCE_DIRS.map((d) => newestMtimeMs(join(root, d))),
    ...SOURCE_FILES.map((f) => newestMtimeMs(join(root, f))),
  );
  return newest > stamp.mtimeMs ? "sources changed since the last build" : undefined;
}

const COMMON = { absWorkingDir: ROOT, bundle: true, platform: "node", target: "node20.19", sourcemap: "linked", logLevel: "warning" };

/**
 * Builds into a fresh directory, warms its code cache, then swaps it in for `dist` whole, so no run
 * sees half a build. `dist` must sit directly in the root: cli/load.ts finds scenarios/ one level up.
 */
export async function build(root = ROOT, dist = join(root, "dist")) {
  const { build: esbuild } = await import("esbuild");
  const next = `${dist}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  await esbuild({
    ...COMMON,
    absWorkingDir: root,
    entryPoints: { kmsim: "cli/main.ts" },
    outdir: next,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    // The sources are ES modules; in the bundle, import.meta.url is the bundle's own URL.
    define: { "import.meta.url": "__kmsimBundleUrl" },
    banner: { js: 'const __kmsimBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  await esbuild({
    ...COMMON,
    absWorkingDir: root,
    entryPoints: { worker: "cli/worker.ts" },
    outdir: next,
    format: "esm",
    // Bundled CommonJS dependencies (seedrandom) call require(); give the ES module one.
    banner: { js: 'import { createRequire as __kmsimRequire } from "node:module"; const require = __kmsimRequire(import.meta.url);' },
  });
  writeFileSync(join(next, STAMP), "built by bin/build.mjs; bin/kmsim.mjs rebuilds when a source is newer than this file\n");
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  warm(root, dist);
}

/** Writes the code cache by running seed 1 once, so the first real run already starts from it. */
function warm(root, dist) {
  const out = mkdtempSync(join(tmpdir(), "kmsim-warm-"));
  const run = spawnSync(process.execPath, [join(root, "bin", "run-built.mjs"), dist, "run", "--seed", "1", "--out", out], {
    cwd: root,
    encoding: "utf8",
  });
  rmSync(out, { recursive: true, force: true });
  if (run.status !== 0)
    throw new Error(`bin/build.mjs: the built CLI failed its warm-up run (exit ${run.status}):\n${run.stdout}${run.stderr}`);
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await build();
