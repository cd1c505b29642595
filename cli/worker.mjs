// A fuzz worker thread: registers tsx (threads do not inherit it), loads the scenario once, then runs
// each seed it is sent ({seed, checkDeterminism}) and posts the result back. Plain data both ways.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { loadScenario } = await import("./load.ts");
const { runSeed } = await import("../harness/seed.ts");
const scenario = loadScenario(workerData.scenario);

parentPort.on("message", ({ seed, checkDeterminism }) => {
  try {
    parentPort.postMessage({ seed, result: runSeed(scenario, seed, { stepsMax: workerData.stepsMax, checkDeterminism }) });
  } catch (e) {
    parentPort.postMessage({ seed, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
