// Grants (spec §9.7) through both sides: a grant lets its grantee do its operations under its
// constraints — across accounts, never past an explicit deny; Name makes CreateGrant idempotent;
// a grant-authorized caller may only make narrower child grants; who may retire, and revoking;
// grant tokens; a key's grants go with it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { principals, account } = scenario.world;
const app = principals["app"]!.arn;
const alice = principals["alice"]!.arn;
const partner = principals["partner"]!.arn;
const keyArn = "${k.KeyMetadata.Arn}";
const fails = (name: string) => ({ ok: false, error: { name } });
const grant = (input: JsonObject, expected: JsonObject = { ok: true }, save = "g", as = "admin"): Step => ({
  call: "CreateGrant",
  as,
  save,
  input: { KeyId: keyArn, ...input },
  expect: expected,
});
const encrypt = (as: string, expected: JsonObject, EncryptionContext: JsonObject = {}): Step => ({
  call: "Encrypt",
  as,
  input: { KeyId: keyArn, Plaintext: "AAEC", EncryptionContext },
  expect: expected,
});

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:grants", steps);
}
const KEY: Step = { call: "CreateKey", as: "admin", save: "k", input: {} };

describe("grants (§9.7) on both sides", () => {
  it("a grant allows its grantee its operations, under its constraints, even across accounts", () => {
    const steps: Step[] = [
      KEY,
      encrypt("app", fails("AccessDeniedException")),
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextSubset: { purpose: "test" } } }),
      encrypt("app", fails("AccessDeniedException")),
      encrypt("app", { ok: true }, { purpose: "test", extra: "ok" }),
      { call: "DescribeKey", as: "app", input: { KeyId: keyArn }, expect: fails("AccessDeniedException") },
      grant(
        {
          GranteePrincipal: partner,
          Operations: ["Encrypt", "DescribeKey"],
          Constraints: { EncryptionContextEquals: { purpose: "test" } },
        },
        { ok: true },
        "p",
      ),
      encrypt("partner", fails("AccessDeniedException"), { purpose: "test", extra: "no" }),
      encrypt("partner", { ok: true }, { purpose: "test" }),
      { call: "DescribeKey", as: "partner", input: { KeyId: keyArn }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("an explicit deny beats a grant", () => {
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: alice, Operations: ["Encrypt"] }),
      encrypt("alice", { ok: true }),
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: {
          UserName: "alice",
          PolicyName: "No",
          PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "kms:Encrypt", Resource: "*" }] }),
        },
      },
      encrypt("alice", fails("AccessDeniedException")),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("Name: the same grant again is the same GrantId with a fresh token; child grants only narrow", () => {
    const steps: Step[] = [
      KEY,
      grant({
        GranteePrincipal: app,
        Operations: ["Encrypt", "CreateGrant"],
        Name: "g1",
        Constraints: { EncryptionContextSubset: { purpose: "test" } },
      }),
      grant(
        {
          GranteePrincipal: app,
          Operations: ["Encrypt", "CreateGrant"],
          Name: "g1",
          Constraints: { EncryptionContextSubset: { purpose: "test" } },
        },
        { ok: true, output: { GrantId: "${g.GrantId}" } },
        "again",
      ),
      {
        call: "ListGrants",
        as: "admin",
        input: { KeyId: keyArn },
        expect: {
          ok: true,
          output: {
            Grants: [{ GrantId: "${g.GrantId}", Name: "g1", GranteePrincipal: app, IssuingAccount: `arn:aws:iam::${account}:root` }],
            Truncated: false,
          },
        },
      },
      grant(
        { GranteePrincipal: alice, Operations: ["Decrypt"], Constraints: { EncryptionContextSubset: { purpose: "test" } } },
        fails("AccessDeniedException"),
        "c1",
        "app",
      ),
      grant({ GranteePrincipal: alice, Operations: ["Encrypt"] }, fails("AccessDeniedException"), "c2", "app"),
      grant(
        { GranteePrincipal: alice, Operations: ["Encrypt"], Constraints: { EncryptionContextEquals: { purpose: "test", team: "blue" } } },
        { ok: true },
        "c3",
        "app",
      ),
      encrypt("alice", { ok: true }, { purpose: "test", team: "blue" }),
      encrypt("alice", fails("AccessDeniedException"), { purpose: "test" }),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("retiring: the retiring principal, or the grantee when the grant allows RetireGrant; revoking: by the key policy", () => {
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], RetiringPrincipal: alice }),
      { call: "RetireGrant", as: "app", input: { GrantToken: "${g.GrantToken}" }, expect: fails("AccessDeniedException") },
      {
        call: "ListRetirableGrants",
        as: "admin",
        input: { RetiringPrincipal: alice },
        expect: {
          ok: true,
          output: { Grants: [{ GrantId: "${g.GrantId}", RetiringPrincipal: alice, GranteePrincipal: app }], Truncated: false },
        },
      },
      { call: "ListRetirableGrants", as: "app", input: { RetiringPrincipal: alice }, expect: fails("AccessDeniedException") },
      { call: "RetireGrant", as: "alice", input: { KeyId: keyArn, GrantId: "${g.GrantId}" }, expect: { ok: true } },
      {
        call: "ListRetirableGrants",
        as: "admin",
        input: { RetiringPrincipal: alice },
        expect: { ok: true, output: { Grants: [], Truncated: false } },
      },
      encrypt("app", fails("AccessDeniedException")),
      { call: "RetireGrant", as: "alice", input: { GrantToken: "${g.GrantToken}" }, expect: fails("NotFoundException") },
      grant({ GranteePrincipal: app, Operations: ["Encrypt", "RetireGrant"] }, { ok: true }, "h"),
      { call: "RetireGrant", as: "app", input: { GrantToken: "${h.GrantToken}" }, expect: { ok: true } },
      grant({ GranteePrincipal: app, Operations: ["Encrypt"] }, { ok: true }, "r"),
      { call: "RevokeGrant", as: "app", input: { KeyId: keyArn, GrantId: "${r.GrantId}" }, expect: fails("AccessDeniedException") },
      { call: "RevokeGrant", as: "admin", input: { KeyId: keyArn, GrantId: "${r.GrantId}" }, expect: { ok: true } },
      { call: "RevokeGrant", as: "admin", input: { KeyId: keyArn, GrantId: "${r.GrantId}" }, expect: fails("NotFoundException") },
      { call: "RetireGrant", as: "admin", input: {}, expect: fails("ValidationException") },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("grant tokens must be the KMS's own; only symmetric operations; not on a Disabled key; a key's grants go with it", () => {
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: app, Operations: ["Encrypt"] }),
      { call: "Encrypt", as: "app", input: { KeyId: keyArn, Plaintext: "AAEC", GrantTokens: ["${g.GrantToken}"] }, expect: { ok: true } },
      {
        call: "Encrypt",
        as: "app",
        input: { KeyId: keyArn, Plaintext: "AAEC", GrantTokens: ["bm90LWEtdG9rZW4="] },
        expect: fails("InvalidGrantTokenException"),
      },
      grant({ GranteePrincipal: app, Operations: ["Sign"] }, fails("ValidationException"), "s"),
      { call: "DisableKey", as: "admin", input: { KeyId: keyArn } },
      grant({ GranteePrincipal: app, Operations: ["Encrypt"] }, fails("DisabledException"), "d"),
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: keyArn, PendingWindowInDays: 7 } },
      { advance: 7 * 86_400_000 + 1 },
      { call: "RetireGrant", as: "admin", input: { GrantToken: "${g.GrantToken}" }, expect: fails("NotFoundException") },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("compares a constraint's keys case-insensitively and its values case-sensitively (§9.7, the KMS service model's GrantConstraints)", () => {
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextEquals: { Purpose: "Test" } } }),
      encrypt("app", { ok: true }, { purpose: "Test" }),
      encrypt("app", { ok: true }, { PURPOSE: "Test" }),
      encrypt("app", fails("AccessDeniedException"), { purpose: "test" }),
      grant(
        { GranteePrincipal: alice, Operations: ["Encrypt"], Constraints: { EncryptionContextSubset: { Team: "Blue" } } },
        { ok: true },
        "a",
      ),
      encrypt("alice", { ok: true }, { team: "Blue", extra: "x" }),
      encrypt("alice", fails("AccessDeniedException"), { team: "blue" }),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("refuses a grant with both kinds of constraint, one that allows only CreateGrant, and operation names in the wrong case", () => {
    const both = { EncryptionContextEquals: { a: "1" }, EncryptionContextSubset: { b: "2" } };
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], Constraints: both }, fails("ValidationException"), "b"),
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { ...both, EncryptionContextSubset: {} } }, { ok: true }, "e"),
      grant({ GranteePrincipal: app, Operations: ["CreateGrant"] }, fails("ValidationException"), "c"),
      grant({ GranteePrincipal: app, Operations: ["CreateGrant", "Decrypt"] }, { ok: true }, "d"),
      grant({ GranteePrincipal: app, Operations: ["encrypt"] }, fails("ValidationException"), "l"),
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    const lower = result.records.at(-1)!.sut;
    expect(lower.ok ? "" : lower.error.message).toMatch(
      /^1 validation error detected: Value '\[encrypt\]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: \[Member must satisfy enum value set: \[Decrypt, Encrypt, /,
    );
  });

  it("takes a constraint of 8 pairs and values of 384 characters, and refuses 9 pairs or 385 (§9.7)", () => {
    const pairs = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i + 1}`, "v"]));
    const steps: Step[] = [
      KEY,
      grant({ GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextSubset: pairs(8) } }, { ok: true }, "p8"),
      grant(
        { GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextEquals: pairs(9) } },
        fails("ValidationException"),
        "p9",
      ),
      grant(
        { GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextEquals: { a: "t".repeat(384) } } },
        { ok: true },
        "v384",
      ),
      grant(
        { GranteePrincipal: app, Operations: ["Encrypt"], Constraints: { EncryptionContextSubset: { a: "t".repeat(385) } } },
        fails("ValidationException"),
        "v385",
      ),
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
