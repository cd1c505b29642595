// Determinism is the product: the same seed gives a byte-identical trace, and the golden hashes pin
// the canonical seed and script so that any change of behaviour shows up here first. A golden hash
// that changes on purpose is updated in the same commit as the behaviour, with the reason.
import { describe, expect, it } from "vitest";
import { loadScenario, loadScript } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { generatedSteps, runSeed, worldSeed } from "../../harness/seed.ts";

const scenario = loadScenario("default");

describe("one seed", () => {
  it("gives a byte-identical trace every time", () => {
    const a = runSeed(scenario, 2, { stepsMax: 60 });
    const b = runSeed(scenario, 2, { stepsMax: 60 });
    expect(a.steps).toBeGreaterThan(10);
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.probes).toEqual(a.probes);
  });

  it("gives different traces for different seeds", () => {
    expect(runSeed(scenario, 12, { stepsMax: 60 }).traceHash).not.toBe(runSeed(scenario, 13, { stepsMax: 60 }).traceHash);
  });

  it("passes its own determinism check", () => {
    expect(runSeed(scenario, 17, { stepsMax: 60, checkDeterminism: true }).verdict).toBe("pass");
  });

  it("golden: seed 1 of the default scenario (what `npx kmsim run --seed 1 --json` prints)", () => {
    const result = runSeed(scenario, 1, { stepsMax: scenario.campaign.stepsDefault });
    expect(result.verdict).toBe("pass");
    expect(result.steps).toBe(42);
    expect(result.traceHash).toBe("8cc2d15a7b51ff27fe7355ec8e9aab7cb1e38601f59523b8f28cee52cbc65c0a");
  });

  it("draws, without running it, the very list its first run runs (what a hang's report names its step from)", () => {
    for (const seed of [1, 2, 3, 17]) {
      const steps = generatedSteps(scenario, seed, 60);
      const run = runSeed(scenario, seed, { stepsMax: 60, shrink: false });
      expect(steps).toHaveLength(run.steps);
      expect(executeSteps(scenario, worldSeed(seed), steps).traceHash).toBe(run.traceHash);
    }
  });

  it("golden: the hand-written connect-and-encrypt script", () => {
    const script = loadScript("scenarios/scripts/connect-and-encrypt.json");
    const result = executeSteps(scenario, worldSeed(script.seed), script.steps);
    expect(result.verdict).toBe("pass");
    expect(result.traceHash).toBe("8b010796aba2164f637fb8c87d3619cc04ebd970e58220a8a5c1bbf781bf0536");
  });
});
