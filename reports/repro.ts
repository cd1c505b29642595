// A repro file: the shrunk Step list of a failing seed, with what failed and the commands that bring
// it back. `kmsim replay FILE` runs it anywhere; the `command` re-runs the original seed.
import type { Failure } from "../harness/result.ts";
import type { SeedResult } from "../harness/seed.ts";
import type { Step } from "../protocol/step.ts";

export interface ReproFile {
  kmsim: "repro/1";
  world: string;
  /** The scenario file, absolute, when the campaign loaded it by path: replay reads the world from it. */
  scenarioFile?: string;
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

/** `text` as one word of a POSIX shell command: as it is when it needs no quoting, else in single quotes. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

export function runCommand(result: Pick<SeedResult, "seed" | "scenario" | "scenarioFile">, stepsMax: number): string {
  return `npx kmsim run --seed ${result.seed} --scenario ${shellWord(result.scenarioFile ?? result.scenario)} --steps ${stepsMax}`;
}

export function reproFile(result: SeedResult, stepsMax: number, path: string): ReproFile {
  const { shrunk, failure } = result;
  if (shrunk === undefined || failure === undefined) throw new Error(`repro: seed ${result.seed} has no shrunk failure`);
  return {
    kmsim: "repro/1",
    world: result.scenario,
    ...(result.scenarioFile === undefined ? {} : { scenarioFile: result.scenarioFile }),
    seed: result.seed,
    kind: shrunk.failure.kind,
    failure: shrunk.failure,
    originalFailure: failure,
    originalSteps: result.steps,
    fastCheck: shrunk.fastCheck,
    command: runCommand(result, stepsMax),
    replay: `npx kmsim replay ${shellWord(path)}`,
    steps: shrunk.steps,
  };
}
