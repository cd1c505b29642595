// The crypto path (spec §8) through both sides: round trips over generated plaintexts and contexts
// for Encrypt/Decrypt, GenerateDataKey(WithoutPlaintext) and ReEncrypt, on an AWS_KMS key and a
// CloudHSM key; GenerateRandom (tampered blobs: ciphertext-tampering.test.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYS, keyId, run } from "../../support/crypto-keys.ts";
import type { CallStep, JsonObject, Step } from "../../../protocol/step.ts";

const plaintexts = fc.uint8Array({ minLength: 1, maxLength: 4096 }).map((b) => Buffer.from(b).toString("base64"));
const contexts = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
/** A context that differs from `c`: a pair added, removed, or changed in case or value. */
function otherContext(c: Record<string, string>): Record<string, string> {
  const [first] = Object.keys(c);
  if (first === undefined) return { purpose: "other" };
  const changed = { ...c };
  delete changed[first];
  return changed;
}

describe("crypto round trips on both sides (§8)", () => {
  it("Decrypt(Encrypt(p, ctx)) is p exactly when the context matches", () => {
    fc.assert(
      fc.property(fc.constantFrom("kms", "hsm"), plaintexts, contexts, (which, Plaintext, EncryptionContext) => {
        const steps: Step[] = [
          ...KEYS,
          { call: "Encrypt", as: "admin", save: "c", input: { KeyId: keyId(which), Plaintext, EncryptionContext }, expect: { ok: true } },
          {
            call: "Decrypt",
            as: "admin",
            input: { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext },
            expect: { ok: true, output: { Plaintext, KeyId: keyId(which) } },
          },
          {
            call: "Decrypt",
            as: "admin",
            input: { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: otherContext(EncryptionContext) },
            expect: { ok: false, error: { name: "InvalidCiphertextException", message: "" } },
          },
        ];
        const result = run(steps);
        expect(result.failure).toBeUndefined();
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it("a data key decrypts to its Plaintext; one made without it decrypts to the same bytes every time", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("kms", "hsm"),
        fc.constantFrom<JsonObject>({ KeySpec: "AES_256" }, { KeySpec: "AES_128" }, { NumberOfBytes: 1 }, { NumberOfBytes: 1024 }),
        contexts,
        (which, size, EncryptionContext) => {
          const steps: Step[] = [
            ...KEYS,
            {
              call: "GenerateDataKey",
              as: "admin",
              save: "d",
              input: { KeyId: keyId(which), ...size, EncryptionContext },
              expect: { ok: true },
            },
            {
              call: "Decrypt",
              as: "admin",
              input: { CiphertextBlob: "${d.CiphertextBlob}", EncryptionContext },
              expect: { ok: true, output: { Plaintext: "${d.Plaintext}" } },
            },
            {
              call: "GenerateDataKeyWithoutPlaintext",
              as: "admin",
              save: "w",
              input: { KeyId: keyId(which), ...size, EncryptionContext },
              expect: { ok: true },
            },
            {
              call: "Decrypt",
              as: "admin",
              save: "p",
              input: { CiphertextBlob: "${w.CiphertextBlob}", EncryptionContext },
              expect: { ok: true },
            },
            {
              call: "Decrypt",
              as: "admin",
              input: { CiphertextBlob: "${w.CiphertextBlob}", EncryptionContext },
              expect: { ok: true, output: { Plaintext: "${p.Plaintext}" } },
            },
          ];
          expect(run(steps).failure).toBeUndefined();
        },
      ),
      { numRuns: 12, seed: 11 },
    );
  });

  it("GenerateDataKey takes exactly one of KeySpec and NumberOfBytes", () => {
    const bad = (input: JsonObject): Step => ({
      call: "GenerateDataKey",
      as: "admin",
      input: { KeyId: keyId("kms"), ...input },
      expect: { ok: false, error: { name: "ValidationException" } },
    });
    expect(
      run([
        ...KEYS,
        bad({}),
        bad({ KeySpec: "AES_256", NumberOfBytes: 32 }),
        bad({ NumberOfBytes: 0 }),
        bad({ NumberOfBytes: 1025 }),
        bad({ KeySpec: "AES_512" }),
      ]).failure,
    ).toBeUndefined();
  });

  it("ReEncrypt moves a ciphertext to another key and context; the old key and context no longer fit it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(["kms", "hsm"], ["hsm", "kms"], ["hsm", "hsm"]),
        plaintexts,
        contexts,
        contexts,
        ([from, to], Plaintext, before, after) => {
          const steps: Step[] = [
            ...KEYS,
            { call: "Encrypt", as: "admin", save: "c", input: { KeyId: keyId(from!), Plaintext, EncryptionContext: before } },
            {
              call: "ReEncrypt",
              as: "admin",
              save: "r",
              input: {
                CiphertextBlob: "${c.CiphertextBlob}",
                SourceEncryptionContext: before,
                DestinationKeyId: keyId(to!),
                DestinationEncryptionContext: after,
              },
              expect: { ok: true, output: { SourceKeyId: keyId(from!), KeyId: keyId(to!) } },
            },
            {
              call: "Decrypt",
              as: "admin",
              input: { CiphertextBlob: "${r.CiphertextBlob}", EncryptionContext: after },
              expect: { ok: true, output: { Plaintext, KeyId: keyId(to!) } },
            },
            {
              call: "Decrypt",
              as: "admin",
              input: { CiphertextBlob: "${r.CiphertextBlob}", KeyId: keyId(from === to ? "kms" : from!), EncryptionContext: after },
              // AWS's text, recorded (LocalStack tests/aws/services/kms/test_kms.snapshot.json, decrypt-invalid-key-id).
              expect: {
                ok: false,
                error: {
                  name: "IncorrectKeyException",
                  message: "The key ID in the request does not identify a CMK that can perform this operation.",
                },
              },
            },
          ];
          expect(run(steps).failure).toBeUndefined();
        },
      ),
      { numRuns: 15, seed: 3 },
    );
  });

  it("ReEncrypt checks the source context, and needs ReEncryptFrom and ReEncryptTo", () => {
    const steps: Step[] = [
      ...KEYS,
      { call: "Encrypt", as: "admin", save: "c", input: { KeyId: keyId("kms"), Plaintext: "AAEC", EncryptionContext: { a: "b" } } },
      {
        call: "ReEncrypt",
        as: "admin",
        input: { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: keyId("hsm") },
        expect: { ok: false, error: { name: "InvalidCiphertextException", message: "" } },
      },
      {
        call: "ReEncrypt",
        as: "app",
        input: { CiphertextBlob: "${c.CiphertextBlob}", SourceEncryptionContext: { a: "b" }, DestinationKeyId: keyId("hsm") },
        expect: { ok: false, error: { name: "AccessDeniedException" } },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("GenerateRandom: any number of bytes 1..1024; with a store, only while it is CONNECTED", () => {
    const random = (input: JsonObject, expected: JsonObject): Step => ({ call: "GenerateRandom", as: "admin", input, expect: expected });
    const steps: Step[] = [
      ...KEYS,
      random({ NumberOfBytes: 1024 }, { ok: true }),
      random({ NumberOfBytes: 16, CustomKeyStoreId: "${cks.CustomKeyStoreId}" }, { ok: true }),
      random({}, { ok: false, error: { name: "ValidationException" } }),
      random(
        { NumberOfBytes: 8, CustomKeyStoreId: "cks-0123456789abcdef0" },
        { ok: false, error: { name: "CustomKeyStoreNotFoundException" } },
      ),
      { call: "DisconnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
      random(
        { NumberOfBytes: 8, CustomKeyStoreId: "${cks.CustomKeyStoreId}" },
        { ok: false, error: { name: "CustomKeyStoreInvalidStateException" } },
      ),
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    const sizes = result.records
      .filter((r) => (r.step as CallStep).call === "GenerateRandom" && r.sut.ok)
      .map((r) => Buffer.from(String((r.sut as { output: JsonObject }).output["Plaintext"]), "base64").length);
    expect(sizes).toEqual([1024, 16]);
  });
});
