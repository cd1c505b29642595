// The encryption algorithm in the virtual KMS (sim/kms/key-usage.ts), through both sides, on an AWS_KMS
// key and a CloudHSM key: SYMMETRIC_DEFAULT, named or not, works; RSAES_* and SM2PKE are
// InvalidKeyUsageException with AWS's text — after authorization (a policy on kms:EncryptionAlgorithm
// denies first), before the key state, in a dry run too, ReEncrypt's source before its destination;
// and the readable example, scenarios/scripts/encryption-algorithm.json, with its expectations held.
import { describe, expect, it } from "vitest";
import { loadScript } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { worldSeed } from "../../../harness/seed.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { KEYS, keyId, run, scenario } from "../../support/crypto-keys.ts";

const call = (name: string, input: JsonObject, expected: JsonObject, save?: string): Step => ({
  call: name,
  as: "admin",
  input,
  expect: expected,
  ...(save !== undefined ? { save } : {}),
});
const incompatible = (algorithm: string) => ({
  ok: false,
  error: { name: "InvalidKeyUsageException", message: `Algorithm ${algorithm} is incompatible with key spec SYMMETRIC_DEFAULT.` },
});
const fails = (name: string) => ({ ok: false, error: { name } });

describe("EncryptionAlgorithm in the virtual KMS (§8.1 step 3, §16 step 5)", () => {
  for (const which of ["kms", "hsm"]) {
    it(`SYMMETRIC_DEFAULT works, named or not, and other algorithms are InvalidKeyUsageException (${which} key)`, () => {
      const steps: Step[] = [
        ...KEYS,
        call(
          "Encrypt",
          { KeyId: keyId(which), Plaintext: "AAEC", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
          { ok: true, output: { EncryptionAlgorithm: "SYMMETRIC_DEFAULT" } },
          "c",
        ),
        call(
          "Encrypt",
          { KeyId: keyId(which), Plaintext: "AAEC", EncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
          incompatible("RSAES_OAEP_SHA_256"),
        ),
        call("Encrypt", { KeyId: keyId(which), Plaintext: "AAEC", EncryptionAlgorithm: "SM2PKE", DryRun: true }, incompatible("SM2PKE")),
        call(
          "Decrypt",
          { CiphertextBlob: "${c.CiphertextBlob}", EncryptionAlgorithm: "RSAES_OAEP_SHA_1" },
          incompatible("RSAES_OAEP_SHA_1"),
        ),
        call(
          "Decrypt",
          { KeyId: keyId(which), DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"], EncryptionAlgorithm: "SM2PKE" },
          incompatible("SM2PKE"),
        ),
        call(
          "ReEncrypt",
          {
            CiphertextBlob: "${c.CiphertextBlob}",
            DestinationKeyId: keyId(which),
            SourceEncryptionAlgorithm: "RSAES_OAEP_SHA_1",
            DestinationEncryptionAlgorithm: "SM2PKE",
          },
          incompatible("RSAES_OAEP_SHA_1"),
        ),
        call(
          "ReEncrypt",
          { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: keyId(which), DestinationEncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
          incompatible("RSAES_OAEP_SHA_256"),
        ),
        call(
          "ReEncrypt",
          {
            CiphertextBlob: "${c.CiphertextBlob}",
            DestinationKeyId: keyId(which),
            SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
            DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
          },
          { ok: true, output: { SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT", DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT" } },
        ),
        call(
          "Decrypt",
          { CiphertextBlob: "${c.CiphertextBlob}" },
          { ok: true, output: { Plaintext: "AAEC", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" } },
        ),
        call("Encrypt", { KeyId: keyId(which), Plaintext: "AAEC", EncryptionAlgorithm: "AES_GCM" }, fails("ValidationException")),
        // Before the key state: a Disabled key still answers InvalidKeyUsageException.
        call("DisableKey", { KeyId: keyId(which) }, { ok: true }),
        call(
          "Encrypt",
          { KeyId: keyId(which), Plaintext: "AAEC", EncryptionAlgorithm: "RSAES_OAEP_SHA_1" },
          incompatible("RSAES_OAEP_SHA_1"),
        ),
        call("Encrypt", { KeyId: keyId(which), Plaintext: "AAEC" }, fails("DisabledException")),
      ];
      expect(run(steps).failure).toBeUndefined();
    });
  }

  it("after authorization: a key policy denying other algorithms (kms:EncryptionAlgorithm) answers AccessDeniedException", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${scenario.world.account}:root` }, Action: "kms:*", Resource: "*" },
        {
          Effect: "Deny",
          Principal: "*",
          Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"],
          Resource: "*",
          Condition: { StringNotEquals: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" } },
        },
      ],
    });
    const steps: Step[] = [
      ...KEYS,
      call("PutKeyPolicy", { KeyId: keyId("kms"), Policy: policy }, { ok: true }),
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }, { ok: true }, "c"),
      call(
        "Encrypt",
        { KeyId: keyId("kms"), Plaintext: "AAEC", EncryptionAlgorithm: "RSAES_OAEP_SHA_256" },
        fails("AccessDeniedException"),
      ),
      call("Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", EncryptionAlgorithm: "SM2PKE" }, fails("AccessDeniedException")),
      // The destination key's policy knows nothing of it: only the source's algorithm is denied there.
      call(
        "ReEncrypt",
        { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: keyId("hsm"), DestinationEncryptionAlgorithm: "SM2PKE" },
        incompatible("SM2PKE"),
      ),
      call(
        "ReEncrypt",
        { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: keyId("hsm"), SourceEncryptionAlgorithm: "SM2PKE" },
        fails("AccessDeniedException"),
      ),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("the scripted example passes with every expectation met, and fails when one is wrong", () => {
    const script = loadScript("scenarios/scripts/encryption-algorithm.json");
    const run = (steps: Step[]) => executeSteps(script.scenario, worldSeed(script.seed), steps);
    expect(run(script.steps).verdict).toBe("pass");
    const named = script.steps.findIndex((s) => "call" in s && s.input?.["EncryptionAlgorithm"] === "RSAES_OAEP_SHA_256");
    expect(named).toBeGreaterThan(0);
    const wrong = script.steps.map((s, i) => (i === named ? { ...s, expect: { ok: true } } : s));
    expect(run(wrong).failure?.check).toBe("expect");
  });
});
