// The bench's thread for the figures of kmsim's own code — AES-256-GCM alone and through the virtual
// KMS's hot path, and the authorization decisions —, built like the seed threads (dist/bench-worker.cjs,
// a CommonJS bundle of its own), so these figures are of the code as a campaign runs it. In the CLI's
// bundle, whose commands load on demand, esbuild initialises the same modules lazily: their module-level
// tables and constants become variables assigned by an init function, which V8 does not take as
// constants (a loop reading two 256-entry tables so took 1.4 times as long, in a micro-benchmark). There
// a 32-byte seal took 1.83 µs against 1.24 µs here, a KMS Encrypt about 4.0 µs against 3.3 (30 November
// 2026). Run from the sources through bench-worker.mjs.
import { parentPort, workerData } from "node:worker_threads";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";
import { measureCrypto } from "./bench/crypto-paths.ts";
import { measureDecisions } from "./bench/decisions.ts";
import type { TimingOptions } from "./bench/timing.ts";
import { loadScenario } from "./load.ts";

/** What the bench asks of the thread. */
export interface CodeFiguresRequest {
  scenarioRef: string;
  backends: CryptoBackendName[];
  sizes: number[];
  timing: TimingOptions;
}

const port = parentPort;
if (port === null) throw new Error("cli/bench-worker.ts: must run as a worker thread");
const { scenarioRef, backends, sizes, timing } = workerData as CodeFiguresRequest;
const scenario = loadScenario(scenarioRef);
port.postMessage({ ...measureCrypto(scenario, backends, sizes, timing), decisions: measureDecisions(scenario, timing) });
