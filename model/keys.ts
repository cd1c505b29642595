// Key rules (spec §5, identifiers §1/§6.3, check order §16): CreateKey with its policy checks (§9.3,
// §9.5) and store checks (§5.1), DescribeKey (KeyMetadata §2), EnableKey and DisableKey (§5.5 fn 12),
// ScheduleKeyDeletion and CancelKeyDeletion (§5.4), ListKeys (§5.6). KeyState is derived, never
// stored (§5.3, model/key-lookup.ts).
import { any, errorPattern, okPattern } from "../protocol/pattern.ts";
import { needIam, needKey } from "./access.ts";
import { accountOf } from "./authorize.ts";
import { keyCopy } from "./copies.ts";
import { clusterOf, deleteObjects, exchangeWindowUs, failover, scheduleReplication, twoActiveAzs } from "./cluster.ts";
import { dateOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { checkGrantTokens } from "./grant-authority.ts";
import { checkNewPolicy, defaultPolicy, policyParam } from "./key-policies.ts";
import { callerStores, metadata, needState, resolveKey } from "./key-lookup.ts";
import { page, pageParams } from "./paging.ts";
import { flag, integer, oneOf, optionalText, Refusal, refuse, refuseWith, requiredText, type Check } from "./refusal.ts";
import type { ModelCluster, ModelKey } from "./state.ts";
import { changed, withCluster, withKey } from "./state-change.ts";
import { tagConditions, tagList, withTags } from "./tags.ts";

/**
 * GenerateKey by failover (§4): every HSM that serves it makes a key object of its own and schedules
 * a replication pass; the KMS keeps the object whose answer reached it (`backing`).
 */
function generate(ctx: CallContext, cluster: ModelCluster, label: string): { answer: string | undefined; backing?: string } {
  let made: string | undefined;
  const answer = failover(
    cluster,
    (hsm) => {
      if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
      made = `${label}@${hsm.hsmId}`;
      hsm.objects = [...hsm.objects, made].sort();
      scheduleReplication(ctx.world, cluster, ctx.nowUs, exchangeWindowUs(ctx.world)); // made at some point of the call
      return "ok";
    },
    [],
    ctx.midCall,
  );
  return { answer, ...(answer === "ok" && made !== undefined ? { backing: made } : {}) };
}

export function* CreateKey(ctx: CallContext): Check<Branch[]> {
  const { input, world, state } = ctx;
  const origin = (yield* oneOf(input, "Origin", ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const)) ?? "AWS_KMS";
  // CustomerMasterKeySpec is KeySpec's deprecated name; giving both is refused as validation (§5.1) [MODEL CHOICE].
  const newSpec = yield* optionalText(input, "KeySpec", 1, 64);
  const oldSpec = yield* optionalText(input, "CustomerMasterKeySpec", 1, 64);
  if (newSpec !== undefined && oldSpec !== undefined) return yield* refuse("ValidationException");
  const keySpec = newSpec ?? oldSpec ?? "SYMMETRIC_DEFAULT";
  const multiRegion = (yield* flag(input, "MultiRegion")) ?? false;
  const keyUsageGiven = yield* optionalText(input, "KeyUsage", 1, 64);
  const keyUsage = keyUsageGiven ?? "ENCRYPT_DECRYPT";
  const storeId = yield* optionalText(input, "CustomKeyStoreId", 1, 64);
  const description = (yield* optionalText(input, "Description", 0, 8192)) ?? "";
  const policyText = yield* policyParam(ctx, false);
  const bypass = (yield* flag(input, "BypassPolicyLockoutSafetyCheck")) ?? false;
  const pairs = input["Tags"] === undefined || input["Tags"] === null ? undefined : yield* tagList(input, "Tags");
  // A key spec other than symmetric encryption's must name its KeyUsage (recorded from AWS: LocalStack's
  // AWS-validated snapshot, test_hmac_create_key_invalid_operations), before authorization.
  if (keySpec !== "SYMMETRIC_DEFAULT" && keyUsageGiven === undefined)
    return yield* refuse("ValidationException", "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.");
  if ((origin === "AWS_CLOUDHSM") !== (storeId !== undefined)) return yield* refuse("ValidationException"); // §5.1 [MODEL CHOICE]
  // §9.6: CreateKey's condition keys are the request's values, defaults included.
  const conditions = {
    "kms:KeyOrigin": [origin],
    "kms:KeySpec": [keySpec],
    "kms:KeyUsage": [keyUsage],
    "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)],
    ...tagConditions(pairs ?? [], true),
  };
  yield* needIam(ctx, "kms:CreateKey", { conditions });
  if (pairs !== undefined) yield* needIam(ctx, "kms:TagResource", { conditions }); // §5.1: Tags need kms:TagResource in IAM too
  // §5.1: a CloudHSM key store holds only single-Region symmetric encryption keys (UnsupportedOperationException
  // [MODEL CHOICE: the error for "a parameter not supported for this operation"; its text is not recorded]).
  if (origin === "AWS_CLOUDHSM" && (multiRegion || keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT"))
    return yield* refuse("UnsupportedOperationException");
  if (origin === "EXTERNAL" || origin === "EXTERNAL_KEY_STORE" || multiRegion) return yield* refuse("UnsupportedOperationException");
  if (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT") return yield* refuse("UnsupportedOperationException");
  const account = accountOf(ctx.caller.arn);
  // The new key's ARN is not known yet: the lockout check is evaluated for a key whose id is all zeros
  // (an identity policy naming a particular key id never matches it) [MODEL CHOICE].
  const futureArn = `arn:aws:kms:${world.region}:${account}:key/00000000-0000-4000-8000-000000000000`;
  const future = { arn: futureArn, origin: origin as ModelKey["origin"], tags: Object.fromEntries(pairs ?? []) };
  const policy = policyText === undefined ? defaultPolicy(account) : yield* checkNewPolicy(ctx, future, policyText, bypass);
  // The new key's tags are checked after its policy and before its store (the order the KMS uses).
  const tags = pairs === undefined ? {} : yield* withTags({}, pairs);
  let clusterId: string | undefined;
  if (storeId !== undefined) {
    const store = callerStores(ctx).find((s) => s.id === storeId) ?? (yield* refuse("CustomKeyStoreNotFoundException"));
    if (store.state !== "CONNECTED") return yield* refuse("CustomKeyStoreInvalidStateException");
    const cluster = clusterOf(state, store.clusterId);
    if (cluster === undefined || !twoActiveAzs(cluster)) return yield* refuse("CloudHsmClusterInvalidConfigurationException");
    // §4: the key is generated inside the cluster; tried first without the ARN (the KMS answers it),
    // redone with it below. A failed try leaves its replication passes behind, and objects labelled
    // with an ARN no key has (which no one can see, so the model drops them).
    let answer: string | undefined;
    const tried = withCluster(state, store.clusterId, (draft) => {
      answer = generate(ctx, draft, "(unnamed)").answer;
      deleteObjects(draft, "(unnamed)");
    });
    if (answer === undefined) return yield* refuseWith(new Refusal(errorPattern("DependencyTimeoutException"), tried));
    if (answer !== "ok") return yield* refuseWith(new Refusal(errorPattern("KMSInternalException"), tried));
    clusterId = store.clusterId;
  }
  const template = keyCopy({
    id: "",
    arn: "",
    account,
    creationUs: ctx.nowUs,
    description,
    origin: origin as ModelKey["origin"],
    enabled: true,
    policy,
    tags,
    storeId,
  }); // made through the copy, as every key is: one shape (model/copies.ts)
  const expected = {
    ...metadata(world, state, template),
    KeyId: any("KeyId"),
    Arn: any("KeyArn"),
    ...(storeId === undefined ? { CurrentKeyMaterialId: any("KeyMaterialId") } : {}),
  };
  return goesAhead(ctx, okPattern({ KeyMetadata: expected }), (actual) => {
    const meta = actual.ok ? actual.output["KeyMetadata"] : undefined;
    const id = typeof meta === "object" && meta !== null && !Array.isArray(meta) ? meta["KeyId"] : undefined;
    if (typeof id !== "string") throw new Error("model: CreateKey matched without a KeyId");
    const materialId = typeof meta === "object" && meta !== null && !Array.isArray(meta) ? meta["CurrentKeyMaterialId"] : undefined;
    const arn = `arn:aws:kms:${world.region}:${account}:key/${id}`;
    let backing: string | undefined;
    const generated =
      clusterId === undefined ? state : withCluster(state, clusterId, (draft) => void (backing = generate(ctx, draft, arn).backing));
    const made = keyCopy(template);
    made.id = id;
    made.arn = arn;
    made.backing = backing;
    made.materialId = typeof materialId === "string" ? materialId : undefined;
    return changed(generated, (next) => void (next.keys = [...next.keys, made]));
  });
}

export function* DescribeKey(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const key = yield* resolveKey(ctx, keyId, true);
  const presented = yield* checkGrantTokens(ctx);
  yield* needKey(ctx, "kms:DescribeKey", key, { presented, keyIdAsGiven: keyId });
  yield* needState(ctx, "DescribeKey", key);
  return goesAhead(ctx, okPattern({ KeyMetadata: metadata(ctx.world, ctx.state, key) }));
}

function* setEnabled(ctx: CallContext, enabled: boolean): Check<Branch[]> {
  const operation = enabled ? "EnableKey" : "DisableKey";
  const key = yield* resolveKey(ctx, yield* requiredText(ctx.input, "KeyId", 1, 2048), false);
  yield* needKey(ctx, `kms:${operation}`, key);
  yield* needState(ctx, operation, key);
  // §5.5 fn 12: also while Unavailable, taking effect once the key is available.
  return goesAhead(ctx, okPattern(), () => withKey(ctx.state, key.arn, (k) => (k.enabled = enabled)));
}

export const EnableKey = (ctx: CallContext): Check<Branch[]> => setEnabled(ctx, true);
export const DisableKey = (ctx: CallContext): Check<Branch[]> => setEnabled(ctx, false);

const DAY_US = 86_400_000_000;

/** §5.4: PendingDeletion for 7–30 days (default 30); deleted exactly at DeletionDate [MODEL CHOICE]. */
export function* ScheduleKeyDeletion(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const days = (yield* integer(ctx.input, "PendingWindowInDays", 7, 30)) ?? 30;
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:ScheduleKeyDeletion", key, { conditions: { "kms:ScheduleKeyDeletionPendingWindowInDays": [String(days)] } });
  yield* needState(ctx, "ScheduleKeyDeletion", key);
  const deletionAtUs = ctx.nowUs + days * DAY_US;
  const outcome = okPattern({
    KeyId: key.arn,
    DeletionDate: dateOf(ctx.world, deletionAtUs),
    KeyState: "PendingDeletion",
    PendingWindowInDays: days,
  });
  return goesAhead(ctx, outcome, () => withKey(ctx.state, key.arn, (k) => (k.deletionAtUs = deletionAtUs)));
}

/** §5.4: a cancelled deletion lands in Disabled. */
export function* CancelKeyDeletion(ctx: CallContext): Check<Branch[]> {
  const key = yield* resolveKey(ctx, yield* requiredText(ctx.input, "KeyId", 1, 2048), false);
  yield* needKey(ctx, "kms:CancelKeyDeletion", key);
  yield* needState(ctx, "CancelKeyDeletion", key);
  return goesAhead(ctx, okPattern({ KeyId: key.arn }), () =>
    withKey(ctx.state, key.arn, (k) => {
      k.deletionAtUs = undefined;
      k.enabled = false;
    }),
  );
}

/** §5.6: the caller's account's keys in every state, in creation order, paged (IAM only, §9.1). */
export function* ListKeys(ctx: CallContext): Check<Branch[]> {
  const paging = yield* pageParams(ctx, 1000, 100);
  yield* needIam(ctx, "kms:ListKeys");
  const mine = ctx.state.keys.filter((k) => k.account === accountOf(ctx.caller.arn));
  return goesAhead(ctx, okPattern(yield* page(mine, paging, "Keys", (k) => ({ KeyId: k.id, KeyArn: k.arn }))));
}
