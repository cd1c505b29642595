// A canary scenario (issue 14 item 11) names, in `canary.mutant`, a bug of the mutant catalogue
// (mutants/) that the command line plants wherever the scenario's seeds run — the main thread and
// every worker — so that a campaign proves end to end that the harness still catches a planted bug.
// The harness never sees a mutant: the name is checked against the catalogue here, when the
// scenario is loaded, and a name the catalogue lacks is bad input naming the file and field.
import { mutantNamed, type Undo } from "../mutants/catalogue.ts";
import type { Scenario } from "../harness/scenario.ts";
import { InputError } from "../protocol/input-error.ts";
import type { CanarySpec } from "../reports/canary.ts";

/** Throws the user's mistake when `scenario` (read from `file`) names a mutant the catalogue lacks. */
export function checkCanary(scenario: Scenario, file: string): void {
  const name = scenario.canary?.mutant;
  if (name !== undefined && mutantNamed(name) === undefined)
    throw new InputError(`${file}: canary.mutant: no mutant '${name}' in the catalogue (kmsim list mutants lists them)`);
}

/** The canary of a scenario, or null when it plants nothing. */
export function canaryOf(scenario: Scenario): CanarySpec | null {
  if (scenario.canary === undefined) return null;
  const mutant = mutantNamed(scenario.canary.mutant);
  if (mutant === undefined) throw new Error(`scenario ${scenario.name}: canary.mutant '${scenario.canary.mutant}' was not checked`);
  return { mutant: mutant.name, description: mutant.description, expectedKind: mutant.expected.kind };
}

/** Switches the scenario's canary mutant on in this thread (nothing for a plain scenario); the undo switches it off. */
export function plantCanary(scenario: Scenario): Undo {
  if (scenario.canary === undefined) return () => {};
  const mutant = mutantNamed(scenario.canary.mutant);
  if (mutant === undefined) throw new Error(`scenario ${scenario.name}: canary.mutant '${scenario.canary.mutant}' was not checked`);
  return mutant.apply();
}
