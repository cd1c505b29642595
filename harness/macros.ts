// Operator sequences for the generator: the multi-step stories random steps seldom string together,
// each reaching a corner of the spec. Each step of a sequence is droppable, shrinking towards dropped,
// so a repro keeps only the steps it needs. Weighted per scenario (`generator.macroWeights`).
import fc from "fast-check";
import { isoTime } from "../sim/iam/request-context.ts";
import type { MacroName, Scenario } from "./scenario.ts";
import type { Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { stories } from "./stories.ts";

export { droppable } from "./droppable.ts";

/** Seven days, the shortest deletion waiting period, in ms. */
const WEEK_MS = 7 * 86_400_000;

/**
 * Operator sequences that random steps seldom string together, each reaching a corner (spec §3.3,
 * §4, §11.2): locking kmsuser out; losing a store's cluster; the documented kmsuser password rotation;
 * restoring the cluster from a backup and moving the store onto it; a burst of crypto on one key;
 * deleting a key (its waiting period is days of virtual time); orphaning a key's material by
 * deleting it while its store is disconnected (§4); a CreateKey whose first GenerateKey reply is lost,
 * so a second HSM makes the key too and two objects share its label (§4), then crypto on the HSM that
 * holds only the object the KMS did not keep; an explicit deny laid over allows, in an identity
 * policy and in a key policy, and then the calls it denies (§9.2 step 3); a grant used before it has
 * propagated, with and without its token, and after it is retired (§9.7, §12); ABAC — a key policy on
 * aws:PrincipalTag and an identity policy on aws:ResourceTag, used before and after the tags change
 * (§9.6, §9.8); a key policy whose conditions read the request — encryption context, alias used,
 * deletion window, re-encryption on the same key — met and missed in turn (§9.6); grants made on one
 * key until its quota refuses one, then one revoked to make room (§11.1).
 */
export function macros(scenario: Scenario): Record<MacroName, fc.Arbitrary<Step[]>> {
  const { cluster } = scenario.world;
  const { connectDelayMs, connectExchangeMs, disconnectDelayMs } = scenario.timing;
  const ClusterId = cluster.clusterId;
  const store = { ref: "store", index: 0 };
  const zones = [...new Set(cluster.hsms.map((h) => h.availabilityZone))];
  const firstHsm = [...cluster.hsms].map((h) => h.hsmId).sort()[0]!;
  const { account, principals } = scenario.world;
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  const rootStatement = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
  const alice = principals["alice"]?.arn ?? `arn:aws:iam::${account}:root`;
  const app = principals["app"]?.arn ?? alice;
  // Half an hour into the run: most runs reach it only through the hour the conditions story waits.
  const later = isoTime(scenario.world.epochMs + 1_800_000);
  const login = (Password: string): Step => ({ call: "hsm:Login", as: "admin", input: { ClusterId, Username: "kmsuser", Password } });
  const connect: Step[] = [
    { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: connectDelayMs + connectExchangeMs + 1 },
  ];
  const disconnect: Step[] = [
    { call: "DisconnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: disconnectDelayMs + 1 },
  ];
  return {
    ...stories(scenario),
    lockout: droppable([...disconnect, ...Array.from({ length: 5 }, () => login("wrongPassword9")), ...connect], 15),
    "lose-cluster": droppable([
      ...disconnect,
      ...cluster.hsms.map((h): Step => ({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: h.hsmId } })),
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId } },
      ...connect,
    ]),
    "rotate-password": droppable([
      ...disconnect,
      { call: "hsm:ChangePassword", as: "admin", input: { ClusterId, Username: "kmsuser", NewPassword: "operatorPass77" } },
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, KeyStorePassword: "operatorPass77" } },
      ...connect,
    ]),
    "restore-cluster": droppable([
      { call: "hsm:CreateBackup", as: "admin", input: { ClusterId } },
      { call: "cloudhsmv2:CreateCluster", as: "admin", input: { SourceBackupId: { ref: "backup", index: -1 } } },
      ...zones.map((AvailabilityZone): Step => ({
        call: "cloudhsmv2:CreateHsm",
        as: "admin",
        input: { ClusterId: { ref: "cluster", index: -1 }, AvailabilityZone },
      })),
      ...disconnect,
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, CloudHsmClusterId: { ref: "cluster", index: -1 } } },
      ...connect,
    ]),
    burst: droppable(
      Array.from({ length: 10 }, (): Step => ({
        call: "Encrypt",
        as: "admin",
        input: { KeyId: { ref: "key", index: 0 }, Plaintext: "AAECAwQ=" },
      })),
    ),
    "delete-key": fc
      .nat({ max: 30 })
      .chain((index) =>
        droppable([
          { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index }, PendingWindowInDays: 7 } },
          { advance: WEEK_MS + 60_000 },
          { call: "DescribeKey", as: "admin", input: { KeyId: { ref: "key", index } } },
        ]),
      ),
    orphan: droppable([
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index: 0 }, PendingWindowInDays: 7 } },
      ...disconnect,
      { advance: WEEK_MS + 60_000 },
      ...connect,
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} },
    ]),
    "lost-reply": droppable(
      [
        ...connect,
        { fault: "partition", hsm: firstHsm, direction: "from-hsm" },
        { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store } },
        { fault: "heal", hsm: firstHsm },
        { call: "Encrypt", as: "admin", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
        { fault: "partition", hsm: firstHsm, direction: "both" },
        { call: "Decrypt", as: "admin", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
        { fault: "heal", hsm: firstHsm },
      ],
      15,
    ),
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
    conditions: droppable(
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
        { call: "DescribeKey", as: "app", input: { KeyId: { ref: "key", index: -1 } } },
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
    ),
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
      {
        call: "PutKeyPolicy",
        as: "admin",
        input: {
          KeyId: { ref: "key", index: -1 },
          Policy: doc(
            rootStatement,
            { Effect: "Allow", Principal: { AWS: alice }, Action: "kms:*", Resource: "*" },
            { Effect: "Deny", Principal: { AWS: alice }, Action: "kms:Encrypt", Resource: "*" },
          ),
        },
      },
      { call: "Encrypt", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      { call: "iam:DeleteRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "Overlay" } },
    ]),
  };
}
