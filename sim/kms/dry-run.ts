// DryRun in the virtual KMS (AWS's developer guide, "Testing your permissions"; spec §16 table): a call
// with `DryRun: true` makes every check the real call makes — validation, key, grant tokens, the store's
// request quota (dry runs count against it), authorization, key state, CreateGrant's quota — and then
// answers DryRunOperationException instead of doing the work: no HSM is asked, no ciphertext opened or
// made, no grant made or taken away, no PRNG drawn [MODEL CHOICE: KMS checks what it can itself; the
// HSM and the ciphertext's tag are the work]. With DryRunModifiers IGNORE_CIPHERTEXT (Decrypt,
// ReEncrypt) the ciphertext is not read: the key comes from KeyId / SourceKeyId, required then
// [MODEL CHOICE]. Modifiers without DryRun change nothing. The request validator has checked both members.
import type { JsonObject } from "../../protocol/step.ts";
import { Rejection } from "../wire/validate.ts";

/** Whether `input` asks for a dry run. */
export function isDryRun(input: JsonObject): boolean {
  return input["DryRun"] === true;
}

/** A dry run told to leave the ciphertext unread. */
export function ignoresCiphertext(input: JsonObject): boolean {
  const modifiers = input["DryRunModifiers"];
  return isDryRun(input) && Array.isArray(modifiers) && modifiers.includes("IGNORE_CIPHERTEXT");
}

/** The answer of a dry run that passed every check. */
export function dryRunSucceeded(): Rejection {
  return new Rejection("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.");
}

/** Under IGNORE_CIPHERTEXT, `field` must name the key the ciphertext would have named. */
export function keyInsteadOfCiphertext(input: JsonObject, field: string): string | Rejection {
  const keyId = input[field];
  if (typeof keyId === "string") return keyId;
  return new Rejection("ValidationException", `${field} is required when DryRunModifiers includes IGNORE_CIPHERTEXT.`);
}
