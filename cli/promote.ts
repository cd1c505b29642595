// `kmsim promote REPRO`: a failure becomes a test. The repro file is checked (it must load as a
// script), given a description and written into test/fixtures/regressions/, which
// test/harness/regressions.test.ts replays on every `npm test` — it passes once the bug is fixed. A
// canary's repro is refused: its bug is planted on purpose and never fixed.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../protocol/input-error.ts";
import { writeWhole } from "../reports/write.ts";
import { parse, text } from "./args.ts";
import { loadScript, readJson, ROOT } from "./load.ts";
import { ensureWritableDir } from "./out-dir.ts";

export const PROMOTE_HELP = `kmsim promote REPRO [--name N] [--description TEXT] [--dir DIR]

Copies a repro file into the regression fixtures (test/fixtures/regressions/N.json), with a
description of what went wrong, so test/harness/regressions.test.ts replays it from then on. The
test expects it to pass: promote a failure once it is fixed (or as you fix it).

  --name N             file name, letters, digits, - and _ [<scenario>-seed-<seed>]
  --description TEXT   what went wrong [the repro's kind, step and first message line]
  --dir DIR            where the fixtures are [test/fixtures/regressions]

Exit: 0 written, 2 bad input or usage (an existing fixture is never overwritten).`;

export function promoteMain(argv: string[]): number {
  const { values, positionals } = parse(
    "promote",
    argv,
    { name: { type: "string" }, description: { type: "string" }, dir: { type: "string" } },
    1,
  );
  if (values.help === true) return (void console.log(PROMOTE_HELP), 0);
  const file = positionals[0];
  if (file === undefined) throw new InputError("kmsim promote: REPRO is required (see kmsim promote --help)");
  const script = loadScript(file);
  if (script.scenario.canary !== undefined)
    throw new InputError(
      `kmsim promote: ${file}: a repro of the canary scenario '${script.world}', which plants the bug '${script.scenario.canary.mutant}' on purpose; it is no regression to keep`,
    );
  if (script.scenario.file !== undefined)
    throw new InputError(
      `kmsim promote: ${file}: its scenario is the file ${script.scenario.file}, not one of scenarios/, where the regression test finds its worlds on any machine; add it there and promote a repro of it by name`,
    );
  const doc = readJson(file) as Record<string, unknown>;
  const name = text(values.name, `${script.world}-seed-${script.seed}`);
  if (!/^[\w-]{1,100}$/.test(name))
    throw new InputError(`kmsim promote: --name must be letters, digits, - and _ (at most 100), not '${name}'`);
  const failure = doc["failure"] as { kind?: string; step?: number; message?: string } | undefined;
  const fallback =
    typeof doc["description"] === "string"
      ? doc["description"]
      : failure !== undefined
        ? `${failure.kind ?? "failure"} at step ${failure.step ?? "—"}: ${String(failure.message ?? "").split("\n")[0]}`
        : "";
  const description = text(values.description, fallback);
  if (description.trim() === "") throw new InputError("kmsim promote: the repro has no failure to describe; give --description TEXT");
  const dir = ensureWritableDir("promote", text(values.dir, join(ROOT, "test", "fixtures", "regressions")));
  const target = join(dir, `${name}.json`);
  if (existsSync(target)) throw new InputError(`kmsim promote: ${target} exists; give another --name`);
  const fixture = {
    world: script.world,
    seed: script.seed,
    description,
    ...(failure?.message !== undefined ? { failedWith: failure.message } : {}),
    ...(typeof doc["command"] === "string" ? { command: doc["command"] } : {}),
    steps: script.steps,
  };
  writeWhole(target, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`promoted: ${target} — test/harness/regressions.test.ts replays it and expects it to pass`);
  if (doc["kind"] === "hang")
    console.error(
      `kmsim promote: warning: this repro hung (kind hang); until the loop is fixed, npm test hangs replaying it, where no test timeout can stop it`,
    );
  if (script.outOfMemory !== undefined)
    console.error(
      `kmsim promote: warning: this repro ran its thread out of memory; until the bug is fixed, npm test fills its heap replaying it and ends without a report`,
    );
  return 0;
}
