// Mutants of the crypto path, encryption-context binding and encryption algorithm (spec §8).
import type { HsmRequest } from "../sim/hsm/messages.ts";
import { HsmClient } from "../sim/kms/hsm-client.ts";
import { patch, type Mutant } from "./mutant.ts";
import { ignoringInput, keyNamed, withChange, wrapOperation } from "./seams.ts";

/** The associated data `arn\n{context}` with the context's values dropped: only its key names are bound. */
function keysOnly(aad: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(aad);
  const cut = text.indexOf("\n");
  const context = JSON.parse(text.slice(cut + 1)) as Record<string, string>;
  return new TextEncoder().encode(`${text.slice(0, cut)}\n${JSON.stringify(Object.keys(context).sort())}`);
}

export const CRYPTO_MUTANTS: Mutant[] = [
  {
    name: "context-values-unbound",
    area: "crypto and encryption context",
    description: "the KMS binds a CloudHSM ciphertext to its context's keys, not their values (AAD built from key names)",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        HsmClient.prototype,
        "request",
        (send) =>
          function (this: HsmClient, cluster, hsmId, request: HsmRequest) {
            const rewritten = request.op === "Encrypt" || request.op === "Decrypt" ? { ...request, aad: keysOnly(request.aad) } : request;
            return send.call(this, cluster, hsmId, rewritten);
          },
      ),
  },
  {
    name: "decrypt-ignores-key-id",
    area: "crypto and encryption context",
    description: "Decrypt ignores its KeyId parameter, so a ciphertext of another key opens instead of IncorrectKeyException",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () => ignoringInput("Decrypt", "KeyId"),
  },
  {
    name: "reencrypt-destination-state-unchecked",
    area: "crypto and encryption context",
    description: "ReEncrypt seals under a Disabled destination key",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("ReEncrypt", (original) =>
        withChange(original, (kms, caller, input) => {
          const key = keyNamed(kms, caller, input, "DestinationKeyId");
          if (key === undefined || key.enabled) return undefined;
          key.enabled = true;
          return () => void (key.enabled = false);
        }),
      ),
  },
  {
    name: "data-key-spec-ignored",
    area: "crypto and encryption context",
    description: "GenerateDataKey makes a 256-bit data key when asked for AES_128",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "GenerateDataKey",
        (original) =>
          function (kms, caller, input) {
            return original(kms, caller, input["KeySpec"] === "AES_128" ? { ...input, KeySpec: "AES_256" } : input);
          },
      ),
  },
  {
    name: "dry-run-performs",
    area: "crypto and encryption context",
    description: "Decrypt ignores DryRun: a dry run decrypts and answers the plaintext instead of DryRunOperationException",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => ignoringInput("Decrypt", "DryRun"),
  },
  {
    name: "decrypt-algorithm-ignored",
    area: "crypto and encryption context",
    description: "Decrypt ignores EncryptionAlgorithm: a symmetric ciphertext opened with RSAES_OAEP_SHA_256 named answers its plaintext",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => ignoringInput("Decrypt", "EncryptionAlgorithm"),
  },
  {
    name: "key-usage-after-key-state",
    area: "crypto and encryption context",
    description: "Encrypt checks the algorithm after the key state: a Disabled key named with SM2PKE answers DisabledException",
    // Keystores first: its keys are often Unavailable (the store disconnected), so the bug shows soonest.
    scenarios: ["keystores", "keys"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      wrapOperation(
        "Encrypt",
        (original) =>
          function (kms, caller, input) {
            const key = keyNamed(kms, caller, input);
            const usable = key === undefined || kms.keyState(key) === "Enabled";
            const { EncryptionAlgorithm: _, ...rest } = input;
            return original(kms, caller, usable ? input : rest);
          },
      ),
  },
];
