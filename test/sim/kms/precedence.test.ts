// Parameter validation and error precedence (spec §1, §16) through both sides: an invalid parameter
// is a ValidationException naming it in AWS's words, and when several things are wrong at once the error is the
// one the check order defines — validation, key, authorization, key state, cluster, ciphertext.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const MISSING = "00000000-0000-4000-8000-000000000000";
const SETUP: Step[] = [
  { call: "CreateKey", as: "admin", save: "k", input: {} },
  { call: "Encrypt", as: "admin", save: "c", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC", EncryptionContext: { a: "b" } } },
  { call: "DisableKey", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}" } },
];
const key = "${k.KeyMetadata.KeyId}";
const tooLong = (n: number) => "x".repeat(n);
const bytes = (n: number) => Buffer.alloc(n, 7).toString("base64");

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:precedence", steps);
}

//   operation, input, the member its ValidationException names (lowerCamelCase, as AWS writes it)
const INVALID: [string, JsonObject, string][] = [
  ["CreateKey", { Description: tooLong(8193) }, "description"],
  ["CreateKey", { Origin: "SOMEWHERE" }, "origin"],
  ["DescribeKey", {}, "keyId"],
  ["DescribeKey", { KeyId: tooLong(2049) }, "keyId"],
  ["ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 6 }, "pendingWindowInDays"],
  ["ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 31 }, "pendingWindowInDays"],
  ["UpdateKeyDescription", { KeyId: key }, "description"],
  ["ListKeys", { Limit: 1001 }, "limit"],
  ["ListAliases", { Limit: 101 }, "limit"],
  ["ListResourceTags", { KeyId: key, Limit: 51 }, "limit"],
  ["TagResource", { KeyId: key, Tags: [{ TagKey: tooLong(129), TagValue: "" }] }, "tags.1.member.tagKey"],
  ["CreateAlias", { TargetKeyId: key }, "aliasName"],
  ["CreateAlias", { AliasName: `alias/${tooLong(251)}`, TargetKeyId: key }, "aliasName"],
  ["Encrypt", { KeyId: key }, "plaintext"],
  ["Decrypt", { CiphertextBlob: bytes(6145) }, "ciphertextBlob"],
  ["GenerateDataKey", { KeyId: key, NumberOfBytes: 1025 }, "numberOfBytes"],
  ["GenerateDataKey", { KeyId: key, KeySpec: "AES_512" }, "keySpec"],
  ["ReEncrypt", { CiphertextBlob: "${c.CiphertextBlob}" }, "destinationKeyId"],
];

function lastAnswer(step: Step) {
  const result = run([...SETUP, step]);
  expect(result.failure).toBeUndefined();
  return result.records.at(-1)!.sut;
}

describe("parameter validation (§1) on both sides", () => {
  for (const [operation, input, parameter] of INVALID) {
    it(`${operation} ${JSON.stringify(input).slice(0, 60)}: ValidationException naming ${parameter}`, () => {
      const answer = lastAnswer({ call: operation, as: "admin", input, expect: { ok: false, error: { name: "ValidationException" } } });
      expect(answer.ok ? "" : answer.error.message).toContain(` at '${parameter}' failed to satisfy constraint: `);
    });
  }

  // Answers recorded from real AWS: LocalStack tests/aws/services/kms/test_kms.snapshot.json
  // (test_generate_random_invalid_number_of_bytes, test_plaintext_size_for_encrypt).
  const RECORDED: [string, JsonObject, string][] = [
    ["GenerateRandom", {}, "NumberOfBytes is required."],
    [
      "GenerateRandom",
      { NumberOfBytes: 0 },
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    ],
    [
      "GenerateRandom",
      { NumberOfBytes: 1025 },
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    ],
    [
      "Encrypt",
      { KeyId: key, Plaintext: bytes(4097) },
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    ],
  ];
  for (const [operation, input, message] of RECORDED) {
    it(`${operation} ${JSON.stringify(input).slice(0, 40)}: AWS's recorded text`, () => {
      const error = { name: "ValidationException", message };
      expect(lastAnswer({ call: operation, as: "admin", input, expect: { ok: false, error } })).toEqual({ ok: false, error });
    });
  }

  it("a member of the wrong JSON type is a SerializationException, before any other check", () => {
    const input = { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: { a: 1 }, KeyId: tooLong(2049) };
    const answer = lastAnswer({ call: "Decrypt", as: "app", input, expect: { ok: false, error: { name: "SerializationException" } } });
    expect(answer.ok).toBe(false);
  });

  it("several failed constraints are one ValidationException listing each", () => {
    const input = { KeyId: tooLong(2049), Plaintext: bytes(4097) };
    const answer = lastAnswer({ call: "Encrypt", as: "app", input, expect: { ok: false, error: { name: "ValidationException" } } });
    expect(answer.ok ? "" : answer.error.message).toMatch(/^2 validation errors detected: Value '.*' at 'keyId' .*; Value at 'plaintext' /);
  });
});

//   what is wrong, the call, the error the check order gives
const SEVERAL: [string, Step, string][] = [
  [
    "invalid plaintext and unknown key: validation first",
    { call: "Encrypt", as: "admin", input: { KeyId: MISSING, Plaintext: bytes(4097) } },
    "ValidationException",
  ],
  [
    "unknown key and a caller without permission: the key first",
    { call: "Encrypt", as: "app", input: { KeyId: MISSING, Plaintext: "AAEC" } },
    "NotFoundException",
  ],
  [
    "disabled key and a caller without permission: authorization first",
    { call: "Encrypt", as: "app", input: { KeyId: key, Plaintext: "AAEC" } },
    "AccessDeniedException",
  ],
  [
    "disabled key and a wrong context: key state first",
    { call: "Decrypt", as: "admin", input: { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: { a: "c" } } },
    "DisabledException",
  ],
  [
    "wrong KeyId and a caller without permission: IncorrectKeyException first",
    { call: "Decrypt", as: "app", input: { CiphertextBlob: "${c.CiphertextBlob}", KeyId: "${k2.KeyMetadata.KeyId}" } },
    "IncorrectKeyException",
  ],
  [
    "alias in an operation that takes none, on a disabled key: NotFoundException",
    { call: "EnableKey", as: "admin", input: { KeyId: "alias/mine" } },
    "NotFoundException",
  ],
  [
    "pending deletion and a caller without permission: authorization first",
    { call: "CancelKeyDeletion", as: "app", input: { KeyId: "${k2.KeyMetadata.KeyId}" } },
    "AccessDeniedException",
  ],
];

describe("error precedence (§16) on both sides", () => {
  for (const [what, step, error] of SEVERAL) {
    it(`${what}: ${error}`, () => {
      const steps: Step[] = [
        ...SETUP,
        { call: "CreateKey", as: "admin", save: "k2", input: {} },
        { call: "CreateAlias", as: "admin", input: { AliasName: "alias/mine", TargetKeyId: key } },
        { ...step, expect: { ok: false, error: { name: error } } },
      ];
      expect(run(steps).failure).toBeUndefined();
    });
  }
});
