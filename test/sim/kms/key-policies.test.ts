// Key policies (spec §9.3–§9.5) through both sides: the default policy, PutKeyPolicy taking effect,
// its checks (size, JSON, principals, the lockout safety check and its bypass), GetKeyPolicy
// returning what was put, ListKeyPolicies, and no cross-account management.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { account, partnerAccount, principals } = scenario.world;
const key = "${k.KeyMetadata.KeyId}";
const root = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: "kms:*",
  Resource: "*",
};
/** GetKeyPolicy's answer for a key made without a policy, byte for byte as spec §9.4 records it from real AWS. */
const DEFAULT_POLICY_AS_RECORDED = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${account}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const put = (Policy: string, expected: JsonObject, extra: JsonObject = {}, as = "admin"): Step => ({
  call: "PutKeyPolicy",
  as,
  input: { KeyId: key, Policy, ...extra },
  expect: expected,
});
const fails = (name: string, message?: string) => ({ ok: false, error: { name, ...(message !== undefined ? { message } : {}) } });

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:key-policies", steps);
}

describe("key policies (§9.3–§9.5) on both sides", () => {
  it("a key starts with the default policy; ListKeyPolicies is always default", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      {
        call: "GetKeyPolicy",
        as: "admin",
        input: { KeyId: key },
        expect: {
          ok: true,
          output: { Policy: DEFAULT_POLICY_AS_RECORDED, PolicyName: "default" },
        },
      },
      {
        call: "ListKeyPolicies",
        as: "admin",
        input: { KeyId: key },
        expect: { ok: true, output: { PolicyNames: ["default"], Truncated: false } },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("PutKeyPolicy takes effect and GetKeyPolicy returns the text as put", () => {
    const policy = doc(root, {
      Sid: "app may encrypt",
      Effect: "Allow",
      Principal: { AWS: principals["app"]!.arn },
      Action: "kms:Encrypt",
      Resource: "*",
    });
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { call: "Encrypt", as: "app", input: { KeyId: key, Plaintext: "AAEC" }, expect: fails("AccessDeniedException") },
      put(policy, { ok: true }),
      { call: "GetKeyPolicy", as: "admin", input: { KeyId: key, PolicyName: "default" }, expect: { ok: true, output: { Policy: policy } } },
      { call: "Encrypt", as: "app", input: { KeyId: key, Plaintext: "AAEC" }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("refuses what §9.3 refuses: bad JSON, no statements, unknown principals, more than 32 KB, bad names", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      put("{not json", fails("MalformedPolicyDocumentException")),
      put(doc(), fails("MalformedPolicyDocumentException")),
      put(
        doc(root, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:role/Nobody` }, Action: "kms:*", Resource: "*" }),
        fails("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals."),
      ),
      put(
        doc(root, { Sid: "x".repeat(33_000), Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*" }),
        fails("LimitExceededException"),
      ),
      put(doc(root), fails("ValidationException"), { PolicyName: "not-a-name" }),
      put(doc(root), fails("NotFoundException"), { PolicyName: "other" }),
      put("\u0100", fails("ValidationException")),
      { call: "GetKeyPolicy", as: "admin", input: { KeyId: key, PolicyName: "other" }, expect: fails("NotFoundException") },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("an ARN no principal could have is InvalidArnException; a well-formed ARN of no principal, or a name that is no ARN, an invalid principal", () => {
    const naming = (who: string) => doc(root, { Effect: "Allow", Principal: { AWS: who }, Action: "kms:*", Resource: "*" });
    const invalidArn = fails("InvalidArnException", "An ARN in the specified key policy is invalid.");
    const invalidPrincipal = fails("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      // As recorded from AWS for a CloudFormation key policy: a short account id and no user name.
      put(naming(`arn:aws:iam::${account.slice(2)}:user`), invalidArn),
      put(naming(`arn:aws:iam::${account}:group/admins`), invalidArn),
      put(naming(`arn:aws:iam:us-east-1:${account}:root`), invalidArn),
      { call: "CreateKey", as: "admin", input: { Policy: naming(`arn:aws:iam::${account}:user`) }, expect: invalidArn },
      // Well formed, but no such principal; and a name that is not an ARN at all.
      put(naming(`arn:aws:sts::${account}:assumed-role/Nobody/session`), invalidPrincipal),
      put(naming("nobody"), invalidPrincipal),
      // The statements' shape is checked first.
      put(
        doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:user` }, Action: "kms:*", Resource: "*" }, { Effect: "Maybe" }),
        fails("MalformedPolicyDocumentException"),
      ),
      { call: "GetKeyPolicy", as: "admin", input: { KeyId: key }, expect: { ok: true, output: { Policy: DEFAULT_POLICY_AS_RECORDED } } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("the lockout safety check (§9.5), and what bypassing it does", () => {
    const appOnly = doc({ Effect: "Allow", Principal: { AWS: principals["app"]!.arn }, Action: "kms:*", Resource: "*" });
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      put(
        appOnly,
        fails("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future."),
      ),
      put(appOnly, { ok: true }, { BypassPolicyLockoutSafetyCheck: true }),
      put(doc(root), fails("AccessDeniedException")),
      { call: "GetKeyPolicy", as: "admin", input: { KeyId: key }, expect: fails("AccessDeniedException") },
      // The check covers the caller's whole authorization: root alone delegates to IAM, and app has no IAM policy.
      put(doc(root), fails("MalformedPolicyDocumentException"), {}, "app"),
      put(
        doc(root, { Effect: "Allow", Principal: { AWS: principals["app"]!.arn }, Action: "kms:PutKeyPolicy", Resource: "*" }),
        { ok: true },
        {},
        "app",
      ),
      { call: "GetKeyPolicy", as: "admin", input: { KeyId: key }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("key policy operations are not cross-account, even when the key policy allows the other account", () => {
    const shared = doc(root, {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${partnerAccount}:root` },
      Action: "kms:*",
      Resource: "*",
    });
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: { Policy: shared } },
      { call: "GetKeyPolicy", as: "partner", input: { KeyId: "${k.KeyMetadata.Arn}" }, expect: fails("AccessDeniedException") },
      {
        call: "PutKeyPolicy",
        as: "partner",
        input: { KeyId: "${k.KeyMetadata.Arn}", Policy: shared },
        expect: fails("AccessDeniedException"),
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
