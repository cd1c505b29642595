// A mutant-hunting worker thread: loads the scenarios once, then for each mutant name it is sent
// applies that mutant in this thread, hunts it (cli/hunt.ts), undoes it and posts the result back.
// Plain data both ways. Built to dist/mutants-worker.js; run from the sources (tests) it is started
// through mutants-worker.mjs, which registers tsx first.
import { parentPort, workerData } from "node:worker_threads";
import { mutantNamed } from "../mutants/catalogue.ts";
import { hunt, type HuntOptions } from "./hunt.ts";
import { loadScenario } from "./load.ts";

interface WorkerData {
  scenarios: string[];
  /** Hunt every mutant in this scenario only, instead of its own list. */
  scenario: string | null;
  options: HuntOptions;
}

const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error("cli/mutants-worker.ts: must run as a worker thread");
const scenarios = new Map(data.scenarios.map((name) => [name, loadScenario(name)]));

port.on("message", (name: string) => {
  try {
    const mutant = mutantNamed(name);
    if (mutant === undefined) throw new Error(`no mutant ${name}`);
    const only = data.scenario === null ? mutant : { ...mutant, scenarios: [data.scenario] };
    port.postMessage({ name, result: hunt(only, scenarios, data.options) });
  } catch (e) {
    port.postMessage({ name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
