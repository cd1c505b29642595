// A failure is shrunk to a smaller list that fails the same way, written as a repro file, and the
// repro replays to the same failure anywhere.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeRepro } from "../../cli/run.ts";
import { loadScenario, loadScript } from "../../cli/load.ts";
import { VirtualKms } from "../../sim/kms/kms.ts";
import { executeSteps } from "../../harness/execute.ts";
import { runSeed, worldSeed } from "../../harness/seed.ts";
import { tempDir } from "../support/temp-dir.ts";

const scenario = loadScenario("default");

describe("shrinking and repro files", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shrinks a planted bug's failure and the repro replays to the same kind", () => {
    // Planted bug: keys never become Unavailable when their store disconnects.
    vi.spyOn(VirtualKms.prototype, "keyState").mockImplementation((key) => (key.enabled ? "Enabled" : "Disabled"));
    let seed = 1;
    let result = runSeed(scenario, seed, { stepsMax: 60 });
    while (result.verdict === "pass" && seed < 200) result = runSeed(scenario, ++seed, { stepsMax: 60 });
    expect(result.verdict).toBe("fail");
    expect(result.shrunk).toBeDefined();
    const shrunk = result.shrunk!;
    expect(shrunk.failure.kind).toBe(result.kind);
    expect(shrunk.steps.length).toBeLessThanOrEqual(result.steps);
    expect(shrunk.steps.length).toBeLessThan(12);

    const dir = tempDir("kmsim-repro-");
    const path = writeRepro(result, 60, dir);
    expect(path).not.toBeNull();
    const file = JSON.parse(readFileSync(path!, "utf8"));
    expect(file).toMatchObject({
      kmsim: "repro/1",
      world: "default",
      seed,
      kind: result.kind,
      command: `npx kmsim run --seed ${seed} --scenario default --steps 60`,
    });
    expect(file.fastCheck.seed).toBe(seed);

    const script = loadScript(path!);
    const replayed = executeSteps(scenario, worldSeed(script.seed), script.steps);
    expect(replayed.verdict).toBe("fail");
    expect(replayed.failure?.kind).toBe(result.kind);
  });

  it("writes no repro for a pass", () => {
    const result = runSeed(scenario, 3, { stepsMax: 60 });
    expect(result.verdict).toBe("pass");
    expect(writeRepro(result, 60, tempDir("kmsim-repro-"))).toBeNull();
  });
});
