// Identifiers (spec §1, §6.3) and aliases (§6) through both sides: every identifier form against an
// operation that takes aliases (DescribeKey) and one that does not (EnableKey); the alias lifecycle,
// listing, the per-key limit, and aliases going with their key.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { region, account, partnerAccount } = scenario.world;
const aliasArn = (name: string, acct = account) => `arn:aws:kms:${region}:${acct}:${name}`;
const MISSING_ID = "00000000-0000-4000-8000-000000000000";
const MRK = "mrk-d3b95762d3b95762d3b95762d3b95762";
const keyArn = (id: string, acct = account) => `arn:aws:kms:${region}:${acct}:key/${id}`;
const OTHER_REGION_ARN = `arn:aws:kms:ap-southeast-1:${account}:key/${MISSING_ID}`;

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:aliases", steps);
}

const SETUP: Step[] = [
  { call: "CreateKey", as: "admin", save: "k", input: {} },
  { call: "CreateAlias", as: "admin", input: { AliasName: "alias/payments", TargetKeyId: "${k.KeyMetadata.Arn}" }, expect: { ok: true } },
];
const found = { ok: true };
const notFound = (message: string) => ({ ok: false, error: { name: "NotFoundException", message } });
/** [MODEL CHOICE] AWS's text for an ARN that is no KMS ARN is not recorded: the name is checked. */
const invalidArn = { ok: false, error: { name: "InvalidArnException" } };

//                identifier                         DescribeKey (takes aliases)                              EnableKey (does not)
const FORMS: [string, string, JsonObject, JsonObject][] = [
  ["key id", "${k.KeyMetadata.KeyId}", found, found],
  ["key ARN", "${k.KeyMetadata.Arn}", found, found],
  ["alias name", "alias/payments", found, notFound("Invalid keyId 'alias/payments'")],
  ["alias ARN", aliasArn("alias/payments"), found, notFound(`Invalid keyId '${aliasArn("alias/payments")}'`)],
  [
    "unknown alias name",
    "alias/nothing",
    notFound(`Alias ${aliasArn("alias/nothing")} is not found.`),
    notFound("Invalid keyId 'alias/nothing'"),
  ],
  [
    "alias ARN of another account",
    aliasArn("alias/payments", partnerAccount),
    notFound(`Alias ${aliasArn("alias/payments", partnerAccount)} is not found.`),
    notFound(`Invalid keyId '${aliasArn("alias/payments", partnerAccount)}'`),
  ],
  [
    "unknown key id",
    MISSING_ID,
    notFound(`Key 'arn:aws:kms:${region}:${account}:key/${MISSING_ID}' does not exist`),
    notFound(`Key 'arn:aws:kms:${region}:${account}:key/${MISSING_ID}' does not exist`),
  ],
  ["malformed id", "not-a-key", notFound("Invalid keyId 'not-a-key'"), notFound("Invalid keyId 'not-a-key'")],
  // Forms whose answers were recorded from real AWS (LocalStack tests/aws/services/kms/test_kms.snapshot.json:
  // test_get_key_does_not_exist, test_get_key_invalid_uuid, test_get_key_in_different_region).
  ["unknown multi-Region key id", MRK, notFound(`Key '${keyArn(MRK)}' does not exist`), notFound(`Key '${keyArn(MRK)}' does not exist`)],
  [
    "malformed multi-Region key id",
    "mrk-fake-key-id",
    notFound("Invalid keyId 'mrk-fake-key-id'"),
    notFound("Invalid keyId 'mrk-fake-key-id'"),
  ],
  ["key ARN in another Region", OTHER_REGION_ARN, notFound("Invalid arn ap-southeast-1"), notFound("Invalid arn ap-southeast-1")],
  [
    "unknown key ARN of another account",
    keyArn(MISSING_ID, partnerAccount),
    notFound(`Key '${keyArn(MISSING_ID, partnerAccount)}' does not exist`),
    notFound(`Key '${keyArn(MISSING_ID, partnerAccount)}' does not exist`),
  ],
  ["an ARN of another service", "arn:aws:s3:::bucket", invalidArn, invalidArn],
  [
    "key id without a hyphen",
    MISSING_ID.replaceAll("-", ""),
    notFound(`Invalid keyId '${MISSING_ID.replaceAll("-", "")}'`),
    notFound(`Invalid keyId '${MISSING_ID.replaceAll("-", "")}'`),
  ],
];

describe("identifier forms (§1, §6.3) on both sides", () => {
  for (const [form, id, describe_, enable] of FORMS) {
    it(`${form}: DescribeKey ${describe_["ok"] ? "finds the key" : "NotFoundException"}, EnableKey ${enable["ok"] ? "finds the key" : "NotFoundException"}`, () => {
      const steps: Step[] = [
        ...SETUP,
        { call: "DescribeKey", as: "admin", input: { KeyId: id }, expect: describe_ },
        { call: "EnableKey", as: "admin", input: { KeyId: id }, expect: enable },
      ];
      expect(run(steps).failure).toBeUndefined();
    });
  }

  it("crypto takes an alias, and the ciphertext names the key, not the alias", () => {
    const steps: Step[] = [
      ...SETUP,
      {
        call: "Encrypt",
        as: "admin",
        save: "c",
        input: { KeyId: "alias/payments", Plaintext: "AAEC" },
        expect: { ok: true, output: { KeyId: "${k.KeyMetadata.Arn}" } },
      },
      {
        call: "Decrypt",
        as: "admin",
        input: { CiphertextBlob: "${c.CiphertextBlob}", KeyId: aliasArn("alias/payments") },
        expect: { ok: true, output: { Plaintext: "AAEC" } },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("an ARN that is no KMS ARN is InvalidArnException only where the operation declares it, else NotFoundException", () => {
    const s3 = "arn:aws:s3:::bucket";
    const notFoundByName = { ok: false, error: { name: "NotFoundException" } };
    const steps: Step[] = [
      ...SETUP,
      { call: "Encrypt", as: "admin", save: "c", input: { KeyId: "${k.KeyMetadata.Arn}", Plaintext: "AAEC" }, expect: { ok: true } },
      { call: "Encrypt", as: "admin", input: { KeyId: s3, Plaintext: "AAEC" }, expect: notFoundByName },
      { call: "Decrypt", as: "admin", input: { CiphertextBlob: "${c.CiphertextBlob}", KeyId: s3 }, expect: notFoundByName },
      { call: "GenerateDataKey", as: "admin", input: { KeyId: s3, NumberOfBytes: 32 }, expect: notFoundByName },
      { call: "ReEncrypt", as: "admin", input: { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: s3 }, expect: notFoundByName },
      { call: "CreateAlias", as: "admin", input: { AliasName: "alias/other", TargetKeyId: s3 }, expect: notFoundByName },
      { call: "UpdateAlias", as: "admin", input: { AliasName: "alias/payments", TargetKeyId: s3 }, expect: notFoundByName },
      { call: "DescribeKey", as: "admin", input: { KeyId: s3 }, expect: invalidArn },
      { call: "ListGrants", as: "admin", input: { KeyId: s3 }, expect: invalidArn },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});

describe("aliases (§6) on both sides", () => {
  it("create, list, repoint, delete; names are unique, validated and not reserved", () => {
    const steps: Step[] = [
      ...SETUP,
      { call: "CreateKey", as: "admin", save: "k2", input: {} },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/payments", TargetKeyId: "${k2.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "AlreadyExistsException" } },
      },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "payments", TargetKeyId: "${k2.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "ValidationException" } },
      },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/bad name", TargetKeyId: "${k2.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "ValidationException" } },
      },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/aws/s3", TargetKeyId: "${k2.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "InvalidAliasNameException" } },
      },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/logs", TargetKeyId: "alias/payments" },
        expect: notFound("Invalid keyId 'alias/payments'"),
      },
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/logs", TargetKeyId: "${k2.KeyMetadata.KeyId}" },
        expect: { ok: true },
      },
      {
        call: "ListAliases",
        as: "admin",
        save: "page",
        input: { Limit: 1 },
        expect: {
          ok: true,
          output: {
            Aliases: [{ AliasName: "alias/payments", AliasArn: aliasArn("alias/payments"), TargetKeyId: "${k.KeyMetadata.KeyId}" }],
            Truncated: true,
            NextMarker: "1",
          },
        },
      },
      {
        call: "ListAliases",
        as: "admin",
        input: { Limit: 1, Marker: "${page.NextMarker}" },
        expect: { ok: true, output: { Aliases: [{ AliasName: "alias/logs" }], Truncated: false } },
      },
      {
        call: "UpdateAlias",
        as: "admin",
        input: { AliasName: "alias/payments", TargetKeyId: "${k2.KeyMetadata.Arn}" },
        expect: { ok: true },
      },
      {
        call: "ListAliases",
        as: "admin",
        input: { KeyId: "${k.KeyMetadata.KeyId}" },
        expect: { ok: true, output: { Aliases: [], Truncated: false } },
      },
      {
        call: "DescribeKey",
        as: "admin",
        input: { KeyId: "alias/payments" },
        expect: { ok: true, output: { KeyMetadata: { KeyId: "${k2.KeyMetadata.KeyId}" } } },
      },
      { call: "DeleteAlias", as: "admin", input: { AliasName: "alias/payments" }, expect: { ok: true } },
      {
        call: "DeleteAlias",
        as: "admin",
        input: { AliasName: "alias/payments" },
        expect: notFound(`Alias ${aliasArn("alias/payments")} is not found.`),
      },
      { call: "DescribeKey", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}" }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("alias operations need IAM on the alias and the key policy on the key; never cross-account", () => {
    const steps: Step[] = [
      ...SETUP,
      {
        call: "CreateAlias",
        as: "app",
        input: { AliasName: "alias/app", TargetKeyId: "${k.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "AccessDeniedException" } },
      },
      {
        call: "CreateAlias",
        as: "partner",
        input: { AliasName: "alias/theirs", TargetKeyId: "${k.KeyMetadata.Arn}" },
        expect: { ok: false, error: { name: "AccessDeniedException" } },
      },
      { call: "ListAliases", as: "partner", input: {}, expect: { ok: false, error: { name: "AccessDeniedException" } } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a key has at most 50 aliases (§15.7)", () => {
    const steps: Step[] = [
      ...SETUP,
      ...Array.from({ length: 49 }, (_, i): Step => ({
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: `alias/a${i}`, TargetKeyId: "${k.KeyMetadata.KeyId}" },
        expect: { ok: true },
      })),
      {
        call: "CreateAlias",
        as: "admin",
        input: { AliasName: "alias/one-too-many", TargetKeyId: "${k.KeyMetadata.KeyId}" },
        expect: { ok: false, error: { name: "LimitExceededException" } },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("deleting a key deletes its aliases (§6.1)", () => {
    const steps: Step[] = [
      ...SETUP,
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", PendingWindowInDays: 7 } },
      {
        call: "DescribeKey",
        as: "admin",
        input: { KeyId: "alias/payments" },
        expect: { ok: true, output: { KeyMetadata: { KeyState: "PendingDeletion" } } },
      },
      { advance: 7 * 86_400_000 + 1 },
      { call: "ListAliases", as: "admin", input: {}, expect: { ok: true, output: { Aliases: [], Truncated: false } } },
      {
        call: "DescribeKey",
        as: "admin",
        input: { KeyId: "alias/payments" },
        expect: notFound(`Alias ${aliasArn("alias/payments")} is not found.`),
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
