// Reading the user's files: a scenario by name (scenarios/<name>.json) or path, and a step script
// or repro file. Every problem is an InputError naming the file, the field and what is wrong; a
// script's steps are held to harness/script.ts's strict shape before anything runs, and a canary
// scenario's mutant to the catalogue (cli/canary.ts).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../protocol/input-error.ts";
import { checkCanary } from "./canary.ts";
import { OUT_OF_MEMORY_CHECK } from "./heap-limit.ts";
import { OPERATION_NAMES } from "../harness/operations/index.ts";
import { parseScenario, type Scenario } from "../harness/scenario.ts";
import { checkScript } from "../harness/script.ts";
import type { Json, Step } from "../protocol/step.ts";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Reads a JSON file; a leading UTF-8 byte order mark (as some editors write) is skipped. */
export function readJson(file: string): Json {
  if (!existsSync(file)) throw new InputError(`${file}: no such file`);
  if (!statSync(file).isFile()) throw new InputError(`${file}: not a file`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`${file}: cannot be read (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
  try {
    return JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text) as Json;
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
  }
}

/** The scenarios shipped in scenarios/, by name. */
export function scenarioNames(): string[] {
  return readdirSync(join(ROOT, "scenarios"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** A path is anything with a folder or an extension in it; a bare word is a scenario's name. */
function isPath(ref: string): boolean {
  return /[/\\]/.test(ref) || ref.endsWith(".json") || ref.startsWith(".");
}

/** A scenario by name (looked up in scenarios/) or by path (its `file` then set, absolute). */
export function loadScenario(nameOrPath: string): Scenario {
  if (isPath(nameOrPath)) {
    const file = !existsSync(nameOrPath) && existsSync(`${nameOrPath}.json`) ? `${nameOrPath}.json` : nameOrPath;
    if (!existsSync(file)) throw new InputError(`--scenario ${nameOrPath}: no such scenario file`);
    return { ...scenarioIn(file), file: resolve(file) };
  }
  const file = join(ROOT, "scenarios", `${nameOrPath}.json`);
  if (!/^[\w-]+$/.test(nameOrPath) || !existsSync(file))
    throw new InputError(
      `--scenario ${nameOrPath}: no such scenario (known: ${scenarioNames().join(", ")}; or give a path to a .json file)`,
    );
  return scenarioIn(file);
}

/** The scenario `file` holds; a `world` given by name is read from scenarios/worlds/. */
function scenarioIn(file: string): Scenario {
  const doc = readJson(file);
  if (typeof doc === "object" && doc !== null && !Array.isArray(doc) && typeof doc["world"] === "string") {
    const worldFile = join(ROOT, "scenarios", "worlds", `${doc["world"]}.json`);
    if (!/^[\w-]+$/.test(doc["world"]) || !existsSync(worldFile)) throw new InputError(`${file}: world: no world named '${doc["world"]}'`);
    return checked(parseScenario({ ...doc, world: readJson(worldFile) }, file, OPERATION_NAMES), file);
  }
  return checked(parseScenario(doc, file, OPERATION_NAMES), file);
}

/** What the harness cannot check of a scenario: a canary's mutant is one of the catalogue's. */
function checked(scenario: Scenario, file: string): Scenario {
  checkCanary(scenario, file);
  return scenario;
}

export interface Script {
  world: string;
  seed: number;
  steps: Step[];
  scenario: Scenario;
  /** A repro of a hang (cli/unfinished.ts): what its campaign said of it. Its last step never finishes. */
  hung?: string;
  /** A repro of a seed whose thread ran out of memory (cli/unfinished.ts): what its campaign said of it. Its last step fills the heap. */
  outOfMemory?: string;
}

/** Top-level fields of a script; a repro file adds what failed and how to get it back. */
const SCRIPT_FIELDS = [
  ...["world", "scenario", "scenarioFile", "seed", "steps", "description", "failedWith"],
  ...["kmsim", "kind", "failure", "originalFailure", "originalSteps", "fastCheck", "command", "replay"],
];

/** A script `{"world", "seed"?, "steps"}`, which is also what a repro file contains. */
export function loadScript(file: string): Script {
  const doc = readJson(file);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    throw new InputError(`${file}: must be an object with "world" and "steps"`);
  for (const field of Object.keys(doc))
    if (!SCRIPT_FIELDS.includes(field)) throw new InputError(`${file}: ${field}: unknown field (known: ${SCRIPT_FIELDS.join(", ")})`);
  const world = doc["world"] ?? doc["scenario"] ?? "default";
  const scenarioFile = doc["scenarioFile"];
  let scenario: Scenario;
  if (scenarioFile !== undefined) {
    // A repro of a campaign whose scenario was given by path: its world is that file's.
    if (typeof scenarioFile !== "string" || !existsSync(scenarioFile))
      throw new InputError(`${file}: scenarioFile: no scenario file at ${JSON.stringify(scenarioFile)} (the campaign's --scenario)`);
    scenario = loadScenario(scenarioFile.startsWith("/") ? scenarioFile : `./${scenarioFile}`);
    if (world !== scenario.name)
      throw new InputError(
        `${file}: world: ${JSON.stringify(world)}, but the scenario in ${scenarioFile} is named ${JSON.stringify(scenario.name)}`,
      );
  } else {
    if (typeof world !== "string" || !/^[\w-]+$/.test(world) || !scenarioNames().includes(world))
      throw new InputError(
        `${file}: world: unknown world ${JSON.stringify(world)} (known: ${scenarioNames().join(", ")}; a repro of a scenario given by path names it in scenarioFile)`,
      );
    scenario = loadScenario(world);
  }
  const seed = doc["seed"] ?? 0;
  if (typeof seed !== "number" || !Number.isSafeInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
    throw new InputError(`${file}: seed: must be a whole number from 0 to ${2 ** 31 - 1}`);
  const steps = doc["steps"];
  if (!Array.isArray(steps)) throw new InputError(`${file}: steps: must be a list`);
  const failure = doc["failure"];
  const said = typeof failure === "object" && failure !== null && !Array.isArray(failure) ? failure : {};
  const message = typeof said["message"] === "string" ? said["message"] : undefined;
  const hung = doc["kind"] === "hang" ? message : undefined;
  const outOfMemory = said["check"] === OUT_OF_MEMORY_CHECK ? message : undefined;
  return {
    world: scenario.name,
    seed,
    steps: checkScript(file, steps, scenario),
    scenario,
    ...(hung === undefined ? {} : { hung }),
    ...(outOfMemory === undefined ? {} : { outOfMemory }),
  };
}
