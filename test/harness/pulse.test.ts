// The seed's heartbeat (harness/pulse.ts): what one thread writes, another view of the same memory
// reads; and a seed beats once as each step starts, in the phase it is in, with the failure its first
// run found — what the watchdog names when a step never finishes.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { SeedPulse, type SeedPhase } from "../../harness/pulse.ts";
import { generatedSteps, runSeed, worldSeed } from "../../harness/seed.ts";
import { mutantNamed } from "../../mutants/catalogue.ts";

/** A pulse that also keeps, in order, every phase it was told of. */
class RecordingPulse extends SeedPulse {
  readonly phases: SeedPhase[] = [];
  override stepStarted(phase: SeedPhase, i: number): void {
    if (this.phases.at(-1) !== phase) this.phases.push(phase);
    super.stepStarted(phase, i);
  }
}

describe("a seed's pulse", () => {
  it("reads, through another view of its memory, what was written", () => {
    const writer = new SeedPulse();
    const reader = new SeedPulse(writer.buffer);
    expect(reader.read()).toMatchObject({ beats: 0, phase: "idle", found: null });
    writer.seedStarted(41, 2);
    writer.stepStarted("run", 7);
    writer.found("invariant", 5);
    writer.stepStarted("shrink", 3);
    expect(reader.read()).toEqual({
      beats: 3,
      seed: 41,
      scenarioIndex: 2,
      phase: "shrink",
      step: 3,
      found: { kind: "invariant", step: 5 },
    });
    writer.seedStarted(42);
    expect(reader.read()).toMatchObject({ beats: 4, seed: 42, scenarioIndex: 0, phase: "run", step: -1, found: null });
  });

  it("beats once per step as it starts, the settling steps numbered on", () => {
    const scenario = loadScenario("default");
    const steps = generatedSteps(scenario, 3, 40);
    const started: number[] = [];
    const result = executeSteps(scenario, worldSeed(3), steps, { modelStatesMax: 64, onStep: (i) => started.push(i) });
    expect(result.verdict).toBe("pass");
    const ran = result.records.length + result.settling.length;
    expect(started).toEqual(Array.from({ length: ran }, (_, i) => i));
    expect(result.settling.length).toBeGreaterThan(0);
  });

  it("tells the phases of a failing seed in order, and the failure its first run found", () => {
    const scenario = loadScenario("canary"); // plants decrypt-ignores-key-id, which seed 3 catches
    const undo = mutantNamed(scenario.canary!.mutant)!.apply();
    try {
      const pulse = new RecordingPulse();
      pulse.seedStarted(3);
      const result = runSeed(scenario, 3, { stepsMax: 40, pulse });
      expect(result.verdict).toBe("fail");
      expect(pulse.read().found).toEqual({ kind: result.kind, step: result.failure!.step });
      expect(pulse.phases[0]).toBe("run");
      expect(pulse.phases).toContain("shrink");
      expect(pulse.phases.at(-1)).toBe("polish");
    } finally {
      undo();
    }
  });
});
