// Invariants checked after every step, on what the virtual KMS answered and on the insides of the
// world — independent of the model, so they hold even where the model is permissive. Each returns a
// description of the first violation, or undefined.
import type { CallStep, Json, Outcome } from "../protocol/step.ts";
import { KMS_NODE } from "../sim/kms/hsm-client.ts";
import type { World } from "../sim/world.ts";

export interface CryptoLedger {
  /**
   * What each ciphertext the KMS returned was made from: plaintext (null for a data key returned
   * without it, until a Decrypt shows it), encryption context, key.
   */
  made: Map<string, { plaintext: Json; context: Json; keyArn: Json }>;
}

function obj(v: Json | undefined): Record<string, Json> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
}

/** Invariants over one call's own outcome. */
export function checkOutcome(step: CallStep, outcome: Outcome, ledger: CryptoLedger): string | undefined {
  if (!outcome.ok) return undefined;
  const meta = obj(outcome.output["KeyMetadata"]);
  if (meta !== undefined && (meta["Enabled"] === true) !== (meta["KeyState"] === "Enabled")) {
    return `${step.call}: Enabled is ${String(meta["Enabled"])} but KeyState is ${String(meta["KeyState"])} (spec §2)`;
  }
  if (meta !== undefined && (meta["DeletionDate"] !== undefined) !== (meta["KeyState"] === "PendingDeletion")) {
    return `${step.call}: DeletionDate is ${meta["DeletionDate"] === undefined ? "absent" : "present"} but KeyState is ${String(meta["KeyState"])} (spec §2)`;
  }
  const stores = outcome.output["CustomKeyStores"];
  if (Array.isArray(stores)) {
    for (const s of stores.map(obj)) {
      if (s === undefined) continue;
      if ((s["ConnectionErrorCode"] !== undefined) !== (s["ConnectionState"] === "FAILED")) {
        return `DescribeCustomKeyStores: ${String(s["CustomKeyStoreId"])} is ${String(s["ConnectionState"])} with ConnectionErrorCode ${String(s["ConnectionErrorCode"])} (spec §17.2)`;
      }
    }
  }
  const input = step.input ?? {};
  const made = outcome.output["CiphertextBlob"];
  const keyArn = outcome.output["KeyId"] ?? null;
  const plaintexts: Record<string, Json | undefined> = {
    Encrypt: input["Plaintext"],
    GenerateDataKey: outcome.output["Plaintext"],
    GenerateDataKeyWithoutPlaintext: null,
  };
  if (step.call in plaintexts && typeof made === "string")
    ledger.made.set(made, { plaintext: plaintexts[step.call] ?? null, context: input["EncryptionContext"] ?? {}, keyArn });
  if (step.call === "Decrypt" || step.call === "ReEncrypt") {
    const blob = input["CiphertextBlob"];
    const origin = typeof blob === "string" ? ledger.made.get(blob) : undefined;
    const sourceArn = step.call === "Decrypt" ? keyArn : outcome.output["SourceKeyId"];
    const sourceContext = input[step.call === "Decrypt" ? "EncryptionContext" : "SourceEncryptionContext"] ?? {};
    if (origin === undefined) return `${step.call}: a ciphertext the KMS never returned opened (spec §17.11)`;
    if (origin.keyArn !== sourceArn) return `${step.call}: ciphertext of ${String(origin.keyArn)} opened under ${String(sourceArn)}`;
    if (JSON.stringify(sortedPairs(origin.context)) !== JSON.stringify(sortedPairs(sourceContext))) {
      return `${step.call}: opened with an encryption context other than the one bound at encryption (spec §8.3)`;
    }
    if (step.call === "Decrypt") {
      if (origin.plaintext === null)
        origin.plaintext = outcome.output["Plaintext"] ?? null; // a data key first seen
      else if (origin.plaintext !== outcome.output["Plaintext"])
        return "Decrypt: returned a plaintext other than the one encrypted (spec §17.11)";
    } else if (typeof made === "string") {
      ledger.made.set(made, { plaintext: origin.plaintext, context: input["DestinationEncryptionContext"] ?? {}, keyArn });
    }
  }
  return undefined;
}

function sortedPairs(context: Json): [string, Json][] {
  return Object.entries(obj(context) ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Calls that use a key's material (spec §8). */
const CRYPTO_CALLS = ["Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt"];

/**
 * A crypto call on a CloudHSM key succeeded only if its store is CONNECTED and some ACTIVE HSM of the
 * store's cluster that holds the key material is reachable both ways (spec §17.10).
 */
export function checkCryptoPath(step: CallStep, outcome: Outcome, world: World): string | undefined {
  if (!outcome.ok || !CRYPTO_CALLS.includes(step.call)) return undefined;
  const arn = outcome.output["KeyId"];
  if (typeof arn === "string" && world.kms.deletedKeyArns.has(arn)) return `${step.call} succeeded with ${arn}, a deleted key (spec §17)`;
  const key = typeof arn === "string" ? world.kms.keys.get(arn) : undefined;
  if (key?.CustomKeyStoreId === undefined) return undefined;
  const store = world.kms.store(key.CustomKeyStoreId);
  if (store?.ConnectionState !== "CONNECTED")
    return `${step.call} on ${key.Arn} succeeded while its store is ${store?.ConnectionState ?? "gone"}`;
  const cluster = world.kms.cluster(store.CloudHsmClusterId);
  const served = cluster
    ?.activeHsms()
    .some((h) => h.objects.has(key.backingKeyHandle ?? "") && !world.network.isCut(KMS_NODE, h.id) && !world.network.isCut(h.id, KMS_NODE));
  return served === true
    ? undefined
    : `${step.call} on ${key.Arn} succeeded with no reachable ACTIVE HSM holding its material (spec §17.10)`;
}

/**
 * Spec §3.5: before a CreateKey in a custom key store, could it succeed — is the store there and its
 * cluster holding ACTIVE HSMs in two Availability Zones? Undefined for any other call.
 */
export function storeKeyPossible(step: CallStep, world: World): boolean | undefined {
  const storeId = step.call === "CreateKey" ? step.input?.["CustomKeyStoreId"] : undefined;
  if (typeof storeId !== "string") return undefined;
  const store = world.kms.store(storeId);
  const cluster = store === undefined ? undefined : world.cloudhsm.clusters.get(store.CloudHsmClusterId);
  return cluster !== undefined && new Set(cluster.hsms.filter((h) => h.up).map((h) => h.spec.availabilityZone)).size >= 2;
}

/** CreateKey in a store succeeded although its cluster lacked two ACTIVE HSMs in two AZs when it began (§3.5). */
export function checkStoreKeyCreation(step: CallStep, outcome: Outcome, possible: boolean | undefined): string | undefined {
  if (possible !== false || !outcome.ok) return undefined;
  return `${step.call} in custom key store ${String(step.input?.["CustomKeyStoreId"])} succeeded without two ACTIVE HSMs in two Availability Zones (spec §3.5)`;
}

/**
 * The survival claim of sim/faults.ts, checked apart from the model: a crypto call that failed with
 * KMSInvalidStateException while the claim held (before the call) breaks the claim.
 */
export function checkSurvival(step: CallStep, outcome: Outcome, claimHeld: boolean): string | undefined {
  if (!claimHeld || outcome.ok || outcome.error.name !== "KMSInvalidStateException") return undefined;
  return `${step.call} failed with KMSInvalidStateException although a reachable ACTIVE HSM held the key (the survival claim of sim/faults.ts)`;
}

/** Invariants over the world's insides after any step. */
export function checkWorld(world: World): string | undefined {
  const kms = world.kms;
  for (const store of kms.stores) {
    if ((store.ConnectionErrorCode !== undefined) !== (store.ConnectionState === "FAILED")) {
      return `store ${store.CustomKeyStoreId}: ConnectionErrorCode present iff FAILED is broken (spec §17.2)`;
    }
    const cluster = kms.cluster(store.CloudHsmClusterId);
    if (store.ConnectionState === "CONNECTED" && cluster !== undefined && cluster.kmsuser?.session !== "kms") {
      return `store ${store.CustomKeyStoreId} is CONNECTED but the KMS is not logged in to ${cluster.id} as kmsuser (spec §17.6)`;
    }
  }
  for (const cluster of world.cloudhsm.clusters.values()) {
    if (cluster.replicationPending) continue; // replication has not settled yet
    const [first, ...rest] = cluster.activeHsms().map((h) => [...h.objects.keys()].sort().join(","));
    if (rest.some((handles) => handles !== first))
      return `cluster ${cluster.id}: replication settled but its ACTIVE HSMs hold different key objects (keys are synchronized, spec §4)`;
  }
  return undefined;
}

/** The grants the run has seen given out and taken back, for the grant-window invariant. */
export interface GrantLedger {
  /** Grant token → GrantId, from CreateGrant's answers. */
  tokens: Map<string, string>;
  /** GrantId → when (µs) a RetireGrant or RevokeGrant of it succeeded. */
  removedAtUs: Map<string, number>;
}

/**
 * Spec §9.7, §12 (issue 5 item 7): a retired or revoked grant may authorize only inside its
 * propagation window. Read off the run alone — the calls, their answers, and the grants the virtual
 * KMS says decided (`decisions`, "action: grant <id> allows") — not off the model.
 */
export function checkGrantWindow(
  step: CallStep,
  outcome: Outcome,
  decisions: readonly string[],
  atUs: number,
  windowUs: number,
  ledger: GrantLedger,
): string | undefined {
  for (const decision of decisions) {
    const id = / grant (\S+) allows$/.exec(decision)?.[1];
    const removedUs = id === undefined ? undefined : ledger.removedAtUs.get(id);
    if (removedUs !== undefined && atUs >= removedUs + windowUs) {
      return `access: grant ${id} decided ${decision.split(":").slice(0, 2).join(":")} for '${step.as}' ${(atUs - removedUs) / 1000} ms after it was retired or revoked; the propagation window is ${windowUs / 1000} ms (spec §12)`;
    }
  }
  if (!outcome.ok) return undefined;
  const input = step.input ?? {};
  if (step.call === "CreateGrant" && typeof outcome.output["GrantToken"] === "string" && typeof outcome.output["GrantId"] === "string") {
    ledger.tokens.set(outcome.output["GrantToken"], outcome.output["GrantId"]);
  }
  if (step.call === "RevokeGrant" || step.call === "RetireGrant") {
    const byToken = typeof input["GrantToken"] === "string" ? ledger.tokens.get(input["GrantToken"]) : undefined;
    const id = byToken ?? (typeof input["GrantId"] === "string" ? input["GrantId"] : undefined);
    if (id !== undefined && !ledger.removedAtUs.has(id)) ledger.removedAtUs.set(id, atUs);
  }
  return undefined;
}

/** Spec §17.1: a fault never changes a store's ConnectionState by itself. */
export function storeStates(world: World): string {
  return world.kms.stores.map((s) => `${s.CustomKeyStoreId}=${s.ConnectionState}`).join(",");
}
