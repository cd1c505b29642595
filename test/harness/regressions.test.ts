// Failures the fuzzer found, kept as replayable scripts once fixed: each must pass. A script names
// its scenario, seed and steps (a shrunk repro, cut by hand where it still failed) and says what went
// wrong, so a reader can tell what the case guards.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, loadScript } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { worldSeed } from "../../harness/seed.ts";

const DIR = "test/fixtures/regressions";

describe("regressions", () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .sort();

  it("has cases to replay", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const script = loadScript(join(DIR, file));
      const result = executeSteps(loadScenario(script.world), worldSeed(script.seed), script.steps);
      expect(result.failure?.message).toBeUndefined();
      expect(result.verdict).toBe("pass");
    });
  }
});
