// Policy documents for the generator (issue 5 item 6): key policies and identity policies drawn from templates that mean
// something — the default split, admin/user, deny overlays, cross-account, condition-heavy ones over every condition key
// the harness builds (§9.6) — and then, now and then, mutated one statement at a time (Effect flipped, Condition dropped
// or its operators negated, Action widened, Principal swapped), so near-misses of the templates are tried too. A few
// malformed or oversized documents, one naming an ARN no principal could have, keep the validation paths busy.
import type fc from "fast-check";
import { isoTime } from "../sim/iam/request-context.ts";
import { drawn, type Doc, type Mutation, type Statement } from "./policy-mutations.ts";
import type { Scenario } from "./scenario.ts";

const doc = (...Statement: Statement[]): Doc => ({ Version: "2012-10-17", Statement });

/** Virtual time zero plus `ms`, as aws:CurrentTime reads then. */
function at(scenario: Scenario, ms: number): string {
  return isoTime(scenario.world.epochMs + ms);
}

/** Key policy templates: the default split, deny overlays, cross-account, lockout, conditions, and malformed ones. */
export function keyPolicies(scenario: Scenario): fc.Arbitrary<string> {
  const { account, partnerAccount, principals } = scenario.world;
  const arn = (name: string) => principals[name]?.arn ?? `arn:aws:iam::${account}:root`;
  const accountRoot = `arn:aws:iam::${account}:root`;
  const root = { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: accountRoot }, Action: "kms:*", Resource: "*" };
  const users = {
    Sid: "Allow use of the key",
    Effect: "Allow",
    Principal: { AWS: [arn("app"), arn("alice")] },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
  };
  const allow = (Sid: string, who: string | string[], Action: string | string[], Condition: object): Statement => ({
    Sid,
    Effect: "Allow",
    Principal: who === "*" ? "*" : { AWS: who },
    Action,
    Resource: "*",
    Condition,
  });
  const deny = (Sid: string, who: string | string[], Action: string | string[], Condition: object): Statement => ({
    ...allow(Sid, who, Action, Condition),
    Effect: "Deny",
  });
  const templates: Doc[] = [
    doc(root, users),
    doc(root, users, { Sid: "Deny alice decrypt", Effect: "Deny", Principal: { AWS: arn("alice") }, Action: "kms:Decrypt", Resource: "*" }),
    doc(root, { Effect: "Deny", Principal: { AWS: accountRoot }, Action: "kms:Disable*", Resource: "*" }),
    doc(root, {
      Effect: "Allow",
      Principal: { AWS: arn("partner") },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
    }),
    doc(root, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${partnerAccount}:root` }, Action: "kms:*", Resource: "*" }),
    doc({ Effect: "Allow", Principal: { AWS: arn("admin") }, Action: "kms:*", Resource: "*" }, users),
    doc(users),
    doc({ Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*" }, root),
    doc(root, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:role/Nobody` }, Action: "kms:*", Resource: "*" }),
    // Condition-heavy (§9.6): encryption context, aliases, time, accounts, grants, tags, principals.
    doc(
      root,
      allow("Use with purpose test", [arn("app"), arn("alice")], ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"], {
        StringEquals: { "kms:EncryptionContext:purpose": "test" },
      }),
    ),
    doc(root, users, deny("No decrypt without a context", "*", "kms:Decrypt", { Null: { "kms:EncryptionContextKeys": "true" } })),
    doc(root, allow("Only through the payments alias", arn("app"), "kms:*", { StringLike: { "kms:RequestAlias": "alias/pay*" } })),
    doc(
      root,
      deny("Keep deletion windows long", accountRoot, "kms:ScheduleKeyDeletion", {
        NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": 14 },
      }),
    ),
    doc(
      root,
      allow("Alice for the first 45 seconds", arn("alice"), ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], {
        DateLessThan: { "aws:CurrentTime": at(scenario, 45_000) },
      }),
    ),
    doc(
      root,
      allow(
        "Partner account, checked",
        `arn:aws:iam::${partnerAccount}:root`,
        ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
        { StringEquals: { "kms:CallerAccount": partnerAccount } },
      ),
    ),
    doc(
      root,
      users,
      allow("Grants for AWS resources only", [arn("app"), arn("alice")], ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], {
        Bool: { "kms:GrantIsForAWSResource": true },
      }),
    ),
    doc(
      root,
      users,
      allow("App grants crypto to alice", arn("app"), "kms:CreateGrant", {
        "ForAllValues:StringEquals": { "kms:GrantOperations": ["Encrypt", "Decrypt", "DescribeKey"] },
        StringEquals: { "kms:GranteePrincipal": arn("alice") },
      }),
    ),
    doc(root, users, allow("Re-encrypt in place", arn("app"), "kms:ReEncrypt*", { Bool: { "kms:ReEncryptOnSameKey": "true" } })),
    doc(
      root,
      allow("Team blue", "*", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"], {
        StringEquals: { "aws:PrincipalTag/team": "blue" },
      }),
    ),
    doc(
      root,
      users,
      deny("Symmetric encryption only", "*", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"], {
        StringNotEquals: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" },
      }),
    ),
    doc(root, users, deny("Only team blue decrypts", "*", "kms:Decrypt", { StringNotEqualsIfExists: { "aws:PrincipalTag/team": "blue" } })),
    doc(
      root,
      allow("Roles of this account", "*", ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"], {
        ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${account}:role/*` },
      }),
    ),
    doc(
      root,
      allow("Alice tags team and env", arn("alice"), ["kms:TagResource", "kms:UntagResource"], {
        "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] },
        StringEqualsIfExists: { "aws:RequestTag/env": "prod" },
      }),
    ),
    doc(
      root,
      allow("IAM-only key, never seen here", arn("alice"), "kms:*", {
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/payments" },
      }),
    ),
    doc(
      root,
      deny("No bypassing the lockout check", accountRoot, "kms:PutKeyPolicy", { Bool: { "kms:BypassPolicyLockoutSafetyCheck": true } }),
    ),
    doc(
      root,
      users,
      allow("Purpose in any case", arn("app"), "kms:Encrypt", { StringEqualsIgnoreCase: { "kms:EncryptionContext:Purpose": "TEST" } }),
    ),
    // NotAction: everything but what is listed.
    doc(root, users, {
      Sid: "Alice only decrypts",
      Effect: "Deny",
      Principal: { AWS: arn("alice") },
      NotAction: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
    }),
  ];
  const malformed = [
    '{"Version": "2012-10-17", "Statement": [',
    JSON.stringify(doc(root, { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account.slice(2)}:user` }, Action: "kms:*" })),
    JSON.stringify(doc(root, allow("Unknown operator", arn("app"), "kms:Encrypt", { StringMatches: { "kms:CallerAccount": account } }))),
    JSON.stringify(
      doc(
        root,
        allow("ForAllValues over a context key", arn("app"), "kms:Encrypt", {
          "ForAllValues:StringEquals": { "kms:EncryptionContext:purpose": "test" },
        }),
      ),
    ),
    JSON.stringify(
      doc(
        root,
        allow("Not a number", arn("app"), "kms:ScheduleKeyDeletion", {
          NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": "two weeks" },
        }),
      ),
    ),
    // A Condition, or an operator's block in it, that is not an object of condition keys.
    JSON.stringify(doc(root, allow("Empty condition block", arn("app"), "kms:Encrypt", { StringEquals: {} }))),
    JSON.stringify(doc(root, { ...allow("Condition not an object", arn("app"), "kms:Encrypt", {}), Condition: [] })),
    JSON.stringify(doc(root, { ...allow("Permit", arn("app"), "kms:Encrypt", {}), Effect: "Permit" })),
    JSON.stringify(doc(root, allow("No principal", [], "kms:Encrypt", {}))), // Principal {"AWS": []}: none named
    // A character past U+00FF, which the Policy member's pattern refuses (ValidationException).
    JSON.stringify(doc(root, allow("Euro", arn("app"), "kms:Encrypt", { StringEquals: { "kms:EncryptionContext:currency": "€" } }))),
    // Both of a pair (§9.3: Action or NotAction, not both).
    JSON.stringify(doc(root, { ...allow("Both", arn("app"), "kms:Encrypt", {}), NotAction: "kms:Decrypt" })),
  ];
  const mutations: Mutation[] = ["flip-effect", "drop-condition", "negate-condition", "widen-action", "swap-principal"];
  return drawn(templates, mutations, [arn("app"), arn("alice"), arn("partner"), accountRoot], malformed);
}

/** Identity policy templates: key users, admins, scoped to keys or aliases, deny overlays, ABAC conditions, and malformed or too big ones (three times a key policy's share: at it, MalformedPolicyDocument came 16 times in 1,000 seeds of authz). */
export function identityPolicies(scenario: Scenario): fc.Arbitrary<string> {
  const { region, account } = scenario.world;
  const statement = (Effect: string, Action: string | string[], Condition?: object, Resource = "*"): Statement => ({
    Effect,
    Action,
    Resource,
    ...(Condition !== undefined ? { Condition } : {}),
  });
  const templates: Doc[] = [
    doc(statement("Allow", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"])),
    doc(statement("Allow", "kms:*")),
    doc(statement("Allow", "kms:*", undefined, `arn:aws:kms:${region}:${account}:key/*`)),
    doc(
      statement(
        "Allow",
        ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias", "kms:ListAliases"],
        undefined,
        `arn:aws:kms:${region}:${account}:alias/*`,
      ),
    ),
    doc(statement("Deny", "kms:Decrypt")),
    doc(statement("Allow", "kms:*"), statement("Deny", ["kms:Encrypt", "kms:GenerateDataKey*"])),
    doc(statement("Allow", ["kms:*", "iam:*", "cloudhsm:*"]), statement("Deny", ["kms:ScheduleKeyDeletion", "kms:Disable*"])),
    // ABAC and other conditions (§9.6, §9.8).
    doc(statement("Allow", "kms:*", { StringEquals: { "aws:ResourceTag/team": "blue" } })),
    doc(
      statement("Allow", ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"], {
        "ForAnyValue:StringLike": { "kms:ResourceAliases": "alias/pay*" },
      }),
    ),
    doc(
      statement("Allow", ["kms:CreateKey", "kms:ListKeys", "kms:ListAliases"], { StringEquals: { "kms:KeyOrigin": "AWS_CLOUDHSM" } }),
      statement("Allow", ["kms:Encrypt", "kms:Decrypt"]),
    ),
    doc(statement("Allow", "kms:*", { DateGreaterThan: { "aws:CurrentTime": at(scenario, 45_000) } })),
    doc(statement("Allow", "kms:*"), statement("Deny", "kms:*", { StringNotEquals: { "aws:PrincipalTag/team": "blue" } })),
    doc(statement("Allow", "kms:Decrypt", { StringEqualsIgnoreCase: { "kms:EncryptionContext:purpose": "TEST" } })),
    doc(
      statement("Allow", ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"], {
        StringEquals: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" },
      }),
    ),
    doc(statement("Allow", "kms:*", { Bool: { "kms:BypassPolicyLockoutSafetyCheck": "false" } })),
    doc(
      statement("Allow", ["kms:RetireGrant", "kms:ListRetirableGrants", "kms:CreateGrant"], {
        StringEquals: { "kms:CallerAccount": account },
      }),
    ),
    doc(statement("Allow", ["kms:TagResource", "kms:UntagResource"], { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } })),
    // NotAction and NotResource: everything but what is listed.
    doc({ Effect: "Allow", NotAction: ["kms:ScheduleKeyDeletion", "kms:Disable*", "iam:*"], Resource: "*" }),
    doc(statement("Allow", "kms:*"), { Effect: "Deny", Action: "kms:*", NotResource: `arn:aws:kms:${region}:${account}:alias/*` }),
  ];
  const extra = [
    JSON.stringify(doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" })),
    JSON.stringify(doc({ Sid: "x".repeat(10_300), Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" })),
    JSON.stringify(doc(statement("Allow", "kms:*", { DateLessThan: { "aws:CurrentTime": "soon" } }))),
    JSON.stringify(doc(statement("Allow", "kms:*", { StringEquals: "aws:ResourceTag/team" }))),
    JSON.stringify(doc({ Effect: "Permit", Action: "kms:*", Resource: "*" })),
    "", // no document at all: ValidationError (policyDocumentType is 1 character or more)
    // Characters: up to U+00FF a policy may hold (ü), past it not (€: ValidationError, before the grammar).
    JSON.stringify(doc(statement("Allow", "kms:*", { StringEquals: { "aws:ResourceTag/team": "blü" } }))),
    JSON.stringify(doc(statement("Allow", "kms:*", { StringEquals: { "aws:ResourceTag/team": "blue€" } }))),
    // Dates that do not exist (malformed: no 29 February in 2027, no hour 24, no minute 60, no year before
    // 1000) and two that do (a leap day, a month's last second; each Allow holds from then on).
    ...[
      "2027-02-29T00:00:00Z",
      "2026-11-30T24:00:00Z",
      "2026-11-30T12:60:00Z",
      "0999-12-31T00:00:00Z",
      "2028-02-29T12:00:00Z",
      "2026-04-30T23:59:59Z",
    ].map((date) => JSON.stringify(doc(statement("Allow", "kms:*", { DateGreaterThan: { "aws:CurrentTime": date } })))),
    '{"Version": "2012-10-17", "Statement": []}',
    "{not json",
    // A Resource that is neither a string nor a list of strings (§9.3).
    JSON.stringify(doc({ Effect: "Allow", Action: "kms:*", Resource: 7 })),
  ];
  return drawn(templates, ["flip-effect", "drop-condition", "negate-condition", "widen-action"], ["*"], extra, 3);
}
