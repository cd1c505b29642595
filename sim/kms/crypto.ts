// The crypto path of the virtual KMS (spec §8): Encrypt, Decrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, ReEncrypt, GenerateRandom. The ciphertext blob, and sealing and
// opening under a key (by the KMS or in an HSM), are sealing.ts.
// Check order §16: validation, key, store quota, authorization, encryption algorithm (key-usage.ts), key
// state, cluster, ciphertext. A dry run (dry-run.ts) answers after the key state, before the cluster.
import type { Proc } from "../kernel/process.ts";
import type { HsmAnswer } from "./hsm-client.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { toBase64 } from "../wire/encoding.ts";
import { open, OpenInHsm, seal, SealInHsm, sourceKey } from "./sealing.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import { checkGrantTokens } from "./grant-authority.ts";
import { checkKeyState } from "./key-states.ts";
import { checkAlgorithm, encryptionAlgorithm } from "./key-usage.ts";
import { dryRunSucceeded, ignoresCiphertext, isDryRun, keyInsteadOfCiphertext } from "./dry-run.ts";
import type { KeyRecord } from "./state.ts";
import {
  encryptionContext,
  optionalEnum,
  optionalInteger,
  optionalString,
  Rejection,
  requiredBlob,
  requiredString,
} from "../wire/validate.ts";

/**
 * The permission each data key operation needs: constant texts, where `kms:${operation}` made a new
 * string on every call, which the decision cache's lookups then hashed and compared again.
 */
const DATA_KEY_ACTIONS = {
  GenerateDataKey: "kms:GenerateDataKey",
  GenerateDataKeyWithoutPlaintext: "kms:GenerateDataKeyWithoutPlaintext",
} as const;

/** DataKeySpec → data key length in bytes (spec §1). */
const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/**
 * `output` with the key material `key` names added last, as `field` (KMS service model: Decrypt's and
 * GenerateDataKey*'s KeyMaterialId, ReEncrypt's Source/DestinationKeyMaterialId): a key's
 * CurrentKeyMaterialId, which only AWS_KMS keys have. Set in place, not spread: a spread costs a hot
 * Decrypt or GenerateDataKey ~1k instructions.
 */
function withKeyMaterialId(output: JsonObject, key: KeyRecord, field = "KeyMaterialId"): JsonObject {
  if (key.materialId !== undefined) output[field] = key.materialId;
  return output;
}

export function* Encrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const plaintext = requiredBlob(input, "Plaintext", 1, 4096);
  if (plaintext instanceof Rejection) return plaintext;
  const context = encryptionContext(input, "EncryptionContext");
  if (context instanceof Rejection) return context;
  const algorithm = encryptionAlgorithm(input, "EncryptionAlgorithm");
  if (algorithm instanceof Rejection) return algorithm;
  const key = kms.resolveKey(caller, keyId, true, "NotFoundException");
  if (key instanceof Rejection) return key;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  const refused =
    kms.countStoreRequest(key.CustomKeyStoreId) ??
    access.authorizeKey(kms, caller, "kms:Encrypt", key, { context, presented, keyIdAsGiven: keyId, encryptionAlgorithm: algorithm }) ??
    checkAlgorithm(algorithm) ??
    checkKeyState("Encrypt", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  if (isDryRun(input)) return dryRunSucceeded();
  const sealed = seal(kms, key, plaintext, context);
  const blob = sealed instanceof SealInHsm ? sealed.blob((yield sealed.failover) as HsmAnswer) : sealed;
  if (blob instanceof Rejection) return blob;
  return ok({ CiphertextBlob: blob, KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
}

export function* Decrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const blob = ignoresCiphertext(input) ? undefined : requiredBlob(input, "CiphertextBlob", 1, 6144);
  if (blob instanceof Rejection) return blob;
  const keyId = optionalString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const context = encryptionContext(input, "EncryptionContext");
  if (context instanceof Rejection) return context;
  const algorithm = encryptionAlgorithm(input, "EncryptionAlgorithm");
  if (algorithm instanceof Rejection) return algorithm;
  const source = blob === undefined ? keyWithoutCiphertext(kms, caller, input, "KeyId") : sourceKey(kms, caller, blob, keyId);
  if (source instanceof Rejection) return source;
  const { key } = source;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  const refused =
    kms.countStoreRequest(key.CustomKeyStoreId) ??
    access.authorizeKey(kms, caller, "kms:Decrypt", key, {
      context,
      presented,
      encryptionAlgorithm: algorithm,
      keyIdAsGiven: keyId, // undefined without a KeyId: read as absent
    }) ??
    checkAlgorithm(algorithm) ?? // an asymmetric algorithm on a symmetric ciphertext: its key cannot use it
    checkKeyState("Decrypt", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  if (isDryRun(input) || source.sealed === undefined) return dryRunSucceeded();
  const opened = open(kms, key, source.iv, source.sealed, context);
  const plaintext = opened instanceof OpenInHsm ? opened.plaintext((yield opened.failover) as HsmAnswer) : opened;
  if (plaintext instanceof Rejection) return plaintext;
  return ok(withKeyMaterialId({ KeyId: key.Arn, Plaintext: toBase64(plaintext), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }, key));
}

/** A dry run's source key under IGNORE_CIPHERTEXT: the one `field` names, with no ciphertext read. */
function keyWithoutCiphertext(
  kms: VirtualKms,
  caller: string,
  input: JsonObject,
  field: string,
): { key: KeyRecord; iv?: undefined; sealed?: undefined } | Rejection {
  const keyId = keyInsteadOfCiphertext(input, field);
  if (keyId instanceof Rejection) return keyId;
  const key = kms.resolveKey(caller, keyId, true, "NotFoundException");
  return key instanceof Rejection ? key : { key };
}

/** GenerateDataKey(WithoutPlaintext): exactly one of KeySpec and NumberOfBytes (spec §8.2). */
function* dataKey(
  kms: VirtualKms,
  caller: string,
  input: JsonObject,
  operation: "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext",
): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const keySpec = optionalEnum(input, "KeySpec", ["AES_256", "AES_128"] as const);
  if (keySpec instanceof Rejection) return keySpec;
  const numberOfBytes = optionalInteger(input, "NumberOfBytes", 1, 1024);
  if (numberOfBytes instanceof Rejection) return numberOfBytes;
  const context = encryptionContext(input, "EncryptionContext");
  if (context instanceof Rejection) return context;
  if ((keySpec === undefined) === (numberOfBytes === undefined))
    return new Rejection("ValidationException", "Please specify either number of bytes or key spec.");
  const key = kms.resolveKey(caller, keyId, true, "NotFoundException");
  if (key instanceof Rejection) return key;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  const refused =
    kms.countStoreRequest(key.CustomKeyStoreId) ??
    access.authorizeKey(kms, caller, DATA_KEY_ACTIONS[operation], key, { context, presented, keyIdAsGiven: keyId }) ??
    checkKeyState(operation, key, kms.keyState(key));
  if (refused !== undefined) return refused;
  if (isDryRun(input)) return dryRunSucceeded();
  const plaintext = kms.dataKeyPrng.bytes(numberOfBytes ?? DATA_KEY_BYTES[keySpec!]); // unrelated to caller and key (§8.2)
  const sealed = seal(kms, key, plaintext, context);
  const blob = sealed instanceof SealInHsm ? sealed.blob((yield sealed.failover) as HsmAnswer) : sealed;
  if (blob instanceof Rejection) return blob;
  const output: JsonObject = { CiphertextBlob: blob };
  if (operation === "GenerateDataKey") output["Plaintext"] = toBase64(plaintext);
  output["KeyId"] = key.Arn;
  return ok(withKeyMaterialId(output, key));
}

export function GenerateDataKey(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  return dataKey(kms, caller, input, "GenerateDataKey");
}

export function GenerateDataKeyWithoutPlaintext(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  return dataKey(kms, caller, input, "GenerateDataKeyWithoutPlaintext");
}

/**
 * ReEncrypt (spec §8.2): opens the blob under its own key (kms:ReEncryptFrom) and seals the plaintext
 * under the destination key (kms:ReEncryptTo), which may be the same key; both keys must be usable.
 */
export function* ReEncrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const blob = ignoresCiphertext(input) ? undefined : requiredBlob(input, "CiphertextBlob", 1, 6144);
  if (blob instanceof Rejection) return blob;
  const destinationId = requiredString(input, "DestinationKeyId", 1, 2048);
  if (destinationId instanceof Rejection) return destinationId;
  const sourceId = optionalString(input, "SourceKeyId", 1, 2048);
  if (sourceId instanceof Rejection) return sourceId;
  const sourceContext = encryptionContext(input, "SourceEncryptionContext");
  if (sourceContext instanceof Rejection) return sourceContext;
  const destinationContext = encryptionContext(input, "DestinationEncryptionContext");
  if (destinationContext instanceof Rejection) return destinationContext;
  const sourceAlgorithm = encryptionAlgorithm(input, "SourceEncryptionAlgorithm");
  if (sourceAlgorithm instanceof Rejection) return sourceAlgorithm;
  const destinationAlgorithm = encryptionAlgorithm(input, "DestinationEncryptionAlgorithm");
  if (destinationAlgorithm instanceof Rejection) return destinationAlgorithm;
  const opened = blob === undefined ? keyWithoutCiphertext(kms, caller, input, "SourceKeyId") : sourceKey(kms, caller, blob, sourceId);
  if (opened instanceof Rejection) return opened;
  const { key: source } = opened;
  const destination = kms.resolveKey(caller, destinationId, true, "NotFoundException");
  if (destination instanceof Rejection) return destination;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  const throttled =
    kms.countStoreRequest(source.CustomKeyStoreId) ??
    (destination.CustomKeyStoreId !== source.CustomKeyStoreId ? kms.countStoreRequest(destination.CustomKeyStoreId) : undefined);
  if (throttled !== undefined) return throttled;
  const conditions = { "kms:ReEncryptOnSameKey": [source.Arn === destination.Arn ? "true" : "false"] };
  const refused =
    access.authorizeKey(kms, caller, "kms:ReEncryptFrom", source, {
      context: sourceContext,
      presented,
      conditions,
      encryptionAlgorithm: sourceAlgorithm,
      ...(sourceId !== undefined ? { keyIdAsGiven: sourceId } : {}),
    }) ??
    access.authorizeKey(kms, caller, "kms:ReEncryptTo", destination, {
      context: destinationContext,
      presented,
      conditions,
      encryptionAlgorithm: destinationAlgorithm,
      keyIdAsGiven: destinationId,
    }) ??
    checkAlgorithm(sourceAlgorithm) ??
    checkAlgorithm(destinationAlgorithm) ??
    checkKeyState("ReEncrypt", source, kms.keyState(source)) ??
    checkKeyState("ReEncrypt", destination, kms.keyState(destination));
  if (refused !== undefined) return refused;
  if (isDryRun(input) || opened.sealed === undefined) return dryRunSucceeded();
  const opening = open(kms, source, opened.iv, opened.sealed, sourceContext);
  const plaintext = opening instanceof OpenInHsm ? opening.plaintext((yield opening.failover) as HsmAnswer) : opening;
  if (plaintext instanceof Rejection) return plaintext;
  const sealing = seal(kms, destination, plaintext, destinationContext);
  const resealed = sealing instanceof SealInHsm ? sealing.blob((yield sealing.failover) as HsmAnswer) : sealing;
  if (resealed instanceof Rejection) return resealed;
  const output: JsonObject = {
    CiphertextBlob: resealed,
    SourceKeyId: source.Arn,
    KeyId: destination.Arn,
    SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  };
  withKeyMaterialId(output, source, "SourceKeyMaterialId");
  withKeyMaterialId(output, destination, "DestinationKeyMaterialId");
  output["DestinationEncryptionAlgorithm"] = "SYMMETRIC_DEFAULT";
  return ok(output);
}

/**
 * GenerateRandom (spec §8.2): NumberOfBytes random bytes; with CustomKeyStoreId, from an HSM of the
 * store's cluster, which must be CONNECTED. IAM only (§9.1). No HSM answering is
 * DependencyTimeoutException [MODEL CHOICE: KMSInvalidStateException is not among its errors].
 */
export function* GenerateRandom(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const numberOfBytes = optionalInteger(input, "NumberOfBytes", 1, 1024);
  if (numberOfBytes instanceof Rejection) return numberOfBytes;
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  if (numberOfBytes === undefined)
    return new Rejection(
      "ValidationException",
      "1 validation error detected: Value null at 'NumberOfBytes' failed to satisfy constraint: Member must not be null",
    );
  const denied = access.authorizeIam(kms, caller, "kms:GenerateRandom");
  if (denied !== undefined) return denied;
  if (storeId === undefined) return ok({ Plaintext: toBase64(kms.dataKeyPrng.bytes(numberOfBytes)) });
  const store = kms.storeOf(caller, storeId);
  if (store === undefined) return new Rejection("CustomKeyStoreNotFoundException", "The specified custom key store was not found.");
  const throttled = kms.countStoreRequest(storeId);
  if (throttled !== undefined) return throttled;
  if (store.ConnectionState !== "CONNECTED")
    return new Rejection("CustomKeyStoreInvalidStateException", `Custom key store ${storeId} is not connected.`);
  const cluster = kms.cluster(store.CloudHsmClusterId);
  const answer =
    cluster === undefined ? undefined : ((yield kms.hsm.askAny(cluster, { op: "GenerateRandom", numberOfBytes })) as HsmAnswer);
  if (answer === undefined)
    return new Rejection("DependencyTimeoutException", `KMS cannot communicate with the CloudHSM cluster ${store.CloudHsmClusterId}.`);
  if (!answer.ok || answer.bytes === undefined)
    return new Rejection("KMSInternalException", `The CloudHSM cluster ${store.CloudHsmClusterId} did not generate random bytes.`);
  return ok({ Plaintext: toBase64(answer.bytes) });
}
