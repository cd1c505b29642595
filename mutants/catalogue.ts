// The published mutant catalogue (issue 12): every named mutant, by area, for `kmsim mutants` and
// `kmsim list mutants` and the test that holds the harness to killing them all. Names are unique.
import { AUTHORIZATION_MUTANTS } from "./authorization.ts";
import { CLUSTER_MUTANTS } from "./cluster.ts";
import { CONDITION_MUTANTS } from "./conditions.ts";
import { CRYPTO_MUTANTS } from "./crypto.ts";
import { HANG_MUTANTS } from "./hangs.ts";
import { HOARD_MUTANTS } from "./hoards.ts";
import { KEY_MUTANTS } from "./keys.ts";
import { KEYSTORE_MUTANTS } from "./keystores.ts";
import type { Mutant } from "./mutant.ts";
import { SERVICE_FAILURE_MUTANTS } from "./service-failures.ts";
import { TIMING_MUTANTS } from "./timing.ts";

export type { Area, Mutant, Undo } from "./mutant.ts";

export const CATALOGUE: readonly Mutant[] = [
  ...KEYSTORE_MUTANTS,
  ...CLUSTER_MUTANTS,
  ...KEY_MUTANTS,
  ...CRYPTO_MUTANTS,
  ...AUTHORIZATION_MUTANTS,
  ...CONDITION_MUTANTS,
  ...TIMING_MUTANTS,
  ...SERVICE_FAILURE_MUTANTS,
  ...HANG_MUTANTS,
  ...HOARD_MUTANTS,
];

/** The mutant named `name`, or undefined. */
export function mutantNamed(name: string): Mutant | undefined {
  return CATALOGUE.find((m) => m.name === name);
}
