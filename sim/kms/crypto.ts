// The crypto path of the virtual KMS (spec §8): Encrypt and Decrypt. A ciphertext blob is
// [version 0x01][ARN length][key ARN][12-byte IV][AES-256-GCM ciphertext + tag]; the AAD is the key
// ARN and the canonical encryption context, so a blob opens only under its own key and context.
// AWS_KMS keys are sealed by the KMS; AWS_CLOUDHSM keys inside an HSM reached over the network.
import { gcm } from "@noble/ciphers/aes.js";
import type { Proc } from "../kernel/process.ts";
import { ok, type JsonObject, type Outcome } from "../step.ts";
import { associatedData, toBase64, utf8 } from "../wire/encoding.ts";
import type { VirtualKms } from "./kms.ts";
import { checkKeyState } from "./key-states.ts";
import type { KeyRecord } from "./state.ts";
import { encryptionContext, optionalString, reject, requiredBlob, requiredString } from "../wire/validate.ts";

const BLOB_VERSION = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;

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
    arn: new TextDecoder().decode(blob.subarray(2, ivStart)),
    iv: blob.subarray(ivStart, ivStart + IV_BYTES),
    sealed: blob.subarray(ivStart + IV_BYTES),
  };
}

export function* Encrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  const plaintext = requiredBlob(input, "Plaintext", 1, 4096);
  const context = encryptionContext(input, "EncryptionContext");
  const key = kms.resolveKey(caller, keyId, true);
  kms.countStoreRequest(key);
  kms.authorizeKey(caller, "kms:Encrypt", key);
  checkKeyState("Encrypt", key, kms.keyState(key));
  const iv = kms.ivPrng.bytes(IV_BYTES);
  const aad = associatedData(key.Arn, context);
  let sealed: Uint8Array;
  if (key.material !== undefined) sealed = gcm(key.material, iv, aad).encrypt(plaintext);
  else {
    const cluster = kms.storeCluster(key) ?? cannotReachCluster(key);
    const answer = yield* kms.hsm.askAny(cluster, { op: "Encrypt", handle: backingHandle(key), iv, plaintext, aad }, ["KEY_NOT_FOUND"]);
    if (answer === undefined) cannotReachCluster(key);
    if (!answer.ok || answer.bytes === undefined) reject("KMSInvalidStateException", `The key material for ${key.Arn} is not available in its CloudHSM cluster.`);
    sealed = answer.bytes;
  }
  return ok({ CiphertextBlob: toBase64(encodeBlob(key.Arn, iv, sealed)), KeyId: key.Arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
}

export function* Decrypt(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const blob = requiredBlob(input, "CiphertextBlob", 1, 6144);
  const keyId = optionalString(input, "KeyId", 1, 2048);
  const context = encryptionContext(input, "EncryptionContext");
  const parts = decodeBlob(blob) ?? invalidCiphertext();
  const key = kms.keys.get(parts.arn) ?? invalidCiphertext();
  if (keyId !== undefined && kms.resolveKey(caller, keyId, true).Arn !== key.Arn) {
    reject("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
  }
  kms.countStoreRequest(key);
  kms.authorizeKey(caller, "kms:Decrypt", key);
  checkKeyState("Decrypt", key, kms.keyState(key));
  const aad = associatedData(key.Arn, context);
  let plaintext: Uint8Array;
  if (key.material !== undefined) {
    try {
      plaintext = gcm(key.material, parts.iv, aad).decrypt(parts.sealed);
    } catch {
      invalidCiphertext();
    }
  } else {
    const cluster = kms.storeCluster(key) ?? cannotReachCluster(key);
    const answer = yield* kms.hsm.askAny(cluster, { op: "Decrypt", handle: backingHandle(key), iv: parts.iv, ciphertext: parts.sealed, aad }, ["KEY_NOT_FOUND"]);
    if (answer === undefined) cannotReachCluster(key);
    if (!answer.ok && answer.code === "DECRYPT_FAILED") invalidCiphertext();
    if (!answer.ok || answer.bytes === undefined) reject("KMSInvalidStateException", `The key material for ${key.Arn} is not available in its CloudHSM cluster.`);
    plaintext = answer.bytes;
  }
  return ok({ KeyId: key.Arn, Plaintext: toBase64(plaintext), EncryptionAlgorithm: "SYMMETRIC_DEFAULT" });
}
