// A mutant-hunting worker thread: loads the scenarios once, then for each mutant name it is sent
// applies that mutant in this thread, hunts it (cli/hunt.ts) beating on the pulse it shares with the
// watchdog, undoes it and posts the result back.
// Plain data both ways. Built to dist/mutants-worker.js; run from the sources (tests) it is started
// through mutants-worker.mjs, which registers tsx first.
import { parentPort, workerData } from "node:worker_threads";
import { SeedPulse } from "../harness/pulse.ts";
import { mutantNamed } from "../mutants/catalogue.ts";
import { hunt, huntedIn, type HuntOptions } from "./hunt.ts";
import { loadScenario } from "./load.ts";

interface WorkerData {
  scenarios: string[];
  /** Hunt every mutant in this scenario only, instead of its own list. */
  scenario: string | null;
  options: HuntOptions;
  /** The pulse's memory, shared with the watchdog of huntAll (cli/mutants.ts). */
  pulse: SharedArrayBuffer;
}

const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error("cli/mutants-worker.ts: must run as a worker thread");
const scenarios = new Map(data.scenarios.map((name) => [name, loadScenario(name)]));
const pulse = new SeedPulse(data.pulse);

port.on("message", (name: string) => {
  try {
    const mutant = mutantNamed(name);
    if (mutant === undefined) throw new Error(`no mutant ${name}`);
    port.postMessage({ name, result: hunt(huntedIn(mutant, data.scenario), scenarios, data.options, pulse) });
  } catch (e) {
    port.postMessage({ name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
