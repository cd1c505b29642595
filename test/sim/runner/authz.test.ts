// The authorization scenario over a fixed seed range, while issue 5 is under way: key policies and
// identity policies churn while keys change state; every seed must pass, and allowed,
// denied-by-default and explicitly denied calls must all occur, as must each IAM step's outcomes.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { runSeedRange } from "../../support/seed-range.ts";

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
    for (const op of ["iam:PutRolePolicy", "iam:PutUserPolicy", "iam:DeleteRolePolicy", "PutKeyPolicy", "CreateGrant", "ListGrants", "RetireGrant", "RevokeGrant"]) {
      expect([op, probes[`call:${op}:ok`] ?? 0]).not.toEqual([op, 0]);
    }
    for (const outcome of ["iam:PutRolePolicy:MalformedPolicyDocumentException", "iam:PutRolePolicy:LimitExceededException", "iam:PutRolePolicy:UnmodifiableEntityException", "iam:DeleteServiceLinkedRole:DeleteConflictException", "PutKeyPolicy:MalformedPolicyDocumentException"]) {
      expect([outcome, probes[`call:${outcome}`] ?? 0]).not.toEqual([outcome, 0]);
    }
  });
});
