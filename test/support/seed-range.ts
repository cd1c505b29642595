// Runs a scenario over seeds 1..N, as the seed-range tests do: the failures, and the coverage probes
// summed over the range.
import { runSeed } from "../../harness/seed.ts";
import type { Scenario } from "../../harness/scenario.ts";

export function runSeedRange(scenario: Scenario, seeds: number): { failures: string[]; probes: Record<string, number> } {
  const probes: Record<string, number> = {};
  const failures: string[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runSeed(scenario, seed, { stepsMax: scenario.campaign.stepsDefault });
    if (result.verdict === "fail") failures.push(`seed ${seed} (${result.kind}): ${result.failure?.message}`);
    for (const [name, n] of Object.entries(result.probes)) probes[name] = (probes[name] ?? 0) + n;
  }
  return { failures, probes };
}
