// Runs the bench's figures of kmsim's own code (crypto paths, authorization decisions) on a thread of
// their own, started from the bench worker (cli/bench-worker.ts says why), and hands back its answer.
import { Worker } from "node:worker_threads";
import type { CodeFiguresRequest } from "../bench-worker.ts";
import { SEED_THREAD_LIMITS } from "../pool.ts";
import type { CryptoResult, Overhead } from "./crypto-paths.ts";
import type { DecisionRate } from "./decisions.ts";

/** The thread's script: the built one beside the built CLI (dist/bench-worker.cjs), or the tsx shim from the sources. */
const BENCH_WORKER_URL = new URL(import.meta.url.endsWith(".ts") ? "../bench-worker.mjs" : "./bench-worker.cjs", import.meta.url);

export interface CodeFigures {
  results: CryptoResult[];
  overhead: Overhead[];
  decisions: DecisionRate[];
}

export async function measureCodeFigures(request: CodeFiguresRequest): Promise<CodeFigures> {
  // With the seed threads' limits: the same code, under the same heap, as a campaign runs it.
  const worker = new Worker(BENCH_WORKER_URL, { workerData: request, resourceLimits: SEED_THREAD_LIMITS });
  try {
    return await new Promise<CodeFigures>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`bench: the measuring thread ended (exit ${code}) without its figures`)));
    });
  } finally {
    await worker.terminate();
  }
}
