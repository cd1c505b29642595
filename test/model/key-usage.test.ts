// The encryption algorithm in the reference model (model/key-usage.ts), on a state built for the test:
// SYMMETRIC_DEFAULT, named or not, goes ahead; RSAES_* and SM2PKE on a symmetric key predict
// InvalidKeyUsageException with AWS's text — after authorization, before the key state, in a dry run
// too, source before destination in ReEncrypt — and a value outside the enum ValidationException.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { modelStep } from "../../model/model.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState } from "../../model/state.ts";
import type { JsonObject, Outcome } from "../../protocol/step.ts";
import { modelKey, modelKeyArn } from "../support/model-key.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const arnOf = (id: string) => modelKeyArn(world, id);
const ENABLED = "11111111-1111-4111-a111-111111111111";
const DISABLED = "22222222-2222-4222-a222-222222222222";
const SYMMETRIC_ONLY = "33333333-3333-4333-a333-333333333333";
const BLOB = "AQIDBAUGBwgJCgsMDQ4PEA==";
const root = `arn:aws:iam::${world.account}:root`;

/** A key whose policy lets the account do everything but name another algorithm than SYMMETRIC_DEFAULT (§9.6). */
const symmetricOnlyPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
    {
      Effect: "Deny",
      Principal: "*",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"],
      Resource: "*",
      Condition: { StringNotEquals: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" } },
    },
  ],
});

const STATE: ModelState = changed(initialState(world), (s) => {
  s.keys = [
    modelKey(world, ENABLED),
    modelKey(world, DISABLED, { enabled: false }),
    modelKey(world, SYMMETRIC_ONLY, { policy: symmetricOnlyPolicy }),
  ];
  s.ciphertexts = { [BLOB]: { keyArn: arnOf(ENABLED), plaintext: "AAEC", bytes: 3, context: {} } };
});

/** The model's one prediction for `call` by admin: the error (name and stated message) or "ok", and the state after it. */
function predict(call: string, input: JsonObject): { answer: string; message?: string; after: ModelState } {
  const branches = modelStep(world, STATE, { call, as: "admin", input }, 0);
  expect(branches).toHaveLength(1);
  const { outcome, next } = branches[0]!;
  if (outcome.ok) return { answer: "ok", after: next({ ok: true, output: { CiphertextBlob: "BBBB", Plaintext: "AAEC" } }) };
  const actual: Outcome = { ok: false, error: { name: outcome.error.name, message: "" } };
  const message = typeof outcome.error.message === "string" ? outcome.error.message : undefined;
  return { answer: outcome.error.name, ...(message !== undefined ? { message } : {}), after: next(actual) };
}

const incompatible = (algorithm: string) => ({
  answer: "InvalidKeyUsageException",
  message: `Algorithm ${algorithm} is incompatible with key spec SYMMETRIC_DEFAULT.`,
});

describe("EncryptionAlgorithm in the model (§8.1 step 3, §16 step 5)", () => {
  it("SYMMETRIC_DEFAULT, named or not, goes ahead and answers SYMMETRIC_DEFAULT", () => {
    for (const EncryptionAlgorithm of [undefined, "SYMMETRIC_DEFAULT"]) {
      const input = { KeyId: arnOf(ENABLED), Plaintext: "AAEC", ...(EncryptionAlgorithm ? { EncryptionAlgorithm } : {}) };
      const [branch] = modelStep(world, STATE, { call: "Encrypt", as: "admin", input }, 0);
      expect(branch?.outcome).toMatchObject({ ok: true, output: { EncryptionAlgorithm: "SYMMETRIC_DEFAULT" } });
    }
    expect(predict("Decrypt", { CiphertextBlob: BLOB, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }).answer).toBe("ok");
    const reEncrypt = { CiphertextBlob: BLOB, DestinationKeyId: arnOf(ENABLED) };
    const both = { SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT", DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    expect(predict("ReEncrypt", { ...reEncrypt, ...both }).answer).toBe("ok");
  });

  it("an asymmetric algorithm on a symmetric key is InvalidKeyUsageException with AWS's text, and changes nothing", () => {
    for (const algorithm of ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"]) {
      const encrypt = predict("Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC", EncryptionAlgorithm: algorithm });
      expect({ answer: encrypt.answer, message: encrypt.message }).toEqual(incompatible(algorithm));
      expect(encrypt.after).toEqual(STATE);
      // [MODEL CHOICE] Decrypt of a symmetric ciphertext naming an asymmetric algorithm: the same.
      const decrypt = predict("Decrypt", { CiphertextBlob: BLOB, EncryptionAlgorithm: algorithm });
      expect({ answer: decrypt.answer, message: decrypt.message }).toEqual(incompatible(algorithm));
    }
  });

  it("after authorization: a policy denying other algorithms answers AccessDeniedException first", () => {
    expect(predict("Encrypt", { KeyId: arnOf(SYMMETRIC_ONLY), Plaintext: "AAEC", EncryptionAlgorithm: "SM2PKE" }).answer).toBe(
      "AccessDeniedException",
    );
    expect(predict("Encrypt", { KeyId: arnOf(SYMMETRIC_ONLY), Plaintext: "AAEC", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }).answer).toBe(
      "ok",
    );
  });

  it("before the key state: a Disabled key answers InvalidKeyUsageException, not DisabledException", () => {
    expect(predict("Encrypt", { KeyId: arnOf(DISABLED), Plaintext: "AAEC", EncryptionAlgorithm: "RSAES_OAEP_SHA_1" }).answer).toBe(
      "InvalidKeyUsageException",
    );
    expect(predict("Encrypt", { KeyId: arnOf(DISABLED), Plaintext: "AAEC" }).answer).toBe("DisabledException");
  });

  it("a dry run makes the check too, IGNORE_CIPHERTEXT or not", () => {
    const dry = { DryRun: true, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" };
    expect(predict("Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC", ...dry }).answer).toBe("InvalidKeyUsageException");
    expect(predict("Decrypt", { CiphertextBlob: BLOB, ...dry }).answer).toBe("InvalidKeyUsageException");
    const ignoring = { KeyId: arnOf(ENABLED), DryRunModifiers: ["IGNORE_CIPHERTEXT"], ...dry };
    expect(predict("Decrypt", ignoring).answer).toBe("InvalidKeyUsageException");
    expect(predict("Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC", DryRun: true }).answer).toBe("DryRunOperationException");
  });

  it("ReEncrypt checks the source's algorithm before the destination's [MODEL CHOICE]", () => {
    const reEncrypt = { CiphertextBlob: BLOB, DestinationKeyId: arnOf(ENABLED) };
    const bothWrong = predict("ReEncrypt", {
      ...reEncrypt,
      SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_1",
      DestinationEncryptionAlgorithm: "SM2PKE",
    });
    expect({ answer: bothWrong.answer, message: bothWrong.message }).toEqual(incompatible("RSAES_OAEP_SHA_1"));
    const destination = predict("ReEncrypt", { ...reEncrypt, DestinationEncryptionAlgorithm: "SM2PKE" });
    expect({ answer: destination.answer, message: destination.message }).toEqual(incompatible("SM2PKE"));
  });

  it("a value outside EncryptionAlgorithmSpec is a ValidationException", () => {
    expect(predict("Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC", EncryptionAlgorithm: "AES_GCM" }).answer).toBe(
      "ValidationException",
    );
    expect(
      predict("ReEncrypt", { CiphertextBlob: BLOB, DestinationKeyId: arnOf(ENABLED), SourceEncryptionAlgorithm: "rsaes_oaep_sha_1" })
        .answer,
    ).toBe("ValidationException");
  });
});
