// Crypto operations (spec §8): plaintexts of 1–48 bytes, a few encryption contexts (one differing
// only in case), and ciphertexts and contexts made earlier; each ciphertext handed out is kept, with
// the context it is bound to, for later Decrypt and ReEncrypt steps to refer to — as it was, or with
// one value changed, one key added or one removed. Encrypt, Decrypt and ReEncrypt now and then name
// an encryption algorithm (inputs.ts), ReEncrypt for its source, its destination or both.
import fc from "fast-check";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { ANYONE, dropUndefined, type OperationDescriptor, type RefKind } from "./descriptor.ts";
import type { Inputs } from "./inputs.ts";
import { CONTEXT_VARIATIONS } from "./refs.ts";

/** A ciphertext an answer handed out, with the encryption context it is bound to (`contextField` of the input). */
const ciphertext =
  (contextField: string) =>
  (output: JsonObject, input: JsonObject): Partial<Record<RefKind, Json>> =>
    typeof output["CiphertextBlob"] === "string" ? { ciphertext: output["CiphertextBlob"], context: input[contextField] ?? {} } : {};

/** How a Decrypt or ReEncrypt may vary the context its ciphertext was made under (harness/resolve.ts). */
const variation = fc.constantFrom(...CONTEXT_VARIATIONS);

/** Which of ReEncrypt's algorithm fields its one drawn algorithm goes in. */
const REENCRYPT_ALGORITHM_FIELDS = [
  ["SourceEncryptionAlgorithm"],
  ["DestinationEncryptionAlgorithm"],
  ["SourceEncryptionAlgorithm", "DestinationEncryptionAlgorithm"],
] as const;

/** KeySpec or NumberOfBytes, now and then both or neither (ValidationException, §8.2). */
const dataKeyInput = (i: Inputs): fc.Arbitrary<JsonObject> =>
  fc
    .tuple(
      i.keyRef,
      fc.integer({ min: 0, max: 9 }),
      fc.constantFrom("AES_256", "AES_128"),
      fc.constantFrom(1, 32, 64, 1024),
      i.contexts,
      i.grantTokens,
    )
    .map(([KeyId, roll, KeySpec, NumberOfBytes, context, tokens]) => {
      const out: JsonObject = { KeyId, ...(roll < 5 ? { KeySpec } : roll < 9 ? { NumberOfBytes } : {}) };
      if (roll === 9 && NumberOfBytes === 64) Object.assign(out, { KeySpec, NumberOfBytes });
      if (context !== undefined) out["EncryptionContext"] = context;
      if (tokens !== undefined) out["GrantTokens"] = tokens;
      return out;
    });

export const CRYPTO_OPERATIONS: OperationDescriptor[] = [
  {
    name: "Encrypt",
    kind: "crypto",
    callers: ANYONE,
    input: (i) =>
      fc
        .record(
          {
            KeyId: i.keyRef,
            Plaintext: i.base64,
            EncryptionContext: i.contexts,
            GrantTokens: i.grantTokens,
            EncryptionAlgorithm: i.encryptionAlgorithm,
          },
          { requiredKeys: ["KeyId", "Plaintext", "GrantTokens", "EncryptionAlgorithm"] },
        )
        .map(dropUndefined),
    makes: ciphertext("EncryptionContext"),
    midCallFaultTarget: true,
  },
  {
    name: "Decrypt",
    kind: "crypto",
    callers: ANYONE,
    input: (i) =>
      fc
        .tuple(
          fc.nat({ max: 30 }),
          fc.integer({ min: 0, max: 9 }),
          i.contexts,
          fc.option(i.keyRef, { freq: 5 }),
          variation,
          i.grantTokens,
          i.encryptionAlgorithm,
        )
        .map(([index, roll, other, keyId, vary, tokens, algorithm]) => {
          const out: JsonObject = { CiphertextBlob: { ref: "ciphertext", index } };
          const context = roll < 6 ? { ref: "context", index } : roll < 8 ? { ref: "context", index, vary } : other;
          if (context !== undefined) out["EncryptionContext"] = context;
          if (keyId !== null) out["KeyId"] = keyId;
          if (tokens !== undefined) out["GrantTokens"] = tokens;
          if (algorithm !== undefined) out["EncryptionAlgorithm"] = algorithm;
          return out;
        }),
    midCallFaultTarget: true,
  },
  { name: "GenerateDataKey", kind: "crypto", callers: ANYONE, input: dataKeyInput, makes: ciphertext("EncryptionContext") },
  { name: "GenerateDataKeyWithoutPlaintext", kind: "crypto", callers: ANYONE, input: dataKeyInput, makes: ciphertext("EncryptionContext") },
  {
    name: "ReEncrypt",
    kind: "crypto",
    callers: ANYONE,
    input: (i) =>
      fc
        .tuple(
          fc.nat({ max: 30 }),
          fc.integer({ min: 0, max: 9 }),
          i.keyRef,
          i.contexts,
          fc.option(i.keyRef, { freq: 5 }),
          variation,
          i.grantTokens,
          fc.tuple(i.symmetricAlgorithm, i.asymmetricAlgorithm, fc.boolean(), fc.constantFrom(...REENCRYPT_ALGORITHM_FIELDS)),
        )
        .map(([index, roll, destination, destinationContext, sourceKey, vary, tokens, [symmetric, asymmetric, coin, fields]]) => {
          const out: JsonObject = { CiphertextBlob: { ref: "ciphertext", index }, DestinationKeyId: destination };
          if (roll < 7) out["SourceEncryptionContext"] = { ref: "context", index };
          else if (roll < 8) out["SourceEncryptionContext"] = { ref: "context", index, vary };
          if (destinationContext !== undefined) out["DestinationEncryptionContext"] = destinationContext;
          if (sourceKey !== null) out["SourceKeyId"] = sourceKey;
          if (tokens !== undefined) out["GrantTokens"] = tokens;
          // An algorithm of asymmetric keys only with a varied source context, which fails anyway: ReEncrypt
          // succeeds least often of the crypto operations, and InvalidKeyUsageException (§16 step 5) comes
          // before the ciphertext's InvalidCiphertextException (step 8), so it costs no successes.
          const algorithm = roll === 7 && coin ? asymmetric : symmetric;
          if (algorithm !== undefined) for (const field of fields) out[field] = algorithm;
          return out;
        }),
    makes: ciphertext("DestinationEncryptionContext"),
  },
  {
    name: "GenerateRandom",
    kind: "crypto",
    callers: ANYONE,
    // NumberOfBytes at and past its bounds; rarely none, which the service requires though its shape does not.
    input: (i) =>
      fc
        .record(
          {
            NumberOfBytes: fc.oneof(
              { weight: 12, arbitrary: fc.constantFrom(1, 32, 1024, 0, 1025) },
              { weight: 1, arbitrary: fc.constant(undefined) },
            ),
            CustomKeyStoreId: i.storeRef,
          },
          { requiredKeys: ["NumberOfBytes"] },
        )
        .map(dropUndefined),
  },
];
