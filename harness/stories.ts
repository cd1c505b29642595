// Deep stories for the generator (issue 12): short sequences that take calls past identification and
// validation into state, authorization and crypto, where single random steps seldom go — a context
// reused with one value changed, one key added or removed, an encryption algorithm named (§8.3, §8.1);
// grants of each constraint kind used with equal, sub- and super-set contexts, with their tokens before
// they propagate, narrowed and widened by a child grant, listed by the retiring principal, a named one
// made twice (§9.7, §12);
// key-policy conditions whose keys a request carries and does not (§9.6.1, harness/condition-stories.ts); aliases made, used and moved
// between keys of both origins, and gone with their key (§6); ReEncrypt between key kinds and states;
// deletions scheduled and cancelled (§5.4); tags overwritten and removed (§7); a key used while a
// returning HSM still lacks it (§4). Each step is droppable (harness/macros.ts), so a repro keeps only
// what it needs.
import fc from "fast-check";
import type { JsonObject, Step } from "../protocol/step.ts";
import { conditionPresence } from "./condition-stories.ts";
import { droppable } from "./droppable.ts";
import type { Scenario, StoryName } from "./scenario.ts";
import { call, doc, key, keyArn, last, PLAIN, principalArn, rootStatement, someKey } from "./story-parts.ts";

/** Seven days, the shortest deletion waiting period, in ms. */
const WEEK_MS = 7 * 86_400_000;

export function stories(scenario: Scenario): Record<StoryName, fc.Arbitrary<Step[]>> {
  const { cluster } = scenario.world;
  const arn = (p: string) => principalArn(scenario, p);
  const root = rootStatement(scenario);
  const withToken = (input: JsonObject): JsonObject => ({ ...input, GrantTokens: [last("grantToken")] });
  const firstHsm = [...cluster.hsms].map((h) => h.hsmId).sort()[0]!;
  // The latest ciphertext with its context, as Decrypt and as ReEncrypt take them; both algorithms named.
  const opened = { CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") };
  const reopened = { CiphertextBlob: last("ciphertext"), SourceEncryptionContext: last("context") };
  const symmetric = { SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT", DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
  const propagation = scenario.timing.grantPropagationMsMax + 1;
  // Where the scenario puts key policies at all, context-variants ends with one that lets app decrypt only with a
  // context (§9.6.1 Null, "false": the key must be present), tried both ways.
  const putsPolicies = (scenario.generator.callWeights["PutKeyPolicy"] ?? 0) > 0;
  const onlyWithContext = (k: number, context: JsonObject): Step[] => [
    call("PutKeyPolicy", "admin", {
      KeyId: key(k),
      Policy: doc(root, {
        Sid: "App decrypts only with a context",
        Effect: "Allow",
        Principal: { AWS: arn("app") },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { Null: { "kms:EncryptionContextKeys": "false" } },
      }),
    }),
    call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN, EncryptionContext: context }),
    call("Decrypt", "app", opened),
    call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN }),
    call("Decrypt", "app", { CiphertextBlob: last("ciphertext") }),
  ];

  return {
    "context-variants": fc
      .tuple(someKey, fc.constantFrom<JsonObject>({ purpose: "test" }, { purpose: "test", team: "blue" }))
      .chain(([k, context]) =>
        droppable([
          call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN, EncryptionContext: context }),
          call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), EncryptionContext: { ref: "context", index: -1, vary: "value" } }),
          call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), EncryptionContext: { ref: "context", index: -1, vary: "add" } }),
          call("Decrypt", "admin", {
            CiphertextBlob: last("ciphertext"),
            EncryptionContext: { ref: "context", index: -1, vary: "remove" },
          }),
          call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") }),
          call("GenerateDataKey", "admin", { KeyId: key(k), KeySpec: "AES_128", EncryptionContext: context }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: last("ciphertext"),
            SourceEncryptionContext: { ref: "context", index: -1, vary: "value" },
            DestinationKeyId: key(k),
          }),
          call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") }),
          // The encryption algorithm named wrongly, then rightly (§8.1 step 3): a symmetric key's is SYMMETRIC_DEFAULT.
          call("Encrypt", "admin", {
            KeyId: key(k),
            Plaintext: PLAIN,
            EncryptionContext: context,
            EncryptionAlgorithm: "RSAES_OAEP_SHA_1",
          }),
          call("Decrypt", "admin", { ...opened, EncryptionAlgorithm: "RSAES_OAEP_SHA_256" }),
          call("ReEncrypt", "admin", { ...reopened, DestinationKeyId: key(k), DestinationEncryptionAlgorithm: "SM2PKE" }),
          call("ReEncrypt", "admin", { ...reopened, DestinationKeyId: key(k), ...symmetric }),
          call("Decrypt", "admin", { ...opened, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
          ...(putsPolicies ? onlyWithContext(k, context) : []),
        ]),
      ),
    "grant-constraints": fc.tuple(someKey, fc.constantFrom("EncryptionContextEquals", "EncryptionContextSubset")).chain(([k, kind]) => {
      const named = { KeyId: keyArn(k), GranteePrincipal: arn("partner"), Operations: ["DescribeKey"], Name: "retried" };
      return droppable(
        [
          call("CreateGrant", "admin", {
            KeyId: keyArn(k),
            GranteePrincipal: arn("alice"),
            RetiringPrincipal: arn("app"),
            Operations: ["Encrypt", "Decrypt", "GenerateDataKey", "ReEncryptFrom", "ReEncryptTo", "CreateGrant", "DescribeKey"],
            Constraints: { [kind]: { purpose: "test" } },
          }),
          call("Encrypt", "alice", withToken({ KeyId: keyArn(k), Plaintext: PLAIN, EncryptionContext: { purpose: "test" } })),
          call("Encrypt", "alice", withToken({ KeyId: keyArn(k), Plaintext: PLAIN, EncryptionContext: { purpose: "test", team: "blue" } })),
          call("Encrypt", "alice", withToken({ KeyId: keyArn(k), Plaintext: PLAIN })),
          call("Decrypt", "alice", withToken({ CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") })),
          call("ListRetirableGrants", "admin", { RetiringPrincipal: arn("app") }),
          call("CreateGrant", "alice", withToken({ KeyId: keyArn(k), GranteePrincipal: arn("partner"), Operations: ["Encrypt"] })),
          call(
            "CreateGrant",
            "alice",
            withToken({
              KeyId: keyArn(k),
              GranteePrincipal: arn("partner"),
              Operations: ["Encrypt"],
              Constraints: { [kind]: { purpose: "test" } },
            }),
          ),
          { advance: propagation },
          call("GenerateDataKey", "alice", { KeyId: keyArn(k), KeySpec: "AES_256", EncryptionContext: { purpose: "test", team: "blue" } }),
          call("Decrypt", "alice", { CiphertextBlob: last("ciphertext"), EncryptionContext: last("context") }),
          call("ListGrants", "admin", { KeyId: keyArn(k) }),
          call("RetireGrant", "app", { GrantToken: last("grantToken") }),
          // A named grant made again with every property the same is the same grant (§9.7), not one more.
          call("CreateGrant", "admin", named),
          call("CreateGrant", "admin", named),
          call("ListGrants", "admin", { KeyId: keyArn(k) }),
        ],
        7,
      );
    }),
    "condition-presence": conditionPresence(scenario),
    "alias-moves": fc
      .tuple(someKey, someKey, fc.constantFrom("alias/payments", "alias/logs"))
      .chain(([from, to, AliasName]) =>
        droppable(
          [
            call("CreateAlias", "admin", { AliasName, TargetKeyId: key(from) }),
            call("Encrypt", "app", { KeyId: AliasName, Plaintext: PLAIN }),
            call("DescribeKey", "admin", { KeyId: AliasName }),
            call("UpdateAlias", "admin", { AliasName, TargetKeyId: key(to) }),
            call("Encrypt", "admin", { KeyId: AliasName, Plaintext: PLAIN }),
            call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), KeyId: AliasName }),
            call("ListAliases", "admin", { KeyId: key(to) }),
            call("ListAliases", "admin", {}),
            call("DeleteAlias", "admin", { AliasName }),
            call("DescribeKey", "admin", { KeyId: AliasName }),
          ],
          7,
        ),
      ),
    "reencrypt-pairs": fc.tuple(someKey, someKey).chain(([from, to]) =>
      droppable(
        [
          call("Encrypt", "admin", { KeyId: key(from), Plaintext: PLAIN, EncryptionContext: { purpose: "test" } }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: last("ciphertext"),
            SourceEncryptionContext: last("context"),
            DestinationKeyId: key(to),
          }),
          call("Decrypt", "admin", { CiphertextBlob: last("ciphertext"), KeyId: key(to) }),
          call("DisableKey", "admin", { KeyId: key(to) }),
          call("ReEncrypt", "admin", { CiphertextBlob: last("ciphertext"), DestinationKeyId: key(from) }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: { ref: "ciphertext", index: -2 },
            SourceEncryptionContext: { purpose: "test" },
            DestinationKeyId: key(to),
          }),
          call("ScheduleKeyDeletion", "admin", { KeyId: key(to), PendingWindowInDays: 7 }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: { ref: "ciphertext", index: -2 },
            SourceEncryptionContext: { purpose: "test" },
            DestinationKeyId: key(to),
          }),
          call("CancelKeyDeletion", "admin", { KeyId: key(to) }),
          call("EnableKey", "admin", { KeyId: key(to) }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: last("ciphertext"),
            DestinationKeyId: key(from),
            DestinationEncryptionContext: { purpose: "test" },
          }),
        ],
        7,
      ),
    ),
    "cancel-deletion": someKey.chain((k) =>
      droppable(
        [
          call("ScheduleKeyDeletion", "admin", { KeyId: key(k), PendingWindowInDays: 7 }),
          call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN }),
          call("EnableKey", "admin", { KeyId: key(k) }),
          call("CreateAlias", "admin", { AliasName: "alias/logs", TargetKeyId: key(k) }),
          call("CancelKeyDeletion", "admin", { KeyId: key(k) }),
          call("DescribeKey", "admin", { KeyId: key(k) }),
          call("CancelKeyDeletion", "admin", { KeyId: key(k) }),
          call("EnableKey", "admin", { KeyId: key(k) }),
          call("Encrypt", "admin", { KeyId: key(k), Plaintext: PLAIN }),
        ],
        7,
      ),
    ),
    // An alias goes with its key when the waiting period ends (§6.1).
    "alias-of-deleted-key": fc
      .tuple(someKey, fc.constantFrom("alias/payments", "alias/logs"))
      .chain(([k, AliasName]) =>
        droppable(
          [
            call("CreateAlias", "admin", { AliasName, TargetKeyId: key(k) }),
            call("ScheduleKeyDeletion", "admin", { KeyId: key(k), PendingWindowInDays: 7 }),
            { advance: WEEK_MS + 60_000 },
            call("ListAliases", "admin", {}),
            call("DescribeKey", "admin", { KeyId: AliasName }),
          ],
          7,
        ),
      ),
    "tag-churn": someKey.chain((k) =>
      droppable(
        [
          call("TagResource", "admin", {
            KeyId: key(k),
            Tags: [
              { TagKey: "team", TagValue: "blue" },
              { TagKey: "env", TagValue: "prod" },
            ],
          }),
          call("TagResource", "admin", { KeyId: key(k), Tags: [{ TagKey: "team", TagValue: "red" }] }),
          call("ListResourceTags", "admin", { KeyId: key(k) }),
          call("UntagResource", "admin", { KeyId: key(k), TagKeys: ["team"] }),
          call("ListResourceTags", "admin", { KeyId: key(k) }),
        ],
        7,
      ),
    ),
    // A key made while the first HSM cannot hear the KMS (or cannot answer it: a second object under
    // the key's label), used at once from the HSM that lacks it, then from the other one alone.
    "catch-up": fc
      .constantFrom("to-hsm", "from-hsm")
      .chain((direction) =>
        droppable(
          [
            { fault: "partition", hsm: firstHsm, direction } as Step,
            call("CreateKey", "admin", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: { ref: "store", index: 0 } }),
            { fault: "heal", hsm: firstHsm },
            call("Encrypt", "admin", { KeyId: last("key"), Plaintext: PLAIN }),
            { advance: scenario.timing.replicationDelayMs + 1 },
            { fault: "hsm-crash", hsm: firstHsm },
            call("Decrypt", "admin", { CiphertextBlob: last("ciphertext") }),
            { fault: "hsm-restore", hsm: firstHsm },
          ],
          7,
        ),
      ),
  };
}
