// Reading the user's files: a scenario by name (scenarios/<name>.json) or path, and a step script
// or repro file. Every problem is an InputError naming the file, the field and what is wrong.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../protocol/input-error.ts";
import { OPERATION_NAMES } from "../harness/operations/index.ts";
import { parseScenario, type Scenario } from "../harness/scenario.ts";
import type { Json, Step } from "../protocol/step.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function readJson(file: string): Json {
  if (!existsSync(file)) throw new InputError(`${file}: no such file`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Json;
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** A scenario by name (looked up in scenarios/) or by path; a `world` given by name is read from scenarios/worlds/. */
export function loadScenario(nameOrPath: string): Scenario {
  const file = nameOrPath.endsWith(".json") ? nameOrPath : join(ROOT, "scenarios", `${nameOrPath}.json`);
  if (!existsSync(file)) throw new InputError(`--scenario ${nameOrPath}: no scenario file ${file}`);
  const doc = readJson(file);
  if (typeof doc === "object" && doc !== null && !Array.isArray(doc) && typeof doc["world"] === "string") {
    const worldFile = join(ROOT, "scenarios", "worlds", `${doc["world"]}.json`);
    if (!existsSync(worldFile)) throw new InputError(`${file}: world: no world file ${worldFile}`);
    return parseScenario({ ...doc, world: readJson(worldFile) }, file, OPERATION_NAMES);
  }
  return parseScenario(doc, file, OPERATION_NAMES);
}

export interface Script {
  world: string;
  seed: number;
  steps: Step[];
}

/** A script `{"world", "seed"?, "steps"}`, which is also what a repro file contains. */
export function loadScript(file: string): Script {
  const doc = readJson(file);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new InputError(`${file}: must be an object with "world" and "steps"`);
  const world = doc["world"] ?? doc["scenario"] ?? "default";
  if (typeof world !== "string") throw new InputError(`${file}: world: must be a scenario name`);
  const seed = doc["seed"] ?? 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0) throw new InputError(`${file}: seed: must be an integer >= 0`);
  const steps = doc["steps"];
  if (!Array.isArray(steps)) throw new InputError(`${file}: steps: must be a list`);
  steps.forEach((s, i) => {
    if (typeof s !== "object" || s === null || Array.isArray(s)) throw new InputError(`${file}: steps.${i}: must be an object`);
  });
  return { world, seed, steps: steps as unknown as Step[] };
}
