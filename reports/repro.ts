// A repro file: the shrunk Step list of a failing seed, with what failed and the commands that bring
// it back. `kmsim replay FILE` runs it anywhere; the `command` re-runs the original seed.
import type { Failure } from "../harness/result.ts";
import type { SeedResult } from "../harness/seed.ts";
import type { Step } from "../protocol/step.ts";

export interface ReproFile {
  kmsim: "repro/1";
  world: string;
  seed: number;
  kind: string;
  failure: Failure;
  originalFailure: Failure;
  originalSteps: number;
  fastCheck: { seed: number; path: string; shrinks: number };
  command: string;
  replay: string;
  steps: Step[];
}

export function reproFileName(scenario: string, seed: number): string {
  return `repro-${scenario}-${seed}.json`;
}

export function runCommand(result: Pick<SeedResult, "seed" | "scenario">, stepsMax: number): string {
  return `npx kmsim run --seed ${result.seed} --scenario ${result.scenario} --steps ${stepsMax}`;
}

export function reproFile(result: SeedResult, stepsMax: number, path: string): ReproFile {
  const { shrunk, failure } = result;
  if (shrunk === undefined || failure === undefined) throw new Error(`repro: seed ${result.seed} has no shrunk failure`);
  return {
    kmsim: "repro/1",
    world: result.scenario,
    seed: result.seed,
    kind: shrunk.failure.kind,
    failure: shrunk.failure,
    originalFailure: failure,
    originalSteps: result.steps,
    fastCheck: shrunk.fastCheck,
    command: runCommand(result, stepsMax),
    replay: `npx kmsim replay ${path}`,
    steps: shrunk.steps,
  };
}
