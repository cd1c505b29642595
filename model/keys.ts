// Key rules (spec §5, identifiers §1/§6.3, check order §16): CreateKey with its policy checks (§9.3,
// §9.5) and store checks (§5.1), DescribeKey (KeyMetadata §2), EnableKey and DisableKey (§5.5 fn 12).
// KeyState is derived, never stored (§5.3).
import type { Json } from "../protocol/step.ts";
import { accountOf, keyDecision } from "./authorize.ts";
import { checkNewPolicy, defaultPolicy, policyParam } from "./key-policies.ts";
import { page, pageParams } from "./paging.ts";
import { allowingGrant, checkGrantTokens } from "./grants.ts";
import { requestContext, type AccessRequest } from "./request-context.ts";
import { dateOf, needIam, type Branch, type CallContext } from "./context.ts";
import { any, errorPattern, okPattern, type OutputPattern } from "../protocol/pattern.ts";
import { checkKeyState, type KeyStateName } from "./key-states.ts";
import { tagConditions, tagList, withTags } from "./tags.ts";
import { flag, oneOf, refuse, Refusal, text } from "./refuse.ts";
import {
  clusterOf,
  copy,
  deleteObjects,
  failover,
  scheduleReplication,
  twoActiveAzs,
  type ModelCluster,
  type ModelKey,
  type ModelState,
  type ModelWorld,
} from "./state.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function keyState(state: ModelState, key: ModelKey): KeyStateName {
  if (key.deletionAtUs !== undefined) return "PendingDeletion"; // §5.5 fn 13: even while the store is down
  if (key.storeId !== undefined && state.stores.find((s) => s.id === key.storeId)?.state !== "CONNECTED") return "Unavailable";
  return key.enabled ? "Enabled" : "Disabled";
}

/** Spec §1, §6.3: key id or key ARN; alias forms only where accepted (no aliases exist yet). */
export function resolveKey(ctx: CallContext, keyId: string, aliases: boolean): ModelKey {
  const { world, state } = ctx;
  const account = accountOf(ctx.caller.arn);
  const arnMatch = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/(.*)$/.exec(keyId);
  let arn: string | undefined;
  if (UUID.test(keyId)) arn = `arn:aws:kms:${world.region}:${account}:key/${keyId}`;
  else if (arnMatch !== null && UUID.test(arnMatch[1] ?? "")) arn = keyId;
  else if (aliases && (keyId.startsWith("alias/") || /^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\/.+$/.test(keyId))) {
    // §6.3: an alias name resolves in the caller's account; an alias ARN names its own.
    const aliasArn = keyId.startsWith("alias/") ? `arn:aws:kms:${world.region}:${account}:${keyId}` : keyId;
    arn = state.aliases.find((a) => a.arn === aliasArn)?.targetArn ?? refuse("NotFoundException", `Alias ${aliasArn} is not found.`);
  }
  if (arn === undefined) return refuse("NotFoundException", `Invalid keyId '${keyId}'`);
  return state.keys.find((k) => k.arn === arn) ?? refuse("NotFoundException", `Key '${arn}' does not exist`);
}

/** §9.2 for `action` on `key`, grants and conditions included (`request`: what the request brings). */
export function needKey(ctx: CallContext, action: string, key: ModelKey, request: AccessRequest = {}): void {
  const decision = keyDecision(
    ctx.caller,
    action,
    key.arn,
    JSON.parse(key.policy) as Json,
    requestContext(ctx, action, key, request),
    allowingGrant(ctx, action, key, request),
  );
  ctx.decisions.push(decision.decision);
  if (decision.message !== undefined) refuse("AccessDeniedException", decision.message);
}

export function metadata(world: ModelWorld, state: ModelState, key: ModelKey): OutputPattern {
  const keyStateNow = keyState(state, key);
  return {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: dateOf(world, key.creationUs),
    Enabled: keyStateNow === "Enabled",
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: keyStateNow,
    Origin: key.origin,
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    ...(key.deletionAtUs !== undefined ? { DeletionDate: dateOf(world, key.deletionAtUs) } : {}),
    ...(key.storeId !== undefined
      ? { CustomKeyStoreId: key.storeId, CloudHsmClusterId: state.stores.find((s) => s.id === key.storeId)?.clusterId ?? "" }
      : {}),
  };
}

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
      scheduleReplication(ctx.world, cluster, ctx.nowUs);
      return "ok";
    },
    [],
    ctx.midCall,
  );
  return { answer, ...(answer === "ok" && made !== undefined ? { backing: made } : {}) };
}

export function CreateKey(ctx: CallContext): Branch[] {
  const { input, world, state } = ctx;
  const origin = oneOf(input, "Origin", ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const) ?? "AWS_KMS";
  const keySpec = text(input, "KeySpec", 1, 64, false) ?? "SYMMETRIC_DEFAULT";
  const keyUsage = text(input, "KeyUsage", 1, 64, false) ?? "ENCRYPT_DECRYPT";
  const storeId = text(input, "CustomKeyStoreId", 1, 64, false);
  const description = text(input, "Description", 0, 8192, false) ?? "";
  const policyText = policyParam(ctx, false);
  const bypass = flag(input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const pairs = input["Tags"] === undefined || input["Tags"] === null ? undefined : tagList(input, "Tags");
  if ((origin === "AWS_CLOUDHSM") !== (storeId !== undefined)) refuse("ValidationException"); // §5.1 [MODEL CHOICE]
  // §9.6: CreateKey's condition keys are the request's values, defaults included.
  const conditions = {
    "kms:KeyOrigin": [origin],
    "kms:KeySpec": [keySpec],
    "kms:KeyUsage": [keyUsage],
    "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)],
    ...tagConditions(pairs ?? [], true),
  };
  needIam(ctx, "kms:CreateKey", { conditions });
  if (pairs !== undefined) needIam(ctx, "kms:TagResource", { conditions }); // §5.1: Tags need kms:TagResource in IAM too
  if (origin === "EXTERNAL" || origin === "EXTERNAL_KEY_STORE") refuse("UnsupportedOperationException");
  if (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT") refuse("UnsupportedOperationException");
  const account = accountOf(ctx.caller.arn);
  // The new key's ARN is not known yet: the lockout check is evaluated for a key whose id is all zeros
  // (an identity policy naming a particular key id never matches it) [MODEL CHOICE].
  const futureArn = `arn:aws:kms:${world.region}:${account}:key/00000000-0000-4000-8000-000000000000`;
  const future = { arn: futureArn, origin: origin as ModelKey["origin"], tags: Object.fromEntries(pairs ?? []) };
  const policy = policyText === undefined ? defaultPolicy(account) : checkNewPolicy(ctx, future, policyText, bypass);
  // The new key's tags are checked after its policy and before its store (the order the KMS uses).
  const tags = pairs === undefined ? {} : withTags({ tags: {} } as ModelKey, pairs);
  let clusterId: string | undefined;
  if (storeId !== undefined) {
    const store = state.stores.find((s) => s.id === storeId) ?? refuse("CustomKeyStoreNotFoundException");
    if (store.state !== "CONNECTED") refuse("CustomKeyStoreInvalidStateException");
    const cluster = clusterOf(state, store.clusterId);
    if (cluster === undefined || !twoActiveAzs(cluster)) refuse("CloudHsmClusterInvalidConfigurationException");
    // §4: the key is generated inside the cluster; tried first without the ARN (the KMS answers it),
    // redone with it below. A failed try leaves its replication passes behind, and objects labelled
    // with an ARN no key has (which no one can see, so the model drops them).
    const tried = copy(state);
    const { answer } = generate(ctx, clusterOf(tried, store.clusterId)!, "(unnamed)");
    deleteObjects(clusterOf(tried, store.clusterId)!, "(unnamed)");
    if (answer === undefined) throw new Refusal(errorPattern("DependencyTimeoutException"), tried);
    if (answer !== "ok") throw new Refusal(errorPattern("KMSInternalException"), tried);
    clusterId = store.clusterId;
  }
  const template: ModelKey = {
    id: "",
    arn: "",
    account,
    creationUs: ctx.nowUs,
    description,
    origin: origin as ModelKey["origin"],
    enabled: true,
    policy,
    tags,
    ...(storeId !== undefined ? { storeId } : {}),
  };
  const expected = { ...metadata(world, state, template), KeyId: any("KeyId"), Arn: any("KeyArn") };
  return [
    {
      outcome: okPattern({ KeyMetadata: expected }),
      next: (actual) => {
        const meta = actual.ok ? actual.output["KeyMetadata"] : undefined;
        const id = typeof meta === "object" && meta !== null && !Array.isArray(meta) ? meta["KeyId"] : undefined;
        if (typeof id !== "string") throw new Error("model: CreateKey matched without a KeyId");
        const next = copy(state);
        const arn = `arn:aws:kms:${world.region}:${account}:key/${id}`;
        const backing = clusterId === undefined ? undefined : generate(ctx, clusterOf(next, clusterId)!, arn).backing;
        next.keys.push({ ...template, id, arn, ...(backing !== undefined ? { backing } : {}) });
        return next;
      },
    },
  ];
}

/** §5.5: refuses as the key-state table says for `operation`. */
export function needState(ctx: CallContext, operation: string, key: ModelKey): void {
  checkKeyState(operation, keyState(ctx.state, key), key.arn);
}

export function DescribeKey(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const key = resolveKey(ctx, keyId, true);
  const presented = checkGrantTokens(ctx);
  needKey(ctx, "kms:DescribeKey", key, { presented, keyIdAsGiven: keyId });
  needState(ctx, "DescribeKey", key);
  return [{ outcome: okPattern({ KeyMetadata: metadata(ctx.world, ctx.state, key) }), next: () => ctx.state }];
}

function setEnabled(ctx: CallContext, enabled: boolean): Branch[] {
  const operation = enabled ? "EnableKey" : "DisableKey";
  const key = resolveKey(ctx, text(ctx.input, "KeyId", 1, 2048, true)!, false);
  needKey(ctx, `kms:${operation}`, key);
  needState(ctx, operation, key);
  const next = copy(ctx.state);
  next.keys.find((k) => k.arn === key.arn)!.enabled = enabled; // §5.5 fn 12: also while Unavailable
  return [{ outcome: okPattern(), next: () => next }];
}

export const EnableKey = (ctx: CallContext): Branch[] => setEnabled(ctx, true);
export const DisableKey = (ctx: CallContext): Branch[] => setEnabled(ctx, false);

const DAY_US = 86_400_000_000;

/** §5.4: PendingDeletion for 7–30 days (default 30); deleted exactly at DeletionDate [MODEL CHOICE]. */
export function ScheduleKeyDeletion(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const raw = ctx.input["PendingWindowInDays"];
  if (raw !== undefined && raw !== null && (typeof raw !== "number" || !Number.isInteger(raw) || raw < 7 || raw > 30))
    refuse("ValidationException");
  const days = typeof raw === "number" ? raw : 30;
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:ScheduleKeyDeletion", key, { conditions: { "kms:ScheduleKeyDeletionPendingWindowInDays": [String(days)] } });
  needState(ctx, "ScheduleKeyDeletion", key);
  const deletionAtUs = ctx.nowUs + days * DAY_US;
  const next = copy(ctx.state);
  next.keys.find((k) => k.arn === key.arn)!.deletionAtUs = deletionAtUs;
  return [
    {
      outcome: okPattern({
        KeyId: key.arn,
        DeletionDate: dateOf(ctx.world, deletionAtUs),
        KeyState: "PendingDeletion",
        PendingWindowInDays: days,
      }),
      next: () => next,
    },
  ];
}

/** §5.4: a cancelled deletion lands in Disabled. */
export function CancelKeyDeletion(ctx: CallContext): Branch[] {
  const key = resolveKey(ctx, text(ctx.input, "KeyId", 1, 2048, true)!, false);
  needKey(ctx, "kms:CancelKeyDeletion", key);
  needState(ctx, "CancelKeyDeletion", key);
  const next = copy(ctx.state);
  const k = next.keys.find((x) => x.arn === key.arn)!;
  delete k.deletionAtUs;
  k.enabled = false;
  return [{ outcome: okPattern({ KeyId: key.arn }), next: () => next }];
}

/** §5.6: the caller's account's keys in every state, in creation order, paged (IAM only, §9.1). */
export function ListKeys(ctx: CallContext): Branch[] {
  const paging = pageParams(ctx, 1000, 100);
  needIam(ctx, "kms:ListKeys");
  const mine = ctx.state.keys.filter((k) => k.account === accountOf(ctx.caller.arn));
  return [{ outcome: okPattern(page(mine, paging, "Keys", (k) => ({ KeyId: k.id, KeyArn: k.arn }))), next: () => ctx.state }];
}
