// The key-policy conditions story (spec §9.6): a key policy whose conditions read the request —
// encryption context, alias used, deletion window, re-encryption on the same key, caller account,
// principal ARN, tag keys, resource aliases, encryption algorithm, a time-bound identity policy — met
// and missed in turn.
// Its own file because its policy document alone is longer than the other policy sequences together.
import type fc from "fast-check";
import { isoTime } from "../sim/iam/request-context.ts";
import type { Scenario } from "./scenario.ts";
import type { Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { policyParts } from "./policy-parts.ts";

/** The conditions story for `scenario`, each step droppable (kept with 7/8). */
export function conditionsMacro(scenario: Scenario): fc.Arbitrary<Step[]> {
  const { account } = scenario.world;
  const { doc, rootStatement, alice, app } = policyParts(scenario);
  // Half an hour into the run: most runs reach it only through the hour the conditions story waits.
  const later = isoTime(scenario.world.epochMs + 1_800_000);
  return droppable(
    [
      { call: "CreateAlias", as: "admin", input: { AliasName: "alias/payments", TargetKeyId: { ref: "key", index: -1 } } },
      {
        call: "PutKeyPolicy",
        as: "admin",
        input: {
          KeyId: { ref: "key", index: -1 },
          Policy: doc(
            rootStatement,
            {
              Sid: "Purpose test",
              Effect: "Allow",
              Principal: { AWS: alice },
              Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*"],
              Resource: "*",
              Condition: { StringEquals: { "kms:EncryptionContext:purpose": "test" } },
            },
            {
              Sid: "By alias",
              Effect: "Allow",
              Principal: { AWS: app },
              Action: ["kms:Encrypt", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringLike: { "kms:RequestAlias": "alias/pay*" } },
            },
            {
              Sid: "Purpose in any case",
              Effect: "Allow",
              Principal: { AWS: app },
              Action: "kms:Encrypt",
              Resource: "*",
              Condition: { StringEqualsIgnoreCase: { "kms:EncryptionContext:Purpose": "TEST" } },
            },
            {
              Sid: "App encrypts symmetrically",
              Effect: "Deny",
              Principal: { AWS: app },
              Action: ["kms:Encrypt", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringNotEquals: { "kms:EncryptionAlgorithm": "SYMMETRIC_DEFAULT" } },
            },
            {
              Sid: "Same key",
              Effect: "Allow",
              Principal: { AWS: alice },
              Action: "kms:ReEncrypt*",
              Resource: "*",
              Condition: { Bool: { "kms:ReEncryptOnSameKey": true } },
            },
            {
              Sid: "Own account only",
              Effect: "Deny",
              Principal: "*",
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { StringNotEquals: { "kms:CallerAccount": account } },
            },
            {
              Sid: "Roles describe",
              Effect: "Allow",
              Principal: "*",
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${account}:role/*` } },
            },
            // A negated operator on a key the request lacks holds: app describes the key by its alias only.
            {
              Sid: "App describes by alias",
              Effect: "Deny",
              Principal: { AWS: app },
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { StringNotLike: { "kms:RequestAlias": "alias/pay*" } },
            },
            {
              Sid: "Alice tags team and env",
              Effect: "Allow",
              Principal: { AWS: alice },
              Action: "kms:TagResource",
              Resource: "*",
              Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "env"] } },
            },
            {
              Sid: "IAM-only key, never seen here",
              Effect: "Allow",
              Principal: { AWS: alice },
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/payments" } },
            },
            {
              Sid: "Long windows",
              Effect: "Deny",
              Principal: { AWS: `arn:aws:iam::${account}:root` },
              Action: "kms:ScheduleKeyDeletion",
              Resource: "*",
              Condition: { NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": 14 } },
            },
            {
              Sid: "No decrypt without a context",
              Effect: "Deny",
              Principal: "*",
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { Null: { "kms:EncryptionContextKeys": "true" } },
            },
            {
              Sid: "Only team blue decrypts",
              Effect: "Deny",
              Principal: "*",
              Action: "kms:Decrypt",
              Resource: "*",
              Condition: { StringNotEqualsIfExists: { "aws:PrincipalTag/team": "blue" } },
            },
          ),
        },
      },
      {
        call: "Encrypt",
        as: "alice",
        input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=", EncryptionContext: { purpose: "test" } },
      },
      {
        call: "Encrypt",
        as: "alice",
        input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=", EncryptionContext: { purpose: "prod" } },
      },
      {
        call: "Decrypt",
        as: "alice",
        input: { CiphertextBlob: { ref: "ciphertext", index: -1 }, EncryptionContext: { ref: "context", index: -1 } },
      },
      {
        call: "ReEncrypt",
        as: "alice",
        input: {
          CiphertextBlob: { ref: "ciphertext", index: -1 },
          SourceEncryptionContext: { ref: "context", index: -1 },
          DestinationKeyId: { ref: "key", index: -1 },
          DestinationEncryptionContext: { purpose: "test" },
        },
      },
      { call: "Encrypt", as: "app", input: { KeyId: "alias/payments", Plaintext: "AAECAwQ=", EncryptionContext: { purpose: "test" } } },
      {
        call: "Decrypt",
        as: "app",
        input: {
          CiphertextBlob: { ref: "ciphertext", index: -1 },
          EncryptionContext: { ref: "context", index: -1 },
          KeyId: "alias/payments",
        },
      },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      // Another algorithm: denied to app by its condition; alice's allow lets the call on, to InvalidKeyUsageException.
      { call: "Encrypt", as: "app", input: { KeyId: "alias/payments", Plaintext: "AAECAwQ=", EncryptionAlgorithm: "SM2PKE" } },
      {
        call: "Encrypt",
        as: "alice",
        input: {
          KeyId: { ref: "key", index: -1 },
          Plaintext: "AAECAwQ=",
          EncryptionContext: { purpose: "test" },
          EncryptionAlgorithm: "RSAES_OAEP_SHA_256",
        },
      },
      { call: "DescribeKey", as: "app", input: { KeyId: "alias/payments" } },
      { call: "DescribeKey", as: "alice", input: { KeyId: { ref: "key", index: -1 } } },
      { call: "TagResource", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Tags: [{ TagKey: "team", TagValue: "blue" }] } },
      {
        call: "TagResource",
        as: "alice",
        input: { KeyId: { ref: "key", index: -1 }, Tags: [{ TagKey: "cost-center", TagValue: "blue" }] },
      },
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index: -1 }, PendingWindowInDays: 7 } },
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index: -1 }, PendingWindowInDays: 30 } },
      // A time-bound identity policy, before and after its hour comes (§9.6.1 Date operators on aws:CurrentTime).
      {
        call: "iam:PutUserPolicy",
        as: "admin",
        input: {
          UserName: "alice",
          PolicyName: "Later",
          PolicyDocument: doc({
            Effect: "Allow",
            Action: "kms:ListKeys",
            Resource: "*",
            Condition: { DateGreaterThan: { "aws:CurrentTime": later } },
          }),
        },
      },
      { call: "ListKeys", as: "alice", input: {} },
      { advance: 3_600_000 },
      { call: "ListKeys", as: "alice", input: {} },
    ],
    7,
  );
}
