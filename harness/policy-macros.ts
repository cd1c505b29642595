// Authorization sequences (spec §9, §11.1, §12): policies laid over one another and then the calls
// they decide — an explicit deny over allows, in an identity policy and in a key policy (§9.2 step 3),
// and one that would lock its author out of the key policy (§9.5);
// a grant used before it has propagated, with and without its token, and after it is retired (§9.7,
// §12); ABAC on principal and resource tags before and after the tags change (§9.6, §9.8); grants made
// on one key until its quota refuses one (§11.1); CreateKey under an identity policy that allows it
// only for some key specs and not kms:TagResource, and the key specs a CloudHSM store refuses (§5.1).
// The long key-policy conditions story has its own file (condition-macro.ts). Split from macros.ts so
// each file holds one kind of sequence.
import type fc from "fast-check";
import type { MacroName, Scenario } from "./scenario.ts";
import type { JsonObject, Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { conditionsMacro } from "./condition-macro.ts";
import { policyParts } from "./policy-parts.ts";

export type PolicyMacroName = Extract<
  MacroName,
  "abac" | "conditions" | "grant-quota" | "grant-window" | "deny-overlay" | "create-key-specs"
>;

/**
 * An explicit deny laid over allows, then the calls it denies; a grant used before it has propagated,
 * with and without its token, and after it is retired; ABAC — a key policy on aws:PrincipalTag and an
 * identity policy on aws:ResourceTag, used before and after the tags change; a key policy whose
 * conditions read the request (condition-macro.ts); grants made on one key until its quota refuses
 * one, then one revoked to make room; CreateKey's specs and tags under IAM conditions (createKeySpecs).
 */
export function policyMacros(scenario: Scenario): Record<PolicyMacroName, fc.Arbitrary<Step[]>> {
  const { principals } = scenario.world;
  const { doc, rootStatement, alice } = policyParts(scenario);
  /** `as` puts on the latest key a policy that allows alice everything but `action`, which it denies her. */
  const aliceAllowedBut = (as: string, action: string): Step => ({
    call: "PutKeyPolicy",
    as,
    input: {
      KeyId: { ref: "key", index: -1 },
      Policy: doc(
        rootStatement,
        { Effect: "Allow", Principal: { AWS: alice }, Action: "kms:*", Resource: "*" },
        { Effect: "Deny", Principal: { AWS: alice }, Action: action, Resource: "*" },
      ),
    },
  });
  return {
    abac: droppable(
      [
        {
          call: "PutKeyPolicy",
          as: "admin",
          input: {
            KeyId: { ref: "key", index: -1 },
            Policy: doc(rootStatement, {
              Effect: "Allow",
              Principal: "*",
              Action: ["kms:Encrypt", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "aws:PrincipalTag/team": "blue" } },
            }),
          },
        },
        { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
        { call: "Encrypt", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
        { call: "iam:TagUser", as: "admin", input: { UserName: "alice", Tags: [{ Key: "team", Value: "blue" }] } },
        { call: "Encrypt", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
        { call: "iam:UntagRole", as: "admin", input: { RoleName: "App", TagKeys: ["team"] } },
        { call: "Decrypt", as: "app", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
        {
          call: "iam:PutRolePolicy",
          as: "admin",
          input: {
            RoleName: "App",
            PolicyName: "Abac",
            PolicyDocument: doc({
              Effect: "Allow",
              Action: "kms:*",
              Resource: "*",
              Condition: { StringEquals: { "aws:ResourceTag/team": "blue" } },
            }),
          },
        },
        { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: 1 }, Plaintext: "AAECAwQ=" } },
        { call: "TagResource", as: "admin", input: { KeyId: { ref: "key", index: 1 }, Tags: [{ TagKey: "team", TagValue: "blue" }] } },
        { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: 1 }, Plaintext: "AAECAwQ=" } },
      ],
      7,
    ),
    conditions: conditionsMacro(scenario),
    "grant-quota": droppable(
      [
        // Each grant left to propagate, so the model's views of grants in flux stay few.
        ...Array.from({ length: 3 }, (): Step[] => [
          {
            call: "CreateGrant",
            as: "admin",
            input: { KeyId: { ref: "keyArn", index: -1 }, GranteePrincipal: alice, Operations: ["DescribeKey"] },
          },
          { advance: scenario.timing.grantPropagationMsMax + 1 },
        ]).flat(),
        { call: "RevokeGrant", as: "admin", input: { KeyId: { ref: "keyArn", index: -1 }, GrantId: { ref: "grant", index: -1 } } },
        {
          call: "CreateGrant",
          as: "admin",
          input: { KeyId: { ref: "keyArn", index: -1 }, GranteePrincipal: alice, Operations: ["DescribeKey"] },
        },
      ],
      7,
    ),
    "grant-window": droppable(
      [
        {
          call: "CreateGrant",
          as: "admin",
          input: {
            KeyId: { ref: "keyArn", index: -1 },
            GranteePrincipal: principals["app"]?.arn ?? alice,
            Operations: ["Encrypt", "Decrypt", "RetireGrant"],
          },
        },
        { call: "Encrypt", as: "app", input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=" } },
        {
          call: "Encrypt",
          as: "app",
          input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=", GrantTokens: [{ ref: "grantToken", index: -1 }] },
        },
        { advance: scenario.timing.grantPropagationMsMax + 1 },
        { call: "Decrypt", as: "app", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
        { call: "RetireGrant", as: "app", input: { GrantToken: { ref: "grantToken", index: -1 } } },
        { call: "Encrypt", as: "app", input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=" } },
      ],
      7,
    ),
    "deny-overlay": droppable([
      {
        call: "iam:PutRolePolicy",
        as: "admin",
        input: {
          RoleName: "App",
          PolicyName: "Overlay",
          PolicyDocument: doc(
            { Effect: "Allow", Action: "kms:*", Resource: "*" },
            { Effect: "Deny", Action: ["kms:Decrypt", "kms:ReEncrypt*"], Resource: "*" },
          ),
        },
      },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      { call: "Decrypt", as: "app", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
      aliceAllowedBut("admin", "kms:Encrypt"),
      { call: "Encrypt", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      // A deny alice would lay on herself: it would lock her out of the policy (§9.5), so it is refused.
      aliceAllowedBut("alice", "kms:PutKeyPolicy"),
      { call: "iam:DeleteRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "Overlay" } },
    ]),
    "create-key-specs": createKeySpecs(scenario),
  };
}

/**
 * CreateKey's request values as IAM sees them (§5.1, §9.6): app may create only SYMMETRIC_DEFAULT
 * ENCRYPT_DECRYPT keys and may not tag them (Tags need kms:TagResource too), then creates keys with and
 * without tags and of another spec; the administrator names the spec by its deprecated name, by both
 * names (refused), and asks a CloudHSM store for what it cannot hold (an asymmetric or HMAC key, a
 * multi-Region one).
 */
function createKeySpecs(scenario: Scenario): fc.Arbitrary<Step[]> {
  const { doc } = policyParts(scenario);
  const store = { ref: "store", index: 0 };
  const createKey = (as: string, input: JsonObject): Step => ({ call: "CreateKey", as, input });
  return droppable([
    {
      call: "iam:PutRolePolicy",
      as: "admin",
      input: {
        RoleName: "App",
        PolicyName: "CreateSymmetricOnly",
        PolicyDocument: doc({
          Effect: "Allow",
          Action: "kms:CreateKey",
          Resource: "*",
          Condition: { StringEquals: { "kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT" } },
        }),
      },
    },
    createKey("app", {}),
    createKey("app", { Tags: [{ TagKey: "team", TagValue: "blue" }] }),
    createKey("app", { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }),
    createKey("app", { CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" }),
    createKey("admin", { KeySpec: "SYMMETRIC_DEFAULT", CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" }),
    createKey("admin", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store, KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" }),
    createKey("admin", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store, KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" }),
    createKey("admin", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store, MultiRegion: true }),
    { call: "iam:DeleteRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "CreateSymmetricOnly" } },
  ]);
}
