// `kmsim run`: one seed of one scenario (a canary's with its mutant planted), with a repro file
// written when it fails.
import { join } from "node:path";
import { reproFile, reproFileName, runCommand, shellWord } from "../reports/repro.ts";
import { writeWhole } from "../reports/write.ts";
import type { SeedResult } from "../harness/seed.ts";
import type { Scenario } from "../harness/scenario.ts";
import { cryptoFlag, int, parse, seed as seedFlag, text } from "./args.ts";
import { STEPS_MAX } from "../harness/limits.ts";
import { plantCanary } from "./canary.ts";
import { ensureWritableDir } from "./out-dir.ts";
import { loadScenario } from "./load.ts";

export const RUN_HELP = `kmsim run --seed N [--scenario S] [--steps K] [--json] [--check-determinism] [--crypto C] [--out DIR]

Runs one seed: generates a Step list from the seed, runs it through the virtual KMS and the
reference model side by side with every check, and on failure shrinks it and writes a repro file.

  --seed N               the seed (0 ..= 2147483647)
  --scenario S           scenario name (scenarios/S.json) or path to a scenario file [default]
  --steps K              longest generated Step list before shrinking, at most 10000 [scenario's stepsDefault]
  --json                 print one JSON object: seed, scenario, verdict, kind, steps, traceHash, repro
  --check-determinism    run the seed twice; fail (kind nondeterminism) if the traces differ
  --crypto C             AES-256-GCM backend: noble or node (OpenSSL); the trace is the same [noble]
  --out DIR              where repro files go [reports/out]

Exit: 0 pass, 1 a failure was found, 2 bad input or usage, 3 internal error.`;

/** Writes the repro of a failed seed; returns its path, or null for a pass (or a failure with no shrunk list). */
export function writeRepro(result: SeedResult, stepsMax: number, outDir: string): string | null {
  if (result.verdict === "pass" || result.shrunk === undefined) return null;
  const path = join(outDir, reproFileName(result.scenario, result.seed));
  writeWhole(path, `${JSON.stringify(reproFile(result, stepsMax, path), null, 2)}\n`);
  return path;
}

export async function runMain(argv: string[]): Promise<number> {
  const { values } = parse("run", argv, {
    seed: { type: "string" },
    scenario: { type: "string" },
    steps: { type: "string" },
    json: { type: "boolean" },
    "check-determinism": { type: "boolean" },
    crypto: { type: "string" },
    out: { type: "string" },
  });
  if (values.help === true) return (void console.log(RUN_HELP), 0);
  const seed = seedFlag("run", values.seed);
  const crypto = cryptoFlag("run", values.crypto);
  const scenario: Scenario = { ...loadScenario(typeof values.scenario === "string" ? values.scenario : "default"), crypto };
  const stepsMax = int("run", "steps", values.steps, scenario.campaign.stepsDefault, 1, STEPS_MAX);
  const outDir = ensureWritableDir("run", text(values.out, "reports/out"));
  const { runSeed } = await import("../harness/seed.ts"); // the harness and fast-check, loaded once the input is good
  const unplant = plantCanary(scenario); // a canary scenario's seeds run with its mutant, as in a campaign
  let result: SeedResult;
  try {
    result = runSeed(scenario, seed, { stepsMax, checkDeterminism: values["check-determinism"] === true });
  } finally {
    unplant();
  }
  const repro = writeRepro(result, stepsMax, outDir);
  if (values.json === true) {
    console.log(
      JSON.stringify({
        seed,
        scenario: scenario.name,
        verdict: result.verdict,
        kind: result.kind,
        steps: result.steps,
        traceHash: result.traceHash,
        repro,
      }),
    );
  } else {
    console.log(`kmsim run: scenario ${scenario.name}, seed ${seed}`);
    const malformed = result.swarm.malformed ? " · malformed members (harness/corruptions.ts)" : "";
    console.log(`swarm: calls ${JSON.stringify(result.swarm.callWeights)} faults ${JSON.stringify(result.swarm.faultWeights)}${malformed}`);
    console.log(
      `${result.verdict.toUpperCase()}${result.kind !== null ? ` (${result.kind})` : ""} · ${result.steps} steps · trace ${result.traceHash}`,
    );
    if (result.failure !== undefined) {
      console.log(`at step ${result.failure.step ?? "—"}: ${result.failure.message}`);
      if (result.shrunk !== undefined)
        console.log(
          `shrunk to ${result.shrunk.steps.length} steps (fast-check seed ${result.shrunk.fastCheck.seed}, path "${result.shrunk.fastCheck.path}")`,
        );
      console.log(`reproduce: ${runCommand(result, stepsMax)}`);
      if (repro !== null) console.log(`replay:    npx kmsim replay ${shellWord(repro)}`);
    }
  }
  return result.verdict === "pass" ? 0 : 1;
}
