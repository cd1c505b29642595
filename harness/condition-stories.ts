// The condition-presence story (spec §9.6.1): a key policy whose conditions read keys a request may or may
// not carry — IfExists, ForAllValues and ForAnyValue (a negated one too) over the context's keys, Null,
// IgnoreCase over a principal tag, Bool, ArnLike, a resource tag, the alias a ReEncrypt names its source
// by (by name and by ARN), the constraint a grant is made with (either kind, or none), a deletion window
// under any of the six Numeric operators (with windows one day below, at and above its value), the time
// under any of the six Date operators and as aws:EpochTime's seconds — then alice's calls with each key
// present and absent. Its own file because its policy alone is as long as the other stories' steps.
import fc from "fast-check";
import type { Step } from "../protocol/step.ts";
import { isoTime } from "../sim/iam/request-context.ts";
import { droppable } from "./droppable.ts";
import type { Scenario } from "./scenario.ts";
import { call, doc, key, last, PLAIN, principalArn, rootStatement, someKey } from "./story-parts.ts";

/** The six comparisons the Numeric and Date operators both come in (NumericLessThan, DateLessThan, …). */
const COMPARISONS = ["Equals", "NotEquals", "LessThan", "LessThanEquals", "GreaterThan", "GreaterThanEquals"] as const;

/**
 * The deletion windows the numeric statement is drawn at: one day inside the 7-30 days a window may be
 * (§5.4), so the calls one day below and above it are windows too.
 */
const WINDOW_DAYS = { min: 8, max: 29 } as const;

/**
 * Where the Date statement's time is drawn, after virtual time zero: the first second (aws:CurrentTime is
 * read to the second, so a call then is equal to it), 45 seconds in, a day in.
 */
const DATE_OFFSETS_MS = [0, 45_000, 86_400_000] as const;

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
  const story = fc.record({
    k: someKey,
    numeric: fc.constantFrom(...COMPARISONS),
    days: fc.integer(WINDOW_DAYS),
    date: fc.constantFrom(...COMPARISONS),
    dateOffsetMs: fc.constantFrom(...DATE_OFFSETS_MS),
  });
  return story.chain(({ k, numeric, days, date, dateOffsetMs }) => {
    const drawnMs = scenario.world.epochMs + dateOffsetMs; // the Date and epoch statements' instant
    return droppable(
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
              "Deletion windows by number",
              "kms:ScheduleKeyDeletion",
              { [`Numeric${numeric}`]: { "kms:ScheduleKeyDeletionPendingWindowInDays": days } },
              "Deny",
            ),
            alice("Describing by the time", "kms:DescribeKey", { [`Date${date}`]: { "aws:CurrentTime": isoTime(drawnMs) } }, "Deny"),
            alice(
              "Listing tags by the epoch",
              "kms:ListResourceTags",
              { NumericGreaterThanEquals: { "aws:EpochTime": Math.floor(drawnMs / 1000) } },
              "Deny",
            ),
            alice("Not from the payments alias", "kms:ReEncryptFrom", { StringEquals: { "kms:RequestAlias": "alias/payments" } }, "Deny"),
            alice("Grants bound to a context's subset", "kms:CreateGrant", {
              StringEquals: { "kms:GrantConstraintType": "EncryptionContextSubset" },
            }),
            alice(
              "Not only the team's",
              "kms:GenerateDataKey",
              { "ForAnyValue:StringNotEquals": { "kms:EncryptionContextKeys": "team" } },
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
        call("CreateAlias", "admin", { AliasName: "alias/payments", TargetKeyId: key(k) }),
        // The source named by the alias, by its name and by its ARN (kms:RequestAlias is the name either way).
        ...["alias/payments", `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:alias/payments`].map((SourceKeyId) =>
          call("ReEncrypt", "alice", {
            CiphertextBlob: last("ciphertext"),
            SourceEncryptionContext: last("context"),
            SourceKeyId,
            DestinationKeyId: key(k),
          }),
        ),
        call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN }),
        call("Decrypt", "alice", { CiphertextBlob: last("ciphertext") }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32 }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32, EncryptionContext: { purpose: "test" } }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32, EncryptionContext: { team: "blue" } }),
        call("GenerateDataKey", "alice", { KeyId: key(k), NumberOfBytes: 32, EncryptionContext: { purpose: "test", team: "blue" } }),
        call("GenerateDataKeyWithoutPlaintext", "alice", { KeyId: key(k), KeySpec: "AES_256" }),
        call("DescribeKey", "alice", { KeyId: key(k) }),
        call("GetKeyPolicy", "alice", { KeyId: key(k), PolicyName: "default" }),
        call("ListResourceTags", "alice", { KeyId: key(k) }),
        ...["EncryptionContextSubset", "EncryptionContextEquals", undefined].map((constraint) =>
          call("CreateGrant", "alice", {
            KeyId: key(k),
            GranteePrincipal: principalArn(scenario, "partner"),
            Operations: ["Decrypt"],
            ...(constraint === undefined ? {} : { Constraints: { [constraint]: { purpose: "test" } } }),
          }),
        ),
        call("ScheduleKeyDeletion", "alice", { KeyId: key(k), PendingWindowInDays: days }),
        call("CancelKeyDeletion", "alice", { KeyId: key(k) }),
        call("ScheduleKeyDeletion", "alice", { KeyId: key(k), PendingWindowInDays: days + 1 }),
        call("CancelKeyDeletion", "alice", { KeyId: key(k) }),
        call("ScheduleKeyDeletion", "alice", { KeyId: key(k), PendingWindowInDays: days - 1 }),
        call("EnableKey", "admin", { KeyId: key(k) }),
      ],
      7,
    );
  });
}
