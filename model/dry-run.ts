// DryRun (spec §8.2 table note, §9.7, §16; AWS's developer guide, "Testing your permissions"): a call
// with `DryRun: true` always fails. It makes every check the real call makes — validation, key lookup,
// grant tokens, the store's request quota (a dry run counts against it, as the guide says), authorization,
// key state (a store that is not CONNECTED makes its keys Unavailable), CreateGrant's quota — and answers
// the first refusal, or DryRunOperationException where the real call would have gone ahead. It performs
// nothing: no ciphertext, no grant made or taken away.
// [MODEL CHOICE] A dry run stops where KMS would contact the HSM: it neither reaches the cluster nor
// opens the ciphertext, so a wrong encryption context (the authentication tag) is not noticed by it.
// [MODEL CHOICE] `DryRunModifiers: ["IGNORE_CIPHERTEXT"]` (Decrypt, ReEncrypt) leaves the ciphertext
// unread: the source key is then KeyId (Decrypt) or SourceKeyId (ReEncrypt), and without it the call is
// a ValidationException. Modifiers on a call that is not a dry run change nothing.
import type { JsonObject } from "../protocol/step.ts";
import { refuse, type Check } from "./refusal.ts";

export interface DryRun {
  /** `DryRun: true`: check, then refuse with DryRunOperationException instead of performing. */
  on: boolean;
  /** A dry run with the IGNORE_CIPHERTEXT modifier: the ciphertext is not read at all. */
  ignoreCiphertext: boolean;
}

/** What `input` asks of a dry run (its members were validated against the service model already). */
export function dryRunOf(input: JsonObject): DryRun {
  const on = input["DryRun"] === true;
  const modifiers = input["DryRunModifiers"];
  return { on, ignoreCiphertext: on && Array.isArray(modifiers) && modifiers.includes("IGNORE_CIPHERTEXT") };
}

/** The answer of a dry run whose checks all passed: the real call would have succeeded (spec §16 table). */
export function wouldHaveSucceeded(): Check<never> {
  return refuse("DryRunOperationException");
}
