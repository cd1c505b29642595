// The memory check of `kmsim bench`: a campaign's peak memory should not grow with its number of
// seeds. Runs `kmsim fuzz` twice in child processes — a small and a large seed count, same scenario,
// workers and backend — and reads each one's peak resident set size (the whole process: main thread
// and worker threads). A ratio near 1 is flat. Wall-clock free; it only reads the OS's accounting.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CAMPAIGN_V8_FLAGS } from "../../bin/campaign-flags.mjs";
import type { CryptoBackendName } from "../../sim/crypto/backend.ts";
import { ROOT } from "../load.ts";

export interface MemoryCheck {
  scenario: string;
  workers: number;
  seedsSmall: number;
  seedsLarge: number;
  peakRssMiBSmall: number;
  peakRssMiBLarge: number;
  /** Large over small: 1 is flat. */
  ratio: number;
}

/** Peak RSS, in KiB, of `kmsim fuzz --seeds SEEDS` run as a child process (built CLI, bin/kmsim.mjs). */
async function campaignPeakRssKiB(scenarioRef: string, seeds: number, workers: number, crypto: CryptoBackendName): Promise<number> {
  const out = mkdtempSync(join(tmpdir(), "kmsim-bench-memory-"));
  // Under the campaign flags, as the command runs a campaign of several workers: the process measured is the campaign itself, not a parent handing it on.
  const argv = [...CAMPAIGN_V8_FLAGS, "--import", pathToFileURL(join(ROOT, "bin", "peak-rss.mjs")).href, join(ROOT, "bin", "kmsim.mjs")];
  argv.push("fuzz", "--scenario", scenarioRef, "--seeds", String(seeds), "--workers", String(workers), "--crypto", crypto, "--out", out);
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    const peak = /kmsim-peak-rss-kib (\d+)/.exec(stderr);
    // Exit 1 (a seed failed) still measures the campaign; anything else is not a campaign that ran.
    if ((code !== 0 && code !== 1) || peak === null) throw new Error(`bench: kmsim fuzz --seeds ${seeds} exited ${code}: ${stderr.trim()}`);
    return Number(peak[1]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function checkMemory(
  scenarioRef: string,
  seeds: readonly [number, number],
  workers: number,
  crypto: CryptoBackendName,
): Promise<MemoryCheck> {
  const small = await campaignPeakRssKiB(scenarioRef, seeds[0], workers, crypto);
  const large = await campaignPeakRssKiB(scenarioRef, seeds[1], workers, crypto);
  return {
    scenario: scenarioRef,
    workers,
    seedsSmall: seeds[0],
    seedsLarge: seeds[1],
    peakRssMiBSmall: small / 1024,
    peakRssMiBLarge: large / 1024,
    ratio: large / small,
  };
}
