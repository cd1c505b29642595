// Key operations of the virtual KMS (spec §5): CreateKey (AWS_KMS, or AWS_CLOUDHSM in a connected
// store with two active HSMs in two AZs), DescribeKey, EnableKey, DisableKey, with the check order
// of spec §16. A CloudHSM key's material is generated inside the cluster, labelled with the key ARN.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, concatBytes } from "@noble/hashes/utils.js";
import type { Proc } from "../kernel/process.ts";
import type { HsmAnswer } from "./hsm-client.ts";
import { utf8 } from "../wire/encoding.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { IamDirectory } from "../iam/iam.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import { hasTwoActiveAzs } from "./keystores.ts";
import { checkNewPolicy, defaultPolicy, policyParam } from "./key-policies.ts";
import type { KeyRecord, Origin } from "./state.ts";
import { optionalBoolean, optionalEnum, optionalInteger, optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { checkKeyState } from "./key-states.ts";
import { page, pageParams } from "./paging.ts";
import { checkGrantTokens } from "./grant-authority.ts";
import { applyTags, readTags, tagConditions } from "./tags.ts";

export function keyMetadata(kms: VirtualKms, key: KeyRecord): JsonObject {
  const state = kms.keyState(key);
  return {
    AWSAccountId: key.account,
    KeyId: key.KeyId,
    Arn: key.Arn,
    CreationDate: kms.date(key.creationUs),
    Enabled: state === "Enabled",
    Description: key.Description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: state,
    Origin: key.Origin,
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    // Present for symmetric keys of AWS_KMS origin (KMS service model, KeyMetadata.CurrentKeyMaterialId).
    ...(key.materialId !== undefined ? { CurrentKeyMaterialId: key.materialId } : {}),
    ...(key.deletionUs !== undefined ? { DeletionDate: kms.date(key.deletionUs) } : {}),
    ...(key.CustomKeyStoreId !== undefined ? { CustomKeyStoreId: key.CustomKeyStoreId } : {}),
    ...(key.CustomKeyStoreId !== undefined
      ? { CloudHsmClusterId: kms.store(key.CustomKeyStoreId)?.CloudHsmClusterId ?? key.CloudHsmClusterId ?? "" }
      : {}),
  };
}

/** AWS's answer to a CreateKey whose KeySpec is not SYMMETRIC_DEFAULT and which names no KeyUsage. */
const KEY_USAGE_REQUIRED = "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.";

export function* CreateKey(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const originGiven = optionalEnum(input, "Origin", ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"] as const);
  if (originGiven instanceof Rejection) return originGiven;
  const origin = originGiven ?? "AWS_KMS";
  const newSpec = optionalString(input, "KeySpec", 1, 64);
  if (newSpec instanceof Rejection) return newSpec;
  const oldSpec = optionalString(input, "CustomerMasterKeySpec", 1, 64);
  if (oldSpec instanceof Rejection) return oldSpec;
  // CustomerMasterKeySpec is the deprecated name of KeySpec: one or the other [MODEL CHOICE, spec §5.1].
  if (newSpec !== undefined && oldSpec !== undefined)
    return new Rejection("ValidationException", "You cannot specify both KeySpec and CustomerMasterKeySpec. Use KeySpec.");
  const keySpec = newSpec ?? oldSpec ?? "SYMMETRIC_DEFAULT";
  const multiRegionGiven = optionalBoolean(input, "MultiRegion");
  if (multiRegionGiven instanceof Rejection) return multiRegionGiven;
  const multiRegion = multiRegionGiven ?? false;
  const keyUsageGiven = optionalString(input, "KeyUsage", 1, 64);
  if (keyUsageGiven instanceof Rejection) return keyUsageGiven;
  const keyUsage = keyUsageGiven ?? "ENCRYPT_DECRYPT";
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const descriptionGiven = optionalString(input, "Description", 0, 8192);
  if (descriptionGiven instanceof Rejection) return descriptionGiven;
  const description = descriptionGiven ?? "";
  const policyText = policyParam(input, false);
  if (policyText instanceof Rejection) return policyText;
  const bypassGiven = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck");
  if (bypassGiven instanceof Rejection) return bypassGiven;
  const bypass = bypassGiven ?? false;
  const tags = input["Tags"] === undefined || input["Tags"] === null ? undefined : readTags(input, "Tags");
  if (tags instanceof Rejection) return tags;
  // Recorded from AWS (LocalStack's AWS-validated snapshot, test_hmac_create_key_invalid_operations): a
  // key spec other than symmetric encryption's needs its KeyUsage named, before the key is authorized.
  if (keySpec !== "SYMMETRIC_DEFAULT" && keyUsageGiven === undefined) return new Rejection("ValidationException", KEY_USAGE_REQUIRED);
  // Spec §5.1 [MODEL CHOICE]: contradictory parameters are a ValidationException.
  if (origin === "AWS_CLOUDHSM" && storeId === undefined)
    return new Rejection("ValidationException", "Origin AWS_CLOUDHSM requires a CustomKeyStoreId.");
  if (origin !== "AWS_CLOUDHSM" && storeId !== undefined)
    return new Rejection("ValidationException", `CustomKeyStoreId is not valid with Origin ${origin}.`);
  // Spec §9.6: CreateKey's condition keys carry the request's values, defaults included.
  const conditions = {
    "kms:KeyOrigin": [origin],
    "kms:KeySpec": [keySpec],
    "kms:KeyUsage": [keyUsage],
    "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)],
    ...tagConditions(tags ?? [], true),
  };
  // Spec §5.1: Tags need kms:TagResource too.
  const denied =
    access.authorizeIam(kms, caller, "kms:CreateKey", "*", conditions) ??
    (tags !== undefined ? access.authorizeIam(kms, caller, "kms:TagResource", "*", conditions) : undefined);
  if (denied !== undefined) return denied;
  // Spec §5.1: only single-Region symmetric encryption keys live in a CloudHSM key store.
  if (origin === "AWS_CLOUDHSM" && multiRegion)
    return new Rejection("UnsupportedOperationException", "You cannot create a multi-Region key in a custom key store.");
  if (origin === "AWS_CLOUDHSM" && (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT"))
    return new Rejection(
      "UnsupportedOperationException",
      `KeySpec ${keySpec} with KeyUsage ${keyUsage} is not supported in a custom key store.`,
    );
  if (origin === "EXTERNAL" || origin === "EXTERNAL_KEY_STORE")
    return new Rejection("UnsupportedOperationException", `kmsim does not model Origin ${origin}.`);
  if (multiRegion) return new Rejection("UnsupportedOperationException", "kmsim does not model multi-Region keys.");
  if (keySpec !== "SYMMETRIC_DEFAULT" || keyUsage !== "ENCRYPT_DECRYPT") {
    return new Rejection("UnsupportedOperationException", "kmsim models only SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys.");
  }

  const account = IamDirectory.accountOf(caller);
  const keyId = kms.newKeyId();
  const arn = kms.keyArn(account, keyId);
  // The lockout check runs before the key exists: it is evaluated for a key whose id is all zeros
  // (an identity policy naming a particular key id never matches it) [MODEL CHOICE].
  const notYetArn = kms.keyArn(account, "00000000-0000-4000-8000-000000000000");
  if (policyText !== undefined) {
    const refused = checkNewPolicy(kms, caller, { Arn: notYetArn, Origin: origin as Origin, tags: new Map(tags) }, policyText, bypass);
    if (refused !== undefined) return refused;
  }

  const key: KeyRecord = {
    KeyId: keyId,
    Arn: arn,
    account,
    creationUs: kms.nowUs,
    Description: description,
    Origin: origin as Origin,
    enabled: true,
    policy: policyText ?? defaultPolicy(account),
    tags: new Map(),
    // Every field written, those set below or later too: one shape for all keys (a field added only
    // when present gives each combination its own hidden class, and optimized code reading keys
    // deoptimizes when a rare one first turns up).
    CustomKeyStoreId: undefined,
    CloudHsmClusterId: undefined,
    backingKeyHandle: undefined,
    material: undefined,
    materialId: undefined,
    deletionUs: undefined,
    rotation: undefined,
  };
  if (tags !== undefined) {
    const refused = applyTags(key, tags);
    if (refused !== undefined) return refused;
  }
  if (storeId !== undefined) {
    const store = kms.storeOf(caller, storeId); // spec §3.4: another account's store is not found
    if (store === undefined) return new Rejection("CustomKeyStoreNotFoundException", "The specified custom key store was not found.");
    if (store.ConnectionState !== "CONNECTED") {
      return new Rejection("CustomKeyStoreInvalidStateException", `Custom key store ${storeId} is not connected.`);
    }
    const cluster = kms.cluster(store.CloudHsmClusterId);
    if (cluster === undefined || !hasTwoActiveAzs(cluster)) {
      return new Rejection(
        "CloudHsmClusterInvalidConfigurationException",
        `The CloudHSM cluster ${store.CloudHsmClusterId} needs at least two active HSMs in different Availability Zones.`,
      );
    }
    const answer = (yield kms.hsm.askAny(cluster, { op: "GenerateKey", label: arn })) as HsmAnswer;
    if (answer === undefined)
      return new Rejection("DependencyTimeoutException", `KMS cannot communicate with the CloudHSM cluster ${cluster.id}.`);
    if (!answer.ok || answer.handle === undefined)
      return new Rejection(
        "KMSInternalException",
        `The CloudHSM cluster ${cluster.id} refused to generate key material (${answer.ok ? "no handle" : answer.code}).`,
      );
    key.backingKeyHandle = answer.handle;
    key.CustomKeyStoreId = storeId;
    key.CloudHsmClusterId = store.CloudHsmClusterId;
  } else {
    key.material = kms.materialPrng.bytes(32);
    key.materialId = bytesToHex(sha256(concatBytes(key.material, utf8(arn))));
  }
  kms.keys.set(arn, key);
  return ok({ KeyMetadata: keyMetadata(kms, key) });
}

export function* DescribeKey(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const key = kms.resolveKey(caller, keyId, true);
  if (key instanceof Rejection) return key;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  const refused =
    access.authorizeKey(kms, caller, "kms:DescribeKey", key, { presented, keyIdAsGiven: keyId }) ??
    checkKeyState("DescribeKey", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  return ok({ KeyMetadata: keyMetadata(kms, key) });
}

/** The key a KeyId parameter names (no aliases), once `operation` is allowed on it and its state lets it go ahead. */
function keyFor(kms: VirtualKms, caller: string, input: JsonObject, operation: string): KeyRecord | Rejection {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  return access.authorizeKey(kms, caller, `kms:${operation}`, key) ?? checkKeyState(operation, key, kms.keyState(key)) ?? key;
}

function* setEnabled(kms: VirtualKms, caller: string, input: JsonObject, enabled: boolean): Proc<Outcome> {
  const key = keyFor(kms, caller, input, enabled ? "EnableKey" : "DisableKey");
  if (key instanceof Rejection) return key;
  // Spec §5.5 fn 12: on an Unavailable key this succeeds and takes effect once the key is available.
  key.enabled = enabled;
  return ok({});
}

/** Days of a deletion waiting period, in µs. */
const DAY_US = 86_400_000_000;

export function* ScheduleKeyDeletion(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const daysGiven = optionalInteger(input, "PendingWindowInDays", 7, 30); // §1: documented 7–30, default 30
  if (daysGiven instanceof Rejection) return daysGiven;
  const days = daysGiven ?? 30;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:ScheduleKeyDeletion", key, {
      conditions: { "kms:ScheduleKeyDeletionPendingWindowInDays": [String(days)] },
    }) ?? checkKeyState("ScheduleKeyDeletion", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  // [MODEL CHOICE] spec §5.4: deleted exactly at DeletionDate.
  const deletionUs = kms.nowUs + days * DAY_US;
  key.deletionUs = deletionUs;
  kms.ctx.scheduler.after(deletionUs - kms.nowUs, `delete ${key.Arn}`, () => {
    if (kms.keys.get(key.Arn) === key && key.deletionUs === deletionUs) kms.deleteKey(key);
  });
  return ok({ KeyId: key.Arn, DeletionDate: kms.date(deletionUs), KeyState: "PendingDeletion", PendingWindowInDays: days });
}

export function* CancelKeyDeletion(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const key = keyFor(kms, caller, input, "CancelKeyDeletion");
  if (key instanceof Rejection) return key;
  key.deletionUs = undefined;
  key.enabled = false; // spec §5.4: a cancelled deletion lands in Disabled
  return ok({ KeyId: key.Arn });
}

export function EnableKey(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  return setEnabled(kms, caller, input, true);
}

export function DisableKey(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  return setEnabled(kms, caller, input, false);
}

/** Spec §5.6: the caller's account's keys in every state, in creation order, a page at a time (IAM only, §9.1). */
export function* ListKeys(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const paging = pageParams(input, 1000, 100);
  if (paging instanceof Rejection) return paging;
  const denied = access.authorizeIam(kms, caller, "kms:ListKeys");
  if (denied !== undefined) return denied;
  const account = IamDirectory.accountOf(caller);
  const all = [...kms.keys.values()].filter((k) => k.account === account);
  const listed = page(all, paging, "Keys", (k) => ({ KeyId: k.KeyId, KeyArn: k.Arn }));
  return listed instanceof Rejection ? listed : ok(listed);
}
