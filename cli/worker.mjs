// A fuzz worker thread: registers tsx (threads do not inherit it), loads the scenario once, then runs
// each seed it is sent and posts the result back. Plain data both ways.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { loadScenario } = await import("./load.ts");
const { runSeed } = await import("../harness/seed.ts");
const scenario = { ...loadScenario(workerData.scenario), crypto: workerData.crypto };

parentPort.on("message", (seed) => {
  try {
    parentPort.postMessage({ seed, result: runSeed(scenario, seed, { stepsMax: workerData.stepsMax }) });
  } catch (e) {
    parentPort.postMessage({ seed, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
