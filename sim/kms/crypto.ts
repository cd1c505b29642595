// The crypto path of the virtual KMS (spec §8): Encrypt, Decrypt, GenerateDataKey,
// GenerateDataKeyWithoutPlaintext, ReEncrypt, GenerateRandom. A ciphertext blob is
// [version 0x01][ARN length][key ARN][12-byte IV][AES-256-GCM ciphertext + tag]; the AAD is the key
// ARN and the canonical encryption context, so a blob opens only under its own key and context.
// AWS_KMS keys are sealed by the KMS (with the world's crypto backend); AWS_CLOUDHSM keys inside an
// HSM reached over the network.
// Check order §16: validation, key, store quota, authorization, key state, cluster, ciphertext.
import type { Proc } from "../kernel/process.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { associatedData, toBase64, utf8 } from "../wire/encoding.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import { checkGrantTokens } from "./grant-authority.ts";
import { checkKeyState } from "./key-states.ts";
import type { KeyRecord } from "./state.ts";
import {
  encryptionContext,
  optionalEnum,
  optionalInteger,
  optionalString,
  reject,
  requiredBlob,
  requiredString,
} from "../wire/validate.ts";

const BLOB_VERSION = 0x01;
const UTF8 = new TextDecoder();
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** DataKeySpec → data key length in bytes (spec §1). */
const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/**
 * The key material an output names (KMS service model: Decrypt's and GenerateDataKey*'s KeyMaterialId,
 * ReEncrypt's Source/DestinationKeyMaterialId): a key's CurrentKeyMaterialId, which only AWS_KMS keys have.
 */
function materialOf(key: KeyRecord, field: string): JsonObject {
  return key.materialId !== undefined ? { [field]: key.materialId } : {};
}

function invalidCiphertext(): never {
  reject("InvalidCiphertextException", "");
}

function cannotReachCluster(key: KeyRecord): never {
  reject("KMSInvalidStateException", `KMS cannot communicate with the CloudHSM cluster ${key.CloudHsmClusterId} of ${key.Arn}.`);
}

function backingHandle(key: KeyRecord): string {
  if (key.backingKeyHandle === undefined) throw new Error(`kms: CloudHSM key ${key.Arn} has no backing key handle`);
  return key.backingKeyHandle;
}

function encodeBlob(arn: string, iv: Uint8Array, sealed: Uint8Array): Uint8Array {
  const arnBytes = utf8(arn);
  if (arnBytes.length > 255) throw new Error(`kms: key ARN too long for a blob: ${arn}`);
  const blob = new Uint8Array(2 + arnBytes.length + IV_BYTES + sealed.length);
  blob[0] = BLOB_VERSION;
  blob[1] = arnBytes.length;
  blob.set(arnBytes, 2);
  blob.set(iv, 2 + arnBytes.length);
  blob.set(sealed, 2 + arnBytes.length + IV_BYTES);
  return blob;
}

function decodeBlob(blob: Uint8Array): { arn: string; iv: Uint8Array; sealed: Uint8Array } | undefined {
  if (blob.length < 2 || blob[0] !== BLOB_VERSION) return undefined;
  const arnLength = blob[1]!;
  const ivStart = 2 + arnLength;
  if (blob.length < ivStart + IV_BYTES + TAG_BYTES) return undefined;
  return {
    arn: UTF8.decode(blob.subarray(2, ivStart)),
    iv: blob.subarray(ivStart, ivStart + IV_BYTES),
    sealed: blob.subarray(ivStart + IV_BYTES),
  };
}

/** Seals `plaintext` under `key` and `context`: a ciphertext blob (in an HSM for a CloudHSM key). */
function* seal(kms: VirtualKms, key: KeyRecord, plaintext: Uint8Array, context: Record<string, string>): Proc<Uint8Array> {
  const iv = kms.ivPrng.bytes(IV_BYTES);
  const aad = associatedData(key.Arn, context);
  if (key.material !== undefined) return encodeBlob(key.Arn, iv, kms.ctx.crypto.seal(key.material, iv, aad, plaintext));
  const cluster = kms.storeCluster(key) ?? cannotReachCluster(key);
  const answer = yield* kms.hsm.askAny(cluster, { op: "Encrypt", handle: backingHandle(key), iv, plaintext, aad }, ["KEY_NOT_FOUND"]);
  if (answer === undefined) cannotReachCluster(key);
  if (!answer.ok || answer.bytes === undefined)
    reject("KMSInvalidStateException", `The key material for ${key.Arn} is not available in its CloudHSM cluster.`);
  return encodeBlob(key.Arn, iv, answer.bytes);
}

/** The key a blob names, or InvalidCiphertextException; with `keyId`, it must be that key (IncorrectKeyException). */
function sourceKey(
  kms: VirtualKms,
  caller: string,
  blob: Uint8Array,
  keyId: string | undefined,
): { key: KeyRecord; iv: Uint8Array; sealed: Uint8Array } {
  const parts = decodeBlob(blob) ?? invalidCiphertext();
  const key = kms.keys.get(parts.arn) ?? invalidCiphertext();
  if (keyId !== undefined && kms.resolveKey(caller, keyId, true, "NotFoundException").Arn !== key.Arn) {
    reject("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
  }
  return { key, iv: parts.iv, sealed: parts.sealed };
}

/** Opens a blob's sealed part under its key and `context`, or InvalidCiphertextException. */
function* open(kms: VirtualKms, key: KeyRecord, iv: Uint8Array, sealed: Uint8Array, context: Record<string, string>): Proc<Uint8Array> {
  const aad = associatedData(key.Arn, context);
  if (key.material !== undefined) return kms.ctx.crypto.open(key.material, iv, aad, sealed) ?? invalidCiphertext();
  const cluster = kms.storeCluster(key) ?? cannotReachCluster(key);
  const answer = yield* kms.hsm.askAny(cluster, { op: "Decrypt", handle: backingHandle(key), iv, ciphertext: sealed, aad }, [
    "KEY_NOT_FOUND",
  ]);
  if (answer === undefined) cannotReachCluster(key);
  if (!answer.ok && answer.code === "DECRYPT_FAILED") invalidCiphertext();
  if (!answer.ok || answer.bytes === undefined)
    reject("KMSInvalidStateException", `The key material for ${key.Arn} is not available in its CloudHSM cluster.`);
  return answer.bytes;
}

export function* Encrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  const plaintext = requiredBlob(input, "Plaintext", 1, 4096);
  const context = encryptionContext(input, "EncryptionContext");
  const key = kms.resolveKey(caller, keyId, true, "NotFoundException");
  const presented = checkGrantTokens(kms, input);
  kms.countStoreRequest(key.CustomKeyStoreId);
  access.authorizeKey(kms, caller, "kms:Encrypt", key, { context, presented, keyIdAsGiven: keyId });
  checkKeyState("Encrypt", key, kms.keyState(key));
  const blob = yield* seal(kms, key, plaintext, context);
  return ok({ CiphertextBlob: toBase64(blob), KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
}

export function* Decrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const blob = requiredBlob(input, "CiphertextBlob", 1, 6144);
  const keyId = optionalString(input, "KeyId", 1, 2048);
  const context = encryptionContext(input, "EncryptionContext");
  const { key, iv, sealed } = sourceKey(kms, caller, blob, keyId);
  const presented = checkGrantTokens(kms, input);
  kms.countStoreRequest(key.CustomKeyStoreId);
  access.authorizeKey(kms, caller, "kms:Decrypt", key, { context, presented, ...(keyId !== undefined ? { keyIdAsGiven: keyId } : {}) });
  checkKeyState("Decrypt", key, kms.keyState(key));
  const plaintext = yield* open(kms, key, iv, sealed, context);
  return ok({
    KeyId: key.Arn,
    Plaintext: toBase64(plaintext),
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    ...materialOf(key, "KeyMaterialId"),
  });
}

/** GenerateDataKey(WithoutPlaintext): exactly one of KeySpec and NumberOfBytes (spec §8.2). */
function* dataKey(
  kms: VirtualKms,
  caller: string,
  input: JsonObject,
  operation: "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext",
): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  const keySpec = optionalEnum(input, "KeySpec", ["AES_256", "AES_128"] as const);
  const numberOfBytes = optionalInteger(input, "NumberOfBytes", 1, 1024);
  const context = encryptionContext(input, "EncryptionContext");
  if ((keySpec === undefined) === (numberOfBytes === undefined))
    reject("ValidationException", "Please specify either number of bytes or key spec.");
  const key = kms.resolveKey(caller, keyId, true, "NotFoundException");
  const presented = checkGrantTokens(kms, input);
  kms.countStoreRequest(key.CustomKeyStoreId);
  access.authorizeKey(kms, caller, `kms:${operation}`, key, { context, presented, keyIdAsGiven: keyId });
  checkKeyState(operation, key, kms.keyState(key));
  const plaintext = kms.dataKeyPrng.bytes(numberOfBytes ?? DATA_KEY_BYTES[keySpec!]); // unrelated to caller and key (§8.2)
  const blob = yield* seal(kms, key, plaintext, context);
  return ok({
    CiphertextBlob: toBase64(blob),
    ...(operation === "GenerateDataKey" ? { Plaintext: toBase64(plaintext) } : {}),
    KeyId: key.Arn,
    ...materialOf(key, "KeyMaterialId"),
  });
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
  const blob = requiredBlob(input, "CiphertextBlob", 1, 6144);
  const destinationId = requiredString(input, "DestinationKeyId", 1, 2048);
  const sourceId = optionalString(input, "SourceKeyId", 1, 2048);
  const sourceContext = encryptionContext(input, "SourceEncryptionContext");
  const destinationContext = encryptionContext(input, "DestinationEncryptionContext");
  const { key: source, iv, sealed } = sourceKey(kms, caller, blob, sourceId);
  const destination = kms.resolveKey(caller, destinationId, true, "NotFoundException");
  const presented = checkGrantTokens(kms, input);
  kms.countStoreRequest(source.CustomKeyStoreId);
  if (destination.CustomKeyStoreId !== source.CustomKeyStoreId) kms.countStoreRequest(destination.CustomKeyStoreId);
  const conditions = { "kms:ReEncryptOnSameKey": [source.Arn === destination.Arn ? "true" : "false"] };
  access.authorizeKey(kms, caller, "kms:ReEncryptFrom", source, {
    context: sourceContext,
    presented,
    conditions,
    ...(sourceId !== undefined ? { keyIdAsGiven: sourceId } : {}),
  });
  access.authorizeKey(kms, caller, "kms:ReEncryptTo", destination, {
    context: destinationContext,
    presented,
    conditions,
    keyIdAsGiven: destinationId,
  });
  checkKeyState("ReEncrypt", source, kms.keyState(source));
  checkKeyState("ReEncrypt", destination, kms.keyState(destination));
  const plaintext = yield* open(kms, source, iv, sealed, sourceContext);
  const resealed = yield* seal(kms, destination, plaintext, destinationContext);
  return ok({
    CiphertextBlob: toBase64(resealed),
    SourceKeyId: source.Arn,
    KeyId: destination.Arn,
    SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    ...materialOf(source, "SourceKeyMaterialId"),
    ...materialOf(destination, "DestinationKeyMaterialId"),
    DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  });
}

/**
 * GenerateRandom (spec §8.2): NumberOfBytes random bytes; with CustomKeyStoreId, from an HSM of the
 * store's cluster, which must be CONNECTED. IAM only (§9.1). No HSM answering is
 * DependencyTimeoutException [MODEL CHOICE: KMSInvalidStateException is not among its errors].
 */
export function* GenerateRandom(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const numberOfBytes = optionalInteger(input, "NumberOfBytes", 1, 1024);
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  if (numberOfBytes === undefined)
    reject(
      "ValidationException",
      "1 validation error detected: Value null at 'NumberOfBytes' failed to satisfy constraint: Member must not be null",
    );
  access.authorizeIam(kms, caller, "kms:GenerateRandom");
  if (storeId === undefined) return ok({ Plaintext: toBase64(kms.dataKeyPrng.bytes(numberOfBytes)) });
  const store = kms.storeOf(caller, storeId) ?? reject("CustomKeyStoreNotFoundException", "The specified custom key store was not found.");
  kms.countStoreRequest(storeId);
  if (store.ConnectionState !== "CONNECTED") reject("CustomKeyStoreInvalidStateException", `Custom key store ${storeId} is not connected.`);
  const cluster = kms.cluster(store.CloudHsmClusterId);
  const answer = cluster === undefined ? undefined : yield* kms.hsm.askAny(cluster, { op: "GenerateRandom", numberOfBytes });
  if (answer === undefined)
    reject("DependencyTimeoutException", `KMS cannot communicate with the CloudHSM cluster ${store.CloudHsmClusterId}.`);
  if (!answer.ok || answer.bytes === undefined)
    reject("KMSInternalException", `The CloudHSM cluster ${store.CloudHsmClusterId} did not generate random bytes.`);
  return ok({ Plaintext: toBase64(answer.bytes) });
}
