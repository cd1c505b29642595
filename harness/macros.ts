// Operator sequences for the generator: the multi-step stories random steps seldom string together,
// each reaching a corner of the spec. Each step of a sequence is droppable, shrinking towards dropped,
// so a repro keeps only the steps it needs. Weighted per scenario (`generator.macroWeights`).
//
// This file joins the three kinds (stories.ts, operator-macros.ts, policy-macros.ts) into one record
// by name, in a fixed order: the generator draws among them in that order, so the order is part of
// what a seed draws.
import type fc from "fast-check";
import type { MacroName, Scenario } from "./scenario.ts";
import type { Step } from "../protocol/step.ts";
import { stories } from "./stories.ts";
import { operatorMacros } from "./operator-macros.ts";
import { policyMacros } from "./policy-macros.ts";

export { droppable } from "./droppable.ts";

/**
 * Operator sequences that random steps seldom string together, each reaching a corner (spec §3.3,
 * §4, §11.2): locking kmsuser out; losing a store's cluster; the documented kmsuser password rotation;
 * restoring the cluster from a backup and moving the store onto it; a burst of crypto on one key;
 * deleting a key (its waiting period is days of virtual time); orphaning a key's material by
 * deleting it while its store is disconnected (§4); a CreateKey whose first GenerateKey reply is lost,
 * so a second HSM makes the key too and two objects share its label (§4), then crypto on the HSM that
 * holds only the object the KMS did not keep; an explicit deny laid over allows, in an identity
 * policy and in a key policy, and then the calls it denies (§9.2 step 3); a grant used before it has
 * propagated, with and without its token, and after it is retired (§9.7, §12); ABAC — a key policy on
 * aws:PrincipalTag and an identity policy on aws:ResourceTag, used before and after the tags change
 * (§9.6, §9.8); a key policy whose conditions read the request — encryption context, alias used,
 * deletion window, re-encryption on the same key — met and missed in turn (§9.6); grants made on one
 * key until its quota refuses one, then one revoked to make room (§11.1).
 */
export function macros(scenario: Scenario): Record<MacroName, fc.Arbitrary<Step[]>> {
  return { ...stories(scenario), ...operatorMacros(scenario), ...policyMacros(scenario) };
}
