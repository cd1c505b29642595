// The condition-presence story (spec §9.6.1): a key policy whose conditions read keys a request may or may
// not carry — IfExists, ForAllValues and ForAnyValue over the context's keys, Null, IgnoreCase over a
// principal tag, Bool, ArnLike, a resource tag, a numeric deletion window — then alice's calls with each
// key present and absent. Its own file because its policy alone is as long as the other stories' steps.
import type fc from "fast-check";
import type { Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import type { Scenario } from "./scenario.ts";
import { call, doc, key, last, PLAIN, principalArn, rootStatement, someKey } from "./story-parts.ts";

export function conditionPresence(scenario: Scenario): fc.Arbitrary<Step[]> {
  const root = rootStatement(scenario);
  const alice = (Sid: string, Action: string | string[], Condition?: object, Effect = "Allow") => ({
    Sid,
    Effect,
    Principal: { AWS: principalArn(scenario, "alice") },
    Action,
    Resource: "*",
    ...(Condition !== undefined ? { Condition } : {}),
  });
  return someKey.chain((k) =>
    droppable(
      [
        call("PutKeyPolicy", "admin", {
          KeyId: key(k),
          Policy: doc(
            root,
            alice("Team if given", "kms:Encrypt", { StringEqualsIfExists: { "kms:EncryptionContext:team": "blue" } }),
            alice("Only known keys", "kms:Decrypt", {
              "ForAllValues:StringEquals": { "kms:EncryptionContextKeys": ["purpose", "team"] },
            }),
            alice("Some context", "kms:GenerateDataKey", { Null: { "kms:EncryptionContextKeys": "false" } }),
            alice("Team red in any case", "kms:ListResourceTags", { StringEqualsIgnoreCase: { "aws:PrincipalTag/team": "RED" } }),
            alice("Not for grants", "kms:GenerateDataKeyWithoutPlaintext", { Bool: { "kms:GrantIsForAWSResource": "false" } }),
            {
              Sid: "Partner's alice",
              Effect: "Allow",
              Principal: "*",
              Action: "kms:DescribeKey",
              Resource: "*",
              Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${scenario.world.partnerAccount}:user/alice` } },
            },
            alice("Not a partner's key", "kms:GetKeyPolicy", { StringNotEquals: { "aws:ResourceTag/owner": "partner" } }),
            alice("Purpose-like keys", "kms:ReEncrypt*", { "ForAnyValue:StringLike": { "kms:EncryptionContextKeys": "purp*" } }),
            alice("Deletion", ["kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"]),
            alice(
              "Two weeks at least",
              "kms:ScheduleKeyDeletion",
              { NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": 14 } },
              "Deny",
            ),
          ),
        }),
        call("Encrypt", "alice", { KeyId: key(k), Plaintext: PLAIN }),
        call("Encrypt", "alice", { KeyId: key(k), Plaintext: PLAIN, EncryptionContext: { team: "red" } }),
        call("Encrypt", "alice", { KeyId: key(k), Plaintext: PLAIN, EncryptionContext: { purpose: "test", team: "blue" } }),
        call("Decrypt", "alice", { CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") }),
        call("Decrypt", "alice", { CiphertextBlob: last("ciphertext"), EncryptionContext: { ref: "context", index: -1, vary: "add" } }),
        call("ReEncrypt", "alice", {
          CiphertextBlob: last("ciphertext"),
          SourceEncryptionContext: last("context"),
          DestinationKeyId: key(k),
          DestinationEncryptionContext: { purpose: "test" },
        }),
        call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN }),
        call("Decrypt", "alice", { CiphertextBlob: last("ciphertext") }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32 }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32, EncryptionContext: { purpose: "test" } }),
        call("GenerateDataKeyWithoutPlaintext", "alice", { KeyId: key(k), KeySpec: "AES_256" }),
        call("DescribeKey", "alice", { KeyId: key(k) }),
        call("GetKeyPolicy", "alice", { KeyId: key(k), PolicyName: "default" }),
        call("ListResourceTags", "alice", { KeyId: key(k) }),
        call("ScheduleKeyDeletion", "alice", { KeyId: key(k), PendingWindowInDays: 14 }),
        call("CancelKeyDeletion", "alice", { KeyId: key(k) }),
        call("ScheduleKeyDeletion", "alice", { KeyId: key(k), PendingWindowInDays: 7 }),
        call("EnableKey", "admin", { KeyId: key(k) }),
      ],
      7,
    ),
  );
}
