// Builds the kmsim command into dist/ (npm runs this as `prepare`, so `npm ci` does it): esbuild
// bundles cli/main.ts with its dependencies into one CommonJS file, dist/kmsim.cjs, that
// bin/run-built.mjs runs with a V8 code cache, and the fuzz, mutant-hunting and bench workers into
// dist/worker.cjs, dist/mutants-worker.cjs and dist/bench-worker.cjs. Commands inside the CLI's bundle
// are initialised only when called, so `--help` runs none of the harness. Types are checked by
// `npm run typecheck`, not here. `staleReason()` tells bin/kmsim.mjs when to rebuild.
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const ROOT = dirname(import.meta.dirname);
/** What the build reads: every room's sources, the bin/ scripts and the lockfile (dependencies are bundled). */
export const SOURCE_DIRS = ["protocol", "sim", "model", "harness", "mutants", "reports", "cli", "bin"];
const SOURCE_FILES = ["package-lock.json"];
const STAMP = "BUILT";

/** Runs write their reports here by default: output, not source, so it never makes the build stale. */
const OUTPUT_DIRS = new Set(["reports/out"]);

// Every start runs staleReason() over the ~220 source files, so these two stay lean: paths joined by
// hand with "/" (path.join's normalising was most of their cost), one stat per file, no spread.

/** Every file the build reads, as paths from the root ("/"-separated), sorted. */
function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(`${root}/${dir}`, { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!OUTPUT_DIRS.has(path)) walk(path);
      } else files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(`${root}/${dir}`)) walk(dir);
  for (const file of SOURCE_FILES) if (existsSync(`${root}/${file}`)) files.push(file);
  return files.sort();
}

/** Why `dist` (default `<root>/dist`) cannot be used as it is, or undefined when it can. */
export function staleReason(root = ROOT, dist = join(root, "dist")) {
  const stamp = statSync(join(dist, STAMP), { throwIfNoEntry: false });
  if (stamp === undefined) return "no build yet";
  const files = sourceFiles(root);
  // A file added, deleted or renamed since the build shows in the list the stamp keeps.
  if (readFileSync(join(dist, STAMP), "utf8") !== stampText(files)) return "source files added or removed since the last build";
  for (const file of files) {
    const changed = statSync(`${root}/${file}`, { throwIfNoEntry: false });
    if (changed === undefined) return "source files added or removed since the last build";
    if (changed.mtimeMs > stamp.mtimeMs) return "sources changed since the last build";
  }
  return undefined;
}

/** What the stamp of a build of `root` made now says. */
export function stampFor(root = ROOT) {
  return stampText(sourceFiles(root));
}

function stampText(files) {
  return `built by bin/build.mjs from these files; bin/kmsim.mjs rebuilds when one is newer than this stamp or the list changes\n${files.join("\n")}\n`;
}

/**
 * Whitespace and comments are left out of the bundle (names are kept, so stacks still name functions;
 * the source map gives their TypeScript lines): the comments' non-ASCII characters (§, →, —) made
 * V8 read the whole 1.2 MB file as a two-byte string, and every start decodes and scans it. Without
 * them it is 0.94 MB of ASCII: about 27 M fewer instructions a start (of ~1,040 M for run --seed 3).
 */
const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  minifyWhitespace: true,
  platform: "node",
  target: "node20.19",
  sourcemap: "linked",
  logLevel: "warning",
};

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
    // The workers are CommonJS bundles too: V8 runs the same code faster as a CommonJS bundle than as
    // an ES module bundle — a 32-byte seal 1.23 against 1.78 us, an Encrypt 2.93 against 3.52 us, and
    // 3,000 seeds of `default` on two workers 17.0-18.1 s of CPU against 18.0-18.8 (three alternated
    // pairs, 30 November 2026).
    entryPoints: {
      kmsim: "cli/main.ts",
      worker: "cli/worker.ts",
      "mutants-worker": "cli/mutants-worker.ts",
      "bench-worker": "cli/bench-worker.ts",
    },
    outdir: next,
    outExtension: { ".js": ".cjs" },
    format: "cjs",
    // The sources are ES modules; in a bundle, import.meta.url is the bundle's own URL.
    define: { "import.meta.url": "__kmsimBundleUrl" },
    banner: { js: 'const __kmsimBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  });
  writeFileSync(join(next, STAMP), stampFor(root));
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  const warning = await warmUp(root, dist);
  if (warning !== undefined) console.error(warning);
}

/** Longest the build's warm-up run may take, in ms: seed 1 takes about a second. */
export const WARM_UP_MS_MAX = 30_000;

/**
 * Writes the code cache by running `argv` (seed 1) once with the build in `dist`, so the first real run
 * already starts from it. The warm-up's verdict is not the build's: seed 1 failing (exit 1) still writes
 * the cache, and a run that never ends or ends otherwise leaves the build without one, said in one line —
 * a bug in the sources is for the run about to start to report, with its repro, and never a reason to
 * refuse the build (nor is an endless loop a reason to hang it). Returns that line, or undefined.
 */
export async function warmUp(root, dist, argv = ["run", "--seed", "1"], timeoutMs = WARM_UP_MS_MAX) {
  // Loaded here, not at the top: every start imports this file for staleReason(), and node:child_process
  // (with net and stream) is a few percent of a short run's start-up that only a build needs.
  const { spawnSync } = await import("node:child_process");
  const { tmpdir } = await import("node:os");
  const out = mkdtempSync(join(tmpdir(), "kmsim-warm-"));
  const run = spawnSync(process.execPath, [join(root, "bin", "run-built.mjs"), dist, ...argv, "--out", out], {
    cwd: root,
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  rmSync(out, { recursive: true, force: true });
  if (run.status === 0 || run.status === 1) return undefined;
  const how = run.error?.code === "ETIMEDOUT" ? `did not finish in ${timeoutMs / 1000} s` : `ended with ${run.status ?? run.signal}`;
  return `kmsim: warning: the build's warm-up run (kmsim ${argv.join(" ")}) ${how}; the build has no code cache yet`;
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) await build();
