#!/usr/bin/env node
// kmsim entry point: runs the built CLI (dist/, made by bin/build.mjs when npm installs) through
// bin/run-built.mjs. When a source is newer than the build — a developer edited a .ts file — it
// rebuilds first (about a second) and says so on stderr, so what runs is always what the sources say.
import { build, staleReason } from "./build.mjs";
import { runBuilt } from "./run-built.mjs";
import { join } from "node:path";

const stale = staleReason();
if (stale !== undefined) {
  process.stderr.write(`kmsim: building dist/ (${stale})\n`);
  await build();
}
process.exitCode = await runBuilt(join(import.meta.dirname, "..", "dist"), process.argv.slice(2));
