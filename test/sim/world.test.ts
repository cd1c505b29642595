// The World takes its crypto backend from its config, and a run does not depend on which: the same
// seeds give the same trace hashes (every outcome, ciphertexts included), verdicts and probes with
// @noble/ciphers and with node:crypto, over the default scenario and a hand-written script.
import { describe, expect, it } from "vitest";
import { loadScenario, loadScript } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { runSeed, worldSeed } from "../../harness/seed.ts";
import { World } from "../../sim/world.ts";

const scenario = loadScenario("default");
const SEEDS = [1, 2, 3, 4, 5, 6];

describe("World crypto backend", () => {
  it("uses the backend its config names, for the HSMs and the KMS alike (noble unless told)", () => {
    for (const crypto of ["noble", "node"] as const) {
      const world = new World({ ...scenario, crypto }, "kmsim:world-test");
      expect(world.kms.ctx.crypto.name).toBe(crypto);
      expect(world.cloudhsm.options.crypto).toBe(world.kms.ctx.crypto);
    }
    expect(new World(scenario, "kmsim:world-test").kms.ctx.crypto.name).toBe("noble");
  });

  it("gives byte-identical traces with either backend", () => {
    for (const seed of SEEDS) {
      const noble = runSeed({ ...scenario, crypto: "noble" }, seed, { stepsMax: scenario.campaign.stepsDefault, shrink: false });
      const node = runSeed({ ...scenario, crypto: "node" }, seed, { stepsMax: scenario.campaign.stepsDefault, shrink: false });
      expect(node.steps).toBe(noble.steps);
      expect(node.traceHash).toBe(noble.traceHash);
      expect(node.verdict).toBe(noble.verdict);
      expect(node.probes).toEqual(noble.probes);
    }
  });

  it("gives the golden hash of the connect-and-encrypt script with either backend", () => {
    const script = loadScript("scenarios/scripts/connect-and-encrypt.json");
    for (const crypto of ["noble", "node"] as const) {
      const result = executeSteps({ ...scenario, crypto }, worldSeed(script.seed), script.steps);
      expect(result.traceHash).toBe("8b010796aba2164f637fb8c87d3619cc04ebd970e58220a8a5c1bbf781bf0536");
    }
  });
});
