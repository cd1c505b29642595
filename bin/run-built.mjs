// Runs the built CLI (dist/kmsim.cjs) with a V8 code cache beside it (dist/kmsim.cjs.cache): what
// Node 22's module.enableCompileCache() does, by hand for Node 20. Compiling the ~0.8 MB bundle is a
// large part of a short run's start-up; with the cache V8 reuses the code a previous run compiled.
// The build writes the cache by running seed 1 once; a run whose cache V8 rejects (another Node
// version or flags) writes a fresh one. The cache never changes what runs, only how fast it starts.
// A campaign process runs under V8 flags of its own (bin/campaign-flags.mjs) and so keeps a cache of
// its own: with one cache for both, every switch between a campaign and a single run would reject it.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { hasCampaignFlags } from "./campaign-flags.mjs";

/** The CommonJS module wrapper, as node's own loader applies it. */
const wrap = (source) => `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** Runs `kmsim ARGV` from the build in `dist`; resolves to the exit code. */
export async function runBuilt(dist, argv) {
  const file = join(dist, "kmsim.cjs");
  const cacheFile = hasCampaignFlags() ? `${file}.campaign.cache` : `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined; // not written yet
  }
  const script = new Script(wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  const code = await module.exports.main(argv, { fromCommand: true });
  if (cachedData === undefined || script.cachedDataRejected) {
    const next = `${cacheFile}.${process.pid}`;
    writeFileSync(next, script.createCachedData());
    renameSync(next, cacheFile); // whole or not at all, whoever else is starting
  }
  return code;
}

// `node bin/run-built.mjs DIST ARGS...`: how the build warms the cache of a build it just made.
if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  const [dist, ...argv] = process.argv.slice(2);
  process.exitCode = await runBuilt(dist, argv);
}
