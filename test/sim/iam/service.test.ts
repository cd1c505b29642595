// IAM steps (spec §9.2 step 5, §10) through both sides: inline identity policies put and deleted take
// effect on the next call, count only where the key policy delegates to the account, and an IAM deny
// beats a key policy allow; the service-linked role cannot be changed, nor deleted while a store
// exists; IAM's own checks (entity, document, size, permission, and the shapes' lengths and characters).
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster, principals } = scenario.world;
const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allowKms = doc({ Effect: "Allow", Action: "kms:*", Resource: "*" });
const fails = (name: string) => ({ ok: false, error: { name } });
const encrypt = (as: string, expected: JsonObject): Step => ({
  call: "Encrypt",
  as,
  input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" },
  expect: expected,
});
const putRole = (RoleName: string, PolicyDocument: string, expected: JsonObject, PolicyName = "KmsUse", as = "admin"): Step => ({
  call: "iam:PutRolePolicy",
  as,
  input: { RoleName, PolicyName, PolicyDocument },
  expect: expected,
});

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:iam", steps);
}

describe("IAM identity policies as steps, on both sides", () => {
  it("a policy put on a role takes effect at once through the default key policy, and goes when deleted", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      encrypt("app", fails("AccessDeniedException")),
      putRole("App", allowKms, { ok: true }),
      encrypt("app", { ok: true }),
      { call: "iam:DeleteRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "KmsUse" }, expect: { ok: true } },
      encrypt("app", fails("AccessDeniedException")),
      {
        call: "iam:DeleteRolePolicy",
        as: "admin",
        input: { RoleName: "App", PolicyName: "KmsUse" },
        expect: fails("NoSuchEntity"),
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("IAM allows count only where the key policy delegates to the account; an IAM deny beats a key policy allow", () => {
    const appOnly = doc(
      { Effect: "Allow", Principal: { AWS: principals["admin"]!.arn }, Action: "kms:*", Resource: "*" },
      { Effect: "Allow", Principal: { AWS: principals["alice"]!.arn }, Action: "kms:Encrypt", Resource: "*" },
    );
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: { Policy: appOnly } },
      {
        call: "iam:PutRolePolicy",
        as: "admin",
        input: { RoleName: "App", PolicyName: "KmsUse", PolicyDocument: allowKms },
        expect: { ok: true },
      },
      encrypt("app", fails("AccessDeniedException")),
      encrypt("alice", { ok: true }),
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: {
          UserName: "alice",
          PolicyName: "NoEncrypt",
          PolicyDocument: doc({ Effect: "Deny", Action: "kms:Encrypt", Resource: "*" }),
        },
        expect: { ok: true },
      },
      encrypt("alice", {
        ok: false,
        error: {
          name: "AccessDeniedException",
          message: `User: ${principals["alice"]!.arn} is not authorized to perform: kms:Encrypt on resource: \${k.KeyMetadata.Arn} with an explicit deny in an identity-based policy`,
        },
      }),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("IAM's own checks: the entity, the document, its size, the caller's permission", () => {
    const steps: Step[] = [
      putRole("Nobody", allowKms, fails("NoSuchEntity")),
      putRole("App", "{not json", fails("MalformedPolicyDocument")),
      putRole("App", doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }), fails("MalformedPolicyDocument")),
      putRole("App", doc({ Sid: "x".repeat(10_300), Effect: "Allow", Action: "kms:*", Resource: "*" }), fails("LimitExceeded")),
      putRole("App", allowKms, fails("ValidationError"), "bad name!"),
      putRole("App", allowKms, fails("AccessDenied"), "KmsUse", "app"),
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: { UserName: "bob", PolicyName: "KmsUse", PolicyDocument: allowKms },
        expect: fails("NoSuchEntity"),
      },
      // IAM's shapes: a RoleName of 65 characters and a PolicyName of 129 are refused; a UserName of 128 is
      // only not found (existingUserNameType), one of 129 refused; a document past U+00FF is refused before
      // its grammar, up to it is read.
      putRole("R".repeat(64), allowKms, fails("NoSuchEntity")),
      putRole("R".repeat(65), allowKms, fails("ValidationError")),
      putRole("App", allowKms, fails("ValidationError"), "P".repeat(129)),
      putRole(
        "App",
        doc({
          Sid: "x",
          Effect: "Allow",
          Action: "kms:*",
          Resource: "*",
          Condition: { StringEquals: { "aws:PrincipalTag/team": "blue€" } },
        }),
        fails("ValidationError"),
      ),
      putRole(
        "App",
        doc({ Effect: "Allow", Action: "kms:*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "blü" } } }),
        { ok: true },
      ),
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: { UserName: "U".repeat(128), PolicyName: "KmsUse", PolicyDocument: allowKms },
        expect: fails("NoSuchEntity"),
      },
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: { UserName: "U".repeat(129), PolicyName: "KmsUse", PolicyDocument: allowKms },
        expect: fails("ValidationError"),
      },
      // Tags: a key or value outside IAM's characters is refused, tagging or untagging.
      {
        call: "iam:TagRole",
        as: "admin",
        input: { RoleName: "App", Tags: [{ Key: "team", Value: "blue!" }] },
        expect: fails("ValidationError"),
      },
      { call: "iam:TagRole", as: "admin", input: { RoleName: "App", Tags: [{ Key: "team", Value: "blue" }] }, expect: { ok: true } },
      { call: "iam:UntagRole", as: "admin", input: { RoleName: "App", TagKeys: ["team#"] }, expect: fails("ValidationError") },
      { call: "iam:UntagRole", as: "admin", input: { RoleName: "App", TagKeys: ["team"] }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("the service-linked role: made by KMS, its policies unmodifiable, taggable, its deletion a task that fails while a store exists (§10)", () => {
    const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
    const steps: Step[] = [
      { call: "iam:DeleteServiceLinkedRole", as: "admin", input: { RoleName: SLR }, expect: fails("NoSuchEntity") },
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        save: "cks",
        input: {
          CustomKeyStoreName: "s",
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
      },
      putRole(SLR, allowKms, fails("UnmodifiableEntity")),
      // IAM's TagRole declares no UnmodifiableEntity: the service-linked role can be tagged.
      { call: "iam:TagRole", as: "admin", input: { RoleName: SLR, Tags: [{ Key: "team", Value: "blue" }] }, expect: { ok: true } },
      { call: "iam:UntagRole", as: "admin", input: { RoleName: SLR, TagKeys: ["team"] }, expect: { ok: true } },
      // Deletion is a task (DeleteServiceLinkedRole's output is a DeletionTaskId); its refusal shows in its status.
      { call: "iam:DeleteServiceLinkedRole", as: "admin", save: "t1", input: { RoleName: SLR }, expect: { ok: true } },
      {
        call: "iam:GetServiceLinkedRoleDeletionStatus",
        as: "admin",
        input: { DeletionTaskId: "${t1.DeletionTaskId}" },
        expect: { ok: true, output: { Status: "FAILED" } },
      },
      putRole(SLR, allowKms, fails("UnmodifiableEntity")),
      { call: "DeleteCustomKeyStore", as: "admin", input: store, expect: { ok: true } },
      { call: "iam:DeleteServiceLinkedRole", as: "admin", save: "t2", input: { RoleName: SLR }, expect: { ok: true } },
      {
        call: "iam:GetServiceLinkedRoleDeletionStatus",
        as: "admin",
        input: { DeletionTaskId: "${t2.DeletionTaskId}" },
        expect: { ok: true, output: { Status: "SUCCEEDED" } },
      },
      {
        call: "iam:GetServiceLinkedRoleDeletionStatus",
        as: "admin",
        input: { DeletionTaskId: "not-a-task" },
        expect: fails("InvalidInput"),
      },
      { call: "iam:TagRole", as: "admin", input: { RoleName: SLR, Tags: [{ Key: "team", Value: "blue" }] }, expect: fails("NoSuchEntity") },
      {
        call: "CreateCustomKeyStore",
        as: "storeadmin",
        input: {
          CustomKeyStoreName: "t",
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
        expect: fails("AccessDeniedException"),
      },
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        input: {
          CustomKeyStoreName: "t",
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
        expect: { ok: true },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
