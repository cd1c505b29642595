// A fuzz worker thread: loads the scenario once (with the crypto backend the campaign chose, and a
// canary's mutant planted), then runs each seed it is sent ({seed, checkDeterminism}) and posts the
// result back — a run that throws is the seed's crash of the harness (cli/unfinished.ts) —, beating
// on the pulse it shares with the pool's watchdog as each step starts. Plain data both ways. Built to
// dist/worker.cjs; run from the sources (tests) it is started through worker.mjs, which registers tsx.
import { parentPort, workerData } from "node:worker_threads";
import { SeedPulse } from "../harness/pulse.ts";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";
import { plantCanary } from "./canary.ts";
import { loadScenario } from "./load.ts";
import { runSeedOrCrash } from "./unfinished.ts";

interface WorkerData {
  scenario: string;
  stepsMax: number;
  crypto: CryptoBackendName;
  /** The pulse's memory, shared with the pool (harness/pulse.ts). */
  pulse: SharedArrayBuffer;
}

const data = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error("cli/worker.ts: must run as a worker thread");
const scenario = { ...loadScenario(data.scenario), crypto: data.crypto };
plantCanary(scenario); // for the thread's life: it runs this scenario's seeds only
const pulse = new SeedPulse(data.pulse);

port.on("message", ({ seed, checkDeterminism }: { seed: number; checkDeterminism: boolean }) => {
  pulse.seedStarted(seed);
  port.postMessage({ seed, result: runSeedOrCrash(scenario, seed, { stepsMax: data.stepsMax, checkDeterminism, pulse }) });
});
