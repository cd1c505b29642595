// The pieces the operations' input generators share for one scenario: references to things made
// earlier, the world's names (stores, aliases, tags, passwords, principals, policies) with a few
// wrong ones mixed in so that validation and not-found paths are reached too.
import fc from "fast-check";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { identityPolicies, keyPolicies } from "../policies.ts";
import type { Scenario } from "../scenario.ts";
import type { RefKind } from "./refs.ts";

export type Inputs = ReturnType<typeof inputsFor>;

/** `count` principal tags of distinct keys (k1, k2, …), as IAM's TagRole and TagUser take them. */
const manyTags = (count: number): Json => Array.from({ length: count }, (_, i) => ({ Key: `k${i + 1}`, Value: "" }));

/** A reference to the (n mod count)-th thing of `kind` made so far (harness/resolve.ts). */
export const ref = (kind: RefKind) => fc.nat({ max: 30 }).map((index): Json => ({ ref: kind, index }));

export function inputsFor(scenario: Scenario) {
  const { cluster, principals, account, region } = scenario.world;
  // Keys by id or ARN, and now and then by alias name or alias ARN — which only crypto and
  // DescribeKey accept (§6.3); elsewhere they must come back NotFoundException.
  const aliasNames = ["alias/payments", "alias/logs"];
  // …and now and then by an ARN that names neither a key nor an alias: InvalidArnException (§16).
  const notKeyArn = `arn:aws:kms:${region}:${account}:keystore/1234abcd`;
  // A key ARN of another Region: NotFoundException, "Invalid arn <region>" (LocalStack's recorded
  // test_get_key_in_different_region; model/key-lookup.ts).
  const otherRegionKeyArn = `arn:aws:kms:${region === "eu-west-1" ? "us-east-1" : "eu-west-1"}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const byAlias = fc.constantFrom(...aliasNames, `arn:aws:kms:${region}:${account}:alias/payments`);
  // The world's roles and users by name (one that does not exist, one of another account, the SLR).
  const principalNames = (kind: string, mine: boolean) =>
    Object.values(principals)
      .map((p) => p.arn)
      .filter((a) => a.includes(`:${kind}/`) && a.includes(`::${account}:`) === mine)
      .map((a) => a.slice(a.lastIndexOf("/") + 1));
  const entityNames = (kind: string, ...missing: string[]): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...principalNames(kind, true)) },
      { weight: 1, arbitrary: fc.constantFrom(...principalNames(kind, false), ...missing) },
    );
  const contextChoices: (JsonObject | undefined)[] = [
    undefined,
    { purpose: "test" },
    { purpose: "test", team: "blue" },
    { Purpose: "test" },
  ];
  const tagKey = fc.constantFrom("team", "env", "cost-center", "aws:reserved");
  const symmetricAlgorithm = fc.oneof(
    { weight: 56, arbitrary: fc.constant<string | undefined>(undefined) },
    { weight: 40, arbitrary: fc.constant<string | undefined>("SYMMETRIC_DEFAULT") },
    { weight: 1, arbitrary: fc.constantFrom<string | undefined>("AES_GCM", "symmetric_default") },
  );
  const asymmetricAlgorithm = fc.constantFrom<string | undefined>("RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE");
  const otherClusterIds = [...scenario.world.otherClusters.map((c) => c.clusterId), ...scenario.world.uninitializedClusterIds];
  return {
    scenario,
    base64: fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString("base64")),
    contexts: fc.constantFrom(...contextChoices),
    storeNames: fc.constantFrom("store-a", "store-b", "store-c"),
    storeRef: ref("store"),
    aliasName: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...aliasNames) },
      { weight: 1, arbitrary: fc.constantFrom("alias/aws/s3", "payments", "alias/bad name") },
    ),
    // An ARN of the right service that names no key: InvalidArnException where a key ARN is expected.
    notKeyArn: fc.constant(notKeyArn),
    // The malformed ARN or another Region's key ARN 1 in 19: often enough that operations called a few
    // hundred times a campaign meet them.
    keyRef: fc.oneof(
      { weight: 8, arbitrary: ref("key") },
      { weight: 8, arbitrary: ref("keyArn") },
      { weight: 2, arbitrary: byAlias },
      { weight: 1, arbitrary: fc.constantFrom<Json>(notKeyArn, otherRegionKeyArn) },
    ),
    // Mostly the world's own cluster (index 0), sometimes one made since.
    clusterRef: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Json>({ ref: "cluster", index: 0 }) },
      { weight: 2, arbitrary: ref("cluster") },
    ),
    // A store's new cluster (UpdateCustomKeyStore): mostly one of the run's; now and then a world cluster
    // of another lineage or an uninitialized one (CloudHsmClusterNotRelatedException, §3.4).
    storeClusterRef: fc.oneof(
      { weight: 3, arbitrary: fc.constant<Json>({ ref: "cluster", index: 0 }) },
      { weight: 2, arbitrary: ref("cluster") },
      ...(otherClusterIds.length > 0 ? [{ weight: 1, arbitrary: fc.constantFrom<Json>(...otherClusterIds) }] : []),
    ),
    zones: [...new Set(cluster.hsms.map((h) => h.availabilityZone))],
    kmsuser: fc.constant("kmsuser"),
    // A few tag keys (one reserved), so tags collide, overwrite and get removed.
    tagKey,
    tag: fc.record({ TagKey: tagKey, TagValue: fc.constantFrom("", "blue", "prod") }),
    // kmsuser's first password, an operator's new one, and a wrong one.
    passwords: fc.constantFrom(cluster.kmsuserPassword, "operatorPass77", "wrongPassword9"),
    // Now and then a name of no role or user at IAM's bounds: the longest well formed (RoleName 64
    // characters, UserName 128, IAM's existingUserNameType), one longer, one with a space (ValidationError).
    roleName: fc.oneof(
      { weight: 9, arbitrary: entityNames("role", "Nobody", "AWSServiceRoleForKeyManagementServiceCustomKeyStores") },
      { weight: 1, arbitrary: fc.constantFrom("R".repeat(64), "R".repeat(65), "No body") },
    ),
    userName: fc.oneof(
      { weight: 9, arbitrary: entityNames("user", "bob") },
      { weight: 1, arbitrary: fc.constantFrom("U".repeat(128), "U".repeat(129), "bo b") },
    ),
    // Rarely a PolicyName IAM refuses: 129 characters, or a space.
    inlineName: fc.oneof(
      { weight: 24, arbitrary: fc.constantFrom("KmsUse", "KmsUse", "Extra", "AdminAccess") },
      { weight: 1, arbitrary: fc.constantFrom("P".repeat(129), "Kms Use") },
    ),
    // Principal tags for ABAC (aws:PrincipalTag/*): team is what the policy templates test; aws: is reserved.
    // Rarely a list IAM refuses (ValidationError: none, 51, a key with '#', a value with '!') or one of 50
    // (IAM's quota of tags per role or user, then crossed by the next tag: LimitExceeded).
    principalTags: fc.oneof(
      {
        weight: 24,
        arbitrary: fc.array(
          fc.record({ Key: fc.constantFrom("team", "team", "env", "aws:system"), Value: fc.constantFrom("blue", "red", "") }),
          { minLength: 1, maxLength: 2 },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Json>(
          [],
          [{ Key: "team#", Value: "blue" }],
          [{ Key: "team", Value: "blue!" }],
          manyTags(51),
          manyTags(50),
        ),
      },
    ),
    // The tag keys UntagRole and UntagUser remove; rarely one IAM refuses (ValidationError: a '#', 129 characters).
    principalTagKeys: fc.oneof(
      { weight: 24, arbitrary: fc.subarray(["team", "env"], { minLength: 1 }) },
      { weight: 1, arbitrary: fc.constantFrom<string[]>(["team#"], ["k".repeat(129)]) },
    ),
    // Now and then the latest grant token where the scenario makes grants (none made yet: a made-up
    // one, InvalidGrantTokenException); elsewhere, 1 call in 9, a token no grant ever had.
    grantTokens: ((scenario.generator.callWeights["CreateGrant"] ?? 0) > 0
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constant<Json>([{ ref: "grantToken", index: -1 }]) },
        )
      : fc.oneof(
          { weight: 8, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constant<Json>([{ ref: "grantToken", index: -1 }]) },
        )) as fc.Arbitrary<Json | undefined>,
    // EncryptionAlgorithm (spec §8.2): mostly none or SYMMETRIC_DEFAULT named, 1 call in 100 a value outside
    // the enum (ValidationException); Encrypt and Decrypt 3 in 100 an algorithm of asymmetric keys
    // (InvalidKeyUsageException on kmsim's symmetric keys) — rare enough to keep their ok-rates above 20%.
    symmetricAlgorithm,
    asymmetricAlgorithm,
    encryptionAlgorithm: fc.oneof({ weight: 97, arbitrary: symmetricAlgorithm }, { weight: 3, arbitrary: asymmetricAlgorithm }),
    // Rarely a Marker no earlier page returned (InvalidMarkerException); otherwise none.
    strayMarker: fc.oneof(
      { weight: 12, arbitrary: fc.constant<string | undefined>(undefined) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>("x", "999") },
    ),
    // Tags for CreateKey: mostly none, now and then a few, rarely one under the reserved aws: prefix (TagException).
    createTags: fc.oneof(
      { weight: 16, arbitrary: fc.constant<Json | undefined>(undefined) },
      {
        weight: 3,
        arbitrary: fc.constantFrom<Json | undefined>(
          [{ TagKey: "team", TagValue: "blue" }],
          [
            { TagKey: "env", TagValue: "prod" },
            { TagKey: "team", TagValue: "" },
          ],
        ),
      },
      { weight: 1, arbitrary: fc.constant<Json | undefined>([{ TagKey: "aws:reserved", TagValue: "blue" }]) },
    ),
    // Grantees and retiring principals: the world's principals, mostly app and alice, an account, the partner.
    grantee: fc.constantFrom(
      ...["app", "app", "alice", "alice", "partner", "admin"].map((p) => principals[p]?.arn ?? ""),
      `arn:aws:iam::${account}:root`,
    ),
    keyPolicies: () => keyPolicies(scenario),
    identityPolicies: () => identityPolicies(scenario),
  };
}
