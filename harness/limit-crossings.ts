// Calls past a documented quota (issue 12: every generated operation fails with each of its documented
// errors): 50 tags on a key (§7) or on an IAM principal, 50 aliases on a key (§6), a key policy over
// 32 KB (§9.3), an IAM principal's inline policies over 10,240 characters (one alone, two together
// where one replacing itself still fits, one a character past it), and a scenario's grants per key and
// custom key stores per account where it sets those quotas low (§11.1). Random steps never cross them (a
// few tag keys, two alias names, policies of templates), so the generator now and then makes the
// sequence that does, as admin, and cleans up after it where it can. The quotas are both sides' own;
// these only reach them.
import fc from "fast-check";
import type { Json, JsonObject, Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { ref } from "./operations/inputs.ts";
import type { Scenario } from "./scenario.ts";

/** Tags a key or an IAM principal may carry (spec §7; IAM's quota is the same), and aliases a key may have (§6). */
export const TAGS_PER_RESOURCE_MAX = 50;
export const ALIASES_PER_KEY_MAX = 50;
/** A key policy's size limit in bytes (§9.3). */
export const KEY_POLICY_BYTES_MAX = 32_768;
/** The characters an IAM principal's inline policies may hold together (IAM's quota, as kmsim models it). */
export const INLINE_POLICY_CHARS_MAX = 10_240;

/** A scenario's grants-per-key quota (quotas.grantsPerKey) is crossed only where it is this small or smaller. */
export const GRANT_QUOTA_CROSSED_MAX = 10;
/** A scenario's custom-key-stores quota (quotas.customKeyStoresPerAccount) is crossed only where it is this small or smaller. */
export const STORE_QUOTA_CROSSED_MAX = 5;
/** A plain draw of an operation with a crossing is replaced by it once in CROSSING_ODDS + 1 (or its own odds below). */
export const CROSSING_ODDS = 12;
/**
 * Operations whose crossing comes more often: a key's 50 tags met in about 1 `keys` or `default` seed
 * in 75 at the common odds (half of TagResource's draws are made in a prepared state instead), and a
 * planted tag-quota bug took 80–240 seeds to show.
 */
export const CROSSING_ODDS_OF: Readonly<Record<string, number>> = { TagResource: 3 };
/** A seed whose swarm makes aliases opens with the alias quota crossed once in ALIAS_OPENING_ODDS + 1. */
export const ALIAS_OPENING_ODDS = 40;
/** Odds a crossing's step is kept (in odds + 1), as for the preconditioned sequences. */
const KEEP_ODDS = 15;

/** The key made last (the crossings that make one first name it so). */
const NEW_KEY: Json = { ref: "keyArn", index: -1 };

const call = (name: string, input: JsonObject): Step => ({ call: name, as: "admin", input });
const names = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, n) => `${prefix}${String(from + n).padStart(2, "0")}`);

/**
 * Tags up to one short of the quota in one call, then one tag a call twice, then untags them: on a
 * resource that carried no tag or one (a principal its team tag), one of the calls reaches the quota
 * exactly and goes ahead, and the next crosses it (LimitExceeded). `untagKeysMax` is how many keys one
 * untag call may name.
 */
function tagCrossing(tag: (keys: string[]) => Step, untag: (keys: string[]) => Step, untagKeysMax: number): fc.Arbitrary<Step[]> {
  const all = names("quota-", 0, TAGS_PER_RESOURCE_MAX + 1);
  const untags: Step[] = [];
  for (let i = 0; i < all.length; i += untagKeysMax) untags.push(untag(all.slice(i, i + untagKeysMax)));
  const lastTwo = all.slice(-2).map((name) => tag([name]));
  return droppable([tag(all.slice(0, -2)), ...lastTwo, ...untags], KEEP_ODDS);
}

/** A key policy that would be allowed but for its size: the account's statement and one per principal of a long list. */
export function oversizedKeyPolicy(scenario: Scenario): string {
  const { account } = scenario.world;
  const root = { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*" };
  const statement = (n: number): JsonObject => ({
    Sid: `Allow use by service role ${n}`,
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:role/service-${String(n).padStart(4, "0")}` },
    Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
  });
  const statements: JsonObject[] = [{ ...root, Resource: "*" }];
  return pastSize(statements, statement, (Statement) => ({ Version: "2012-10-17", Statement }), KEY_POLICY_BYTES_MAX);
}

/**
 * A key policy of exactly the size limit, which is allowed (§9.3: over it is not): statements that each
 * allow the account (a principal that exists: a policy naming unknown ones is malformed), as many as fit,
 * padded with spaces (JSON whitespace) before its closing brace.
 */
export function keyPolicyAtLimit(scenario: Scenario): string {
  const root = `arn:aws:iam::${scenario.world.account}:root`;
  const statement = (n: number): JsonObject => ({
    Sid: `Account ${n}`,
    Effect: "Allow",
    Principal: { AWS: root },
    Action: "kms:*",
    Resource: "*",
  });
  const wrap = (Statement: JsonObject[]) => ({ Version: "2012-10-17", Statement });
  const statements: JsonObject[] = [];
  pastSize(statements, statement, wrap, KEY_POLICY_BYTES_MAX);
  return paddedTo(JSON.stringify(wrap(statements.slice(0, -1))), KEY_POLICY_BYTES_MAX);
}

/** A JSON object's `text` (ASCII), spaces added before its closing brace until it is `length` characters. */
function paddedTo(text: string, length: number): string {
  return `${text.slice(0, -1)}${" ".repeat(length - text.length)}}`;
}

/**
 * `items` and then `more(0)`, `more(1)`, … until the document `wrap(items)` is over `sizeMax` characters
 * (all ASCII here, so characters are bytes), measuring each item once: it adds itself and a comma.
 */
function pastSize<T>(items: T[], more: (n: number) => T, wrap: (items: T[]) => JsonObject, sizeMax: number): string {
  let size = JSON.stringify(wrap(items)).length;
  for (let n = 0; size <= sizeMax; n++) {
    const item = more(n);
    size += JSON.stringify(item).length + (items.length > 0 ? 1 : 0);
    items.push(item);
  }
  return JSON.stringify(wrap(items));
}

/**
 * A well-formed identity policy just over `sizeMax` characters: DescribeKey on a long list of key ARNs
 * (INLINE_POLICY_CHARS_MAX: allowed but for its size; half of it: two fit no principal, one fits).
 */
export function oversizedIdentityPolicy(scenario: Scenario, sizeMax = INLINE_POLICY_CHARS_MAX): string {
  const { account, region } = scenario.world;
  const arn = (n: number) => `arn:aws:kms:${region}:${account}:key/00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
  const policy = (Resource: string[]) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:DescribeKey", Resource }] });
  return pastSize<string>([], arn, policy, sizeMax);
}

/** A well-formed identity policy of exactly `length` characters: one DescribeKey statement, padded with spaces (JSON whitespace). */
export function identityPolicyOfLength(length: number): string {
  return paddedTo(
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }] }),
    length,
  );
}

/**
 * An IAM principal's inline policies summed against the quota: a policy over half of it put, put again
 * under its own name (it replaces itself, so only the new text counts), then another one as large
 * (together past the quota: LimitExceeded), one alone past the quota; the first removed again; then one
 * of exactly the quota put, and replaced by one a character longer (LimitExceeded), and removed. On a
 * principal with no other inline policies each put that can go ahead does.
 */
function inlinePolicyCrossing(
  put: (PolicyName: string, PolicyDocument: string) => Step,
  remove: (PolicyName: string) => Step,
  texts: InlinePolicyTexts,
): fc.Arbitrary<Step[]> {
  return droppable(
    [
      put("QuotaHalf", texts.half),
      put("QuotaHalf", texts.half),
      put("QuotaOther", texts.half),
      put("Quota", texts.oversized),
      remove("QuotaHalf"),
      put("QuotaExact", texts.atLimit),
      put("QuotaExact", texts.pastLimit),
      remove("QuotaExact"),
    ],
    KEEP_ODDS,
  );
}

/** The policy texts of the inline-policy crossing, made once per scenario for the role's and the user's. */
interface InlinePolicyTexts {
  /** Just over half the quota. */
  half: string;
  /** Just over the quota, well formed. */
  oversized: string;
  /** Exactly the quota, and one character more. */
  atLimit: string;
  pastLimit: string;
}

/** Each scenario's crossings, made once: their policy texts take a millisecond, and every seed draws from them. */
const CROSSINGS = new WeakMap<Scenario, Record<string, fc.Arbitrary<Step[]>>>();

/** Per operation (as a step names it), a sequence that crosses its quota. */
export function limitCrossings(scenario: Scenario): Record<string, fc.Arbitrary<Step[]>> {
  const made = CROSSINGS.get(scenario) ?? crossingsOf(scenario);
  CROSSINGS.set(scenario, made);
  return made;
}

function crossingsOf(scenario: Scenario): Record<string, fc.Arbitrary<Step[]>> {
  const { principals } = scenario.world;
  const nameOf = (p: string) => (principals[p]?.arn ?? "/nobody").split("/").pop()!;
  const policy = oversizedKeyPolicy(scenario);
  const policyAtLimit = keyPolicyAtLimit(scenario);
  const inlinePolicies: InlinePolicyTexts = {
    half: oversizedIdentityPolicy(scenario, INLINE_POLICY_CHARS_MAX / 2),
    oversized: oversizedIdentityPolicy(scenario),
    atLimit: identityPolicyOfLength(INLINE_POLICY_CHARS_MAX),
    pastLimit: identityPolicyOfLength(INLINE_POLICY_CHARS_MAX + 1),
  };
  const key = ref("key");
  const kmsTags = (keys: string[]) => keys.map((TagKey) => ({ TagKey, TagValue: "quota" }));
  const iamTags = (keys: string[]) => keys.map((Key) => ({ Key, Value: "quota" }));
  const { grantsPerKey } = scenario.quotas;
  const grant = call("CreateGrant", {
    KeyId: NEW_KEY,
    GranteePrincipal: principals["alice"]?.arn ?? "",
    Operations: ["DescribeKey"],
  });
  // A new key given as many grants as the scenario's quota allows, each left to propagate (so few are
  // in flux at once), and one more.
  const grants: Record<string, fc.Arbitrary<Step[]>> = grantsPerKey <= GRANT_QUOTA_CROSSED_MAX
    ? {
        CreateGrant: droppable(
          [
            call("CreateKey", {}),
            ...Array.from({ length: grantsPerKey }, (): Step[] => [grant, { advance: scenario.timing.grantPropagationMsMax + 1 }]).flat(),
            grant,
          ],
          KEEP_ODDS,
        ),
      }
    : {};
  return {
    ...grants,
    ...storeQuotaCrossing(scenario),
    // On a key of its own, made first: a key drawn from those made so far was often missing, deleted or
    // carrying tags enough to be past the quota from the first call, and the quota went unmet.
    TagResource: tagCrossing(
      (keys) => call("TagResource", { KeyId: NEW_KEY, Tags: kmsTags(keys) }),
      (keys) => call("UntagResource", { KeyId: NEW_KEY, TagKeys: keys }),
      TAGS_PER_RESOURCE_MAX + 1,
    ).map((steps) => [call("CreateKey", {}), ...steps]),
    // The principals the ABAC policies read (their team tag stays).
    "iam:TagRole": tagCrossing(
      (keys) => call("iam:TagRole", { RoleName: nameOf("app"), Tags: iamTags(keys) }),
      (TagKeys) => call("iam:UntagRole", { RoleName: nameOf("app"), TagKeys }),
      TAGS_PER_RESOURCE_MAX,
    ),
    "iam:TagUser": tagCrossing(
      (keys) => call("iam:TagUser", { UserName: nameOf("alice"), Tags: iamTags(keys) }),
      (TagKeys) => call("iam:UntagUser", { UserName: nameOf("alice"), TagKeys }),
      TAGS_PER_RESOURCE_MAX,
    ),
    "iam:PutRolePolicy": inlinePolicyCrossing(
      (PolicyName, PolicyDocument) => call("iam:PutRolePolicy", { RoleName: nameOf("app"), PolicyName, PolicyDocument }),
      (PolicyName) => call("iam:DeleteRolePolicy", { RoleName: nameOf("app"), PolicyName }),
      inlinePolicies,
    ),
    "iam:PutUserPolicy": inlinePolicyCrossing(
      (PolicyName, PolicyDocument) => call("iam:PutUserPolicy", { UserName: nameOf("alice"), PolicyName, PolicyDocument }),
      (PolicyName) => call("iam:DeleteUserPolicy", { UserName: nameOf("alice"), PolicyName }),
      inlinePolicies,
    ),
    // At the limit, then past it.
    PutKeyPolicy: key.map((KeyId) => [
      call("PutKeyPolicy", { KeyId, Policy: policyAtLimit }),
      call("PutKeyPolicy", { KeyId, Policy: policy }),
    ]),
    CreateKey: fc.constant([call("CreateKey", { Policy: policy })]),
  };
}

/**
 * A store on each of the world's ACTIVE cluster lineages, other lineages first (§3.4: one store per
 * lineage in an account), named from the generator's store names: where the lineages outnumber the
 * scenario's stores quota, the account reaches it whatever stores it already had, and the next one is
 * LimitExceededException (§11.1, any state counts). The stores stay (DISCONNECTED, keyless), for the
 * later calls to connect, rename onto each other's names and delete.
 */
function storeQuotaCrossing(scenario: Scenario): Record<string, fc.Arbitrary<Step[]>> {
  const { cluster, otherClusters } = scenario.world;
  const clusters = [...otherClusters, cluster];
  const quota = scenario.quotas.customKeyStoresPerAccount;
  if (quota > STORE_QUOTA_CROSSED_MAX || clusters.length <= quota) return {};
  const names = ["store-c", "store-b", "store-a"];
  const creates = clusters.map((c, i) =>
    call("CreateCustomKeyStore", {
      CustomKeyStoreName: names[i % names.length]!,
      CloudHsmClusterId: c.clusterId,
      TrustAnchorCertificate: c.trustAnchor,
      KeyStorePassword: c.kmsuserPassword,
    }),
  );
  return { CreateCustomKeyStore: droppable(creates, KEEP_ODDS) };
}

/**
 * A seed's opening that gives one key as many aliases as it may have and then tries one more, by
 * CreateAlias and by UpdateAlias from another key (LimitExceededException): 53 steps, too many to
 * fit among a seed's random ones, so they come first. The 50 are kept or dropped together.
 */
export function aliasQuotaOpening(): fc.Arbitrary<Step[]> {
  return fc.tuple(fc.nat({ max: 30 }), fc.integer({ min: 0, max: KEEP_ODDS })).chain(([index, keepQuota]) => {
    const target: Json = { ref: "key", index };
    const other: Json = { ref: "key", index: index + 1 };
    const quota = names("alias/quota-", 0, ALIASES_PER_KEY_MAX).map((AliasName) => call("CreateAlias", { AliasName, TargetKeyId: target }));
    const crossing = [
      call("CreateAlias", { AliasName: `alias/quota-${ALIASES_PER_KEY_MAX}`, TargetKeyId: target }),
      call("CreateAlias", { AliasName: "alias/quota-moved", TargetKeyId: other }),
      call("UpdateAlias", { AliasName: "alias/quota-moved", TargetKeyId: target }),
    ];
    return droppable(crossing, KEEP_ODDS).map((kept) => [...(keepQuota > 0 ? quota : []), ...kept]);
  });
}
