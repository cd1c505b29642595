// Test the tester (issue 12): every mutant of the published catalogue is killed, within a fixed seed
// budget, by the general checks — with the failure kind the catalogue expects and, where it names
// one, the check that fired — and the unmutated world passes every seed the hunts ran, its latency
// percentiles included. A survivor is a gap in the generator or the checks, never a reason to make
// the mutant louder. Hunts run without shrinking (the kind is what is asserted) in worker threads.
import { describe, expect, it } from "vitest";
import { huntAll } from "../../cli/mutants.ts";
import type { HuntResult } from "../../cli/hunt.ts";
import { loadScenario } from "../../cli/load.ts";
import { runSeeds } from "../../cli/pool.ts";
import { campaignLatencyExceeded } from "../../harness/latency.ts";
import type { SeedResult } from "../../harness/seed.ts";
import { CATALOGUE } from "../../mutants/catalogue.ts";

/** Seeds per scenario each mutant may take; fixed, so the outcome is the same on any machine. */
const SEEDS_PER = 100;
const WORKERS = 2;
/**
 * A step running this long is a hang (cli/watchdog.ts): far past any step on a loaded machine (they take
 * milliseconds), and what the mutant that loops forever costs the test, once.
 */
const STEP_TIMEOUT_MS = 10_000;
/** Each hunting thread's heap limit in MiB: the mutant that fills the heap reaches it in seconds. */
const HEAP_LIMIT_MB = 128;
/** A guard against a hang on a loaded machine, never a speed check. */
const GUARD_MS = 900_000;

describe("the mutant catalogue", { timeout: GUARD_MS }, () => {
  let results: HuntResult[] = [];

  it("kills every mutant with the kind (and check) it expects", async () => {
    results = await huntAll(
      CATALOGUE.map((m) => m.name),
      null,
      {
        first: 1,
        seedsPer: SEEDS_PER,
        timePerMs: Number.MAX_SAFE_INTEGER,
        shrink: false,
        stepTimeoutMs: STEP_TIMEOUT_MS,
        heapLimitMb: HEAP_LIMIT_MB,
      },
      WORKERS,
    );
    const wrong = results
      .filter((r) => !r.killed || r.kind !== r.expected.kind || (r.expected.check !== undefined && r.check !== r.expected.check))
      .map(
        (r) =>
          `${r.name}: ${r.killed ? `killed as ${r.kind}/${r.check}` : "survived"}, expected ${r.expected.kind}/${r.expected.check ?? "any"}`,
      );
    expect(wrong).toEqual([]);
    expect(results).toHaveLength(CATALOGUE.length);
  });

  it("has no kill the unmutated world shares: it passes every seed the hunts ran", async () => {
    expect(results.length).toBeGreaterThan(0);
    const lastSeed = new Map<string, number>();
    for (const r of results)
      for (const [name, seed] of Object.entries(r.lastSeed)) lastSeed.set(name, Math.max(seed, lastSeed.get(name) ?? 0));
    expect([...lastSeed.keys()].sort()).toEqual(["authz", "default", "keys", "keystores"]);
    for (const [name, last] of [...lastSeed].sort()) {
      const scenario = loadScenario(name);
      const seeds = Array.from({ length: last }, (_, i) => i + 1);
      const runs: SeedResult[] = [];
      await runSeeds(
        { count: seeds.length, seeds: seeds.values() },
        {
          scenarioRef: name,
          scenario,
          stepsMax: scenario.campaign.stepsDefault,
          workers: WORKERS,
          recheck: () => false,
          keepGoing: () => true,
          signal: new AbortController().signal,
          crypto: "noble",
          stepTimeoutMs: STEP_TIMEOUT_MS,
        },
        (r) => runs.push(r),
      );
      expect(runs.filter((r) => r.verdict === "fail").map((r) => `${name} seed ${r.seed}: ${r.kind} ${r.failure?.message}`)).toEqual([]);
      expect(campaignLatencyExceeded(runs.map((r) => r.latency))).toBeUndefined();
    }
  });
});
