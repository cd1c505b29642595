// Parameter validation and error precedence (spec §1, §16) through both sides: an invalid parameter
// is a ValidationException naming it, and when several things are wrong at once the error is the
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

//   operation, input, the parameter its ValidationException names
const INVALID: [string, JsonObject, string][] = [
  ["CreateKey", { Description: tooLong(8193) }, "Description"],
  ["CreateKey", { Origin: "SOMEWHERE" }, "Origin"],
  ["DescribeKey", {}, "KeyId"],
  ["DescribeKey", { KeyId: tooLong(2049) }, "KeyId"],
  ["ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 6 }, "PendingWindowInDays"],
  ["ScheduleKeyDeletion", { KeyId: key, PendingWindowInDays: 31 }, "PendingWindowInDays"],
  ["UpdateKeyDescription", { KeyId: key }, "Description"],
  ["ListKeys", { Limit: 1001 }, "Limit"],
  ["ListAliases", { Limit: 101 }, "Limit"],
  ["ListResourceTags", { KeyId: key, Limit: 51 }, "Limit"],
  ["TagResource", { KeyId: key, Tags: [{ TagKey: tooLong(129), TagValue: "" }] }, "Tags.0.TagKey"],
  ["CreateAlias", { TargetKeyId: key }, "AliasName"],
  ["CreateAlias", { AliasName: `alias/${tooLong(251)}`, TargetKeyId: key }, "AliasName"],
  ["Encrypt", { KeyId: key, Plaintext: bytes(4097) }, "Plaintext"],
  ["Encrypt", { KeyId: key }, "Plaintext"],
  ["Decrypt", { CiphertextBlob: bytes(6145) }, "CiphertextBlob"],
  ["Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: { a: 1 } }, "EncryptionContext"],
  ["GenerateDataKey", { KeyId: key, NumberOfBytes: 1025 }, "NumberOfBytes"],
  ["GenerateDataKey", { KeyId: key, KeySpec: "AES_512" }, "KeySpec"],
  ["ReEncrypt", { CiphertextBlob: "${c.CiphertextBlob}" }, "DestinationKeyId"],
  ["GenerateRandom", { NumberOfBytes: 0 }, "NumberOfBytes"],
  ["GenerateRandom", {}, "NumberOfBytes"],
];

describe("parameter validation (§1) on both sides", () => {
  for (const [operation, input, parameter] of INVALID) {
    it(`${operation} ${JSON.stringify(input).slice(0, 60)}: ValidationException naming ${parameter}`, () => {
      const result = run([
        ...SETUP,
        { call: operation, as: "admin", input, expect: { ok: false, error: { name: "ValidationException" } } },
      ]);
      expect(result.failure).toBeUndefined();
      const answer = result.records.at(-1)!.sut;
      expect(answer.ok ? "" : answer.error.message).toContain(`'${parameter}'`);
    });
  }
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
