// The key lifecycle and crypto scenario (issue 4) over a fixed seed range: every seed must pass, and
// the probes must show each operation succeeding and each documented key-state, identifier and
// ciphertext error reached — the proof that the corners are exercised, not only that nothing broke.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { runSeedRange } from "../support/seed-range.ts";

const OPERATIONS = [
  "CreateKey",
  "DescribeKey",
  "ListKeys",
  "EnableKey",
  "DisableKey",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "UpdateKeyDescription",
  "TagResource",
  "UntagResource",
  "ListResourceTags",
  "CreateAlias",
  "UpdateAlias",
  "DeleteAlias",
  "ListAliases",
  "Encrypt",
  "Decrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncrypt",
  "GenerateRandom",
];
const ERRORS: [string, string][] = [
  ["Encrypt", "DisabledException"],
  ["Encrypt", "KMSInvalidStateException"],
  ["Decrypt", "InvalidCiphertextException"],
  ["Decrypt", "IncorrectKeyException"],
  ["DescribeKey", "NotFoundException"],
  ["CancelKeyDeletion", "KMSInvalidStateException"],
  ["ScheduleKeyDeletion", "ValidationException"],
  ["CreateAlias", "AlreadyExistsException"],
  ["CreateAlias", "InvalidAliasNameException"],
  ["GenerateDataKey", "ValidationException"],
  ["ReEncrypt", "InvalidCiphertextException"],
  ["TagResource", "TagException"],
  // A dry run that would have succeeded (harness/dry-runs.ts).
  ["Encrypt", "DryRunOperationException"],
  ["Decrypt", "DryRunOperationException"],
  ["GenerateDataKey", "DryRunOperationException"],
];

describe("keys scenario, seeds 1..300", () => {
  const scenario = loadScenario("keys");
  const { failures, probes } = runSeedRange(scenario, 300);

  it("passes every seed", () => {
    expect(failures).toEqual([]);
  });

  it("every operation succeeds somewhere", () => {
    expect(OPERATIONS.filter((op) => (probes[`call:${op}:ok`] ?? 0) === 0)).toEqual([]);
  });

  it("the documented errors are reached", () => {
    expect(ERRORS.filter(([op, error]) => (probes[`call:${op}:${error}`] ?? 0) === 0)).toEqual([]);
    expect(probes["key:deleted"] ?? 0).toBeGreaterThan(0);
  });
});
