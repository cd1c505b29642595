// The authorization scenario over a fixed seed range: key policies, identity policies and principal
// tags churn while keys change state and grants come and go; every seed must pass, and allowed,
// denied-by-default and explicitly denied calls must all occur, as must each IAM step's outcomes and
// each condition operator the policy templates use, evaluated both true and false.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { runSeedRange } from "../support/seed-range.ts";

describe("authz scenario, seeds 1..200", () => {
  const scenario = loadScenario("authz");
  const { failures, probes } = runSeedRange(scenario, 200);

  it("passes every seed", () => {
    expect(failures).toEqual([]);
  });

  it("calls are allowed, denied by default and denied explicitly, each often", () => {
    expect(probes["call:Encrypt:ok"] ?? 0).toBeGreaterThan(100);
    expect(probes["access:denied-by-default"] ?? 0).toBeGreaterThan(100);
    expect(probes["access:denied-explicitly"] ?? 0).toBeGreaterThan(20);
    expect(probes["grant:decided-inside-propagation-window"] ?? 0).toBeGreaterThan(20);
  });

  it("every IAM, key policy and grant step succeeds somewhere; their refusals are reached", () => {
    for (const op of [
      "iam:PutRolePolicy",
      "iam:PutUserPolicy",
      "iam:DeleteRolePolicy",
      "iam:TagRole",
      "iam:TagUser",
      "iam:UntagRole",
      "PutKeyPolicy",
      "CreateGrant",
      "ListGrants",
      "RetireGrant",
      "RevokeGrant",
    ]) {
      expect([op, probes[`call:${op}:ok`] ?? 0]).not.toEqual([op, 0]);
    }
    for (const outcome of [
      "iam:PutRolePolicy:MalformedPolicyDocument",
      "iam:PutRolePolicy:UnmodifiableEntity",
      "iam:GetServiceLinkedRoleDeletionStatus:NoSuchEntity",
      "iam:TagRole:InvalidInput",
      "PutKeyPolicy:MalformedPolicyDocumentException",
    ]) {
      expect([outcome, probes[`call:${outcome}`] ?? 0]).not.toEqual([outcome, 0]);
    }
    // The inline-policy size quota is one rule for roles and users (model/iam.ts); either may reach it.
    const quota = (probes["call:iam:PutRolePolicy:LimitExceeded"] ?? 0) + (probes["call:iam:PutUserPolicy:LimitExceeded"] ?? 0);
    expect(["inline-policy quota", quota]).not.toEqual(["inline-policy quota", 0]);
  });

  it("answers dry runs that would have succeeded with DryRunOperationException, grants' too (harness/dry-runs.ts)", () => {
    const ops = ["Encrypt", "Decrypt", "CreateGrant"];
    expect(ops.filter((op) => (probes[`call:${op}:DryRunOperationException`] ?? 0) === 0)).toEqual([]);
  });

  it("each condition operator the templates use is evaluated both true and false", () => {
    const operators = [
      "StringEquals",
      "StringNotEquals",
      "StringLike",
      "StringEqualsIgnoreCase",
      "StringNotEqualsIfExists",
      "NumericLessThan",
      "Bool",
      "Null",
      "ArnLike",
      "ForAnyValue:StringLike",
      "ForAllValues:StringEquals",
      "DateGreaterThan",
    ];
    const missing = operators
      .flatMap((op) => ["true", "false"].map((r) => `condition:${op}=${r}`))
      .filter((name) => (probes[name] ?? 0) === 0);
    expect(missing).toEqual([]);
  });
});
