// A mutant-hunting worker thread: registers tsx (threads do not inherit it), loads the scenarios once,
// then for each mutant name it is sent applies that mutant in this thread, hunts it (cli/hunt.ts),
// undoes it and posts the result back. Plain data both ways.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { loadScenario } = await import("./load.ts");
const { hunt } = await import("./hunt.ts");
const { mutantNamed } = await import("../mutants/catalogue.ts");
const scenarios = new Map(workerData.scenarios.map((name) => [name, loadScenario(name)]));

parentPort.on("message", (name) => {
  try {
    const mutant = mutantNamed(name);
    if (mutant === undefined) throw new Error(`no mutant ${name}`);
    const only = workerData.scenario === null ? mutant : { ...mutant, scenarios: [workerData.scenario] };
    parentPort.postMessage({ name, result: hunt(only, scenarios, workerData.options) });
  } catch (e) {
    parentPort.postMessage({ name, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
