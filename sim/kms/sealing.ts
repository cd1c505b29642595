// Sealing and opening for the virtual KMS's crypto path (spec §8, §8.3, §8.4): a ciphertext blob is
// [version 0x01][ARN length][key ARN][12-byte IV][AES-256-GCM ciphertext + tag]; the AAD is the key
// ARN and the canonical encryption context, so a blob opens only under its own key and context.
// AWS_KMS keys are sealed by the KMS (with the world's crypto backend); AWS_CLOUDHSM keys inside an
// HSM reached over the network. Failures are Rejections with AWS's errors.
import type { Waiter } from "../kernel/process.ts";
import { associatedData, utf8 } from "../wire/encoding.ts";
import { Rejection } from "../wire/validate.ts";
import type { HsmAnswer } from "./hsm-client.ts";
import type { VirtualKms } from "./kms.ts";
import type { KeyRecord } from "./state.ts";
import type { HsmFailureCode } from "../hsm/messages.ts";

const BLOB_VERSION = 0x01;
/** The answer on which the KMS tries the next HSM: one lacking the key (not yet replicated to it). */
const NEXT_HSM_ON: readonly HsmFailureCode[] = ["KEY_NOT_FOUND"];
const UTF8 = new TextDecoder();
const IV_BYTES = 12;
const TAG_BYTES = 16;

function invalidCiphertext(): Rejection {
  return new Rejection("InvalidCiphertextException", "");
}

function cannotReachCluster(key: KeyRecord): Rejection {
  return new Rejection(
    "KMSInvalidStateException",
    `KMS cannot communicate with the CloudHSM cluster ${key.CloudHsmClusterId} of ${key.Arn}.`,
  );
}

function materialUnavailable(key: KeyRecord): Rejection {
  return new Rejection("KMSInvalidStateException", `The key material for ${key.Arn} is not available in its CloudHSM cluster.`);
}

function backingHandle(key: KeyRecord): string {
  if (key.backingKeyHandle === undefined) throw new Error(`kms: CloudHSM key ${key.Arn} has no backing key handle`);
  return key.backingKeyHandle;
}

/**
 * Per key, what every call on it would otherwise rebuild: a blob's header ([version][ARN length][ARN])
 * and the AAD of a call without an encryption context (most calls). Both follow from the key's ARN,
 * which never changes; gone with the record. Read only: the header is copied into each blob, the AAD
 * only read by the cipher.
 */
const perKey = new WeakMap<KeyRecord, { header: Uint8Array; aadWithoutContext: Uint8Array }>();

function keyBytes(key: KeyRecord): { header: Uint8Array; aadWithoutContext: Uint8Array } {
  let bytes = perKey.get(key);
  if (bytes === undefined) {
    const arnBytes = utf8(key.Arn);
    if (arnBytes.length > 255) throw new Error(`kms: key ARN too long for a blob: ${key.Arn}`);
    const header = new Uint8Array(2 + arnBytes.length);
    header[0] = BLOB_VERSION;
    header[1] = arnBytes.length;
    header.set(arnBytes, 2);
    bytes = { header, aadWithoutContext: associatedData(key.Arn, {}) };
    perKey.set(key, bytes);
  }
  return bytes;
}

/** The AAD of a call on `key` with `context` (the per-key one when the context is empty). */
function aadOf(key: KeyRecord, context: Record<string, string>): Uint8Array {
  return isEmpty(context) ? keyBytes(key).aadWithoutContext : associatedData(key.Arn, context);
}

function isEmpty(context: Record<string, string>): boolean {
  for (const name in context) if (Object.hasOwn(context, name)) return false;
  return true;
}

/**
 * Where a blob is assembled to be written out in base64, the only form a caller ever takes it in: one
 * buffer for the run, grown when a blob is longer, so no blob is an array of its own (an allocation,
 * and for Node's pool a new 8 KiB store every few dozen calls). Each blob writes all of its bytes
 * before they are read, and nothing keeps the buffer past the encoding.
 */
let blobScratch = Buffer.allocUnsafeSlow(2 + 255 + IV_BYTES + 4096 + TAG_BYTES);

/** The blob of `sealed` under `key` with `iv`, in base64. */
function encodeBlob(key: KeyRecord, iv: Uint8Array, sealed: Uint8Array): string {
  const { header } = keyBytes(key);
  const length = header.length + IV_BYTES + sealed.length;
  if (length > blobScratch.length) blobScratch = Buffer.allocUnsafeSlow(length);
  blobScratch.set(header, 0);
  blobScratch.set(iv, header.length);
  blobScratch.set(sealed, header.length + IV_BYTES);
  return blobScratch.toString("base64", 0, length);
}

function decodeBlob(blob: Uint8Array): { arn: string; iv: Uint8Array; sealed: Uint8Array } | undefined {
  if (blob.length < 2 || blob[0] !== BLOB_VERSION) return undefined;
  const arnLength = blob[1]!;
  const ivStart = 2 + arnLength;
  if (blob.length < ivStart + IV_BYTES + TAG_BYTES) return undefined;
  return {
    arn: arnOf(blob, ivStart),
    iv: blob.subarray(ivStart, ivStart + IV_BYTES),
    sealed: blob.subarray(ivStart + IV_BYTES),
  };
}

/**
 * The ARN a blob names, the last one read kept with its bytes: most blobs name the key the blob before
 * named, and its bytes compared in place cost less than a decode into a new string, which the key
 * lookup then hashes again (the kept one was hashed once). The same text either way. Compared by one
 * native Buffer.compare: a loop reading the two arrays a byte at a time cost a 32-byte Decrypt's
 * 75-byte ARN ~1,100 instructions more.
 */
let lastArnBytes = new Uint8Array(0);
let lastArn = "";

function arnOf(blob: Uint8Array, ivStart: number): string {
  if (lastArnBytes.length === ivStart - 2 && Buffer.compare(blob.subarray(2, ivStart), lastArnBytes) === 0) return lastArn;
  lastArnBytes = blob.slice(2, ivStart);
  lastArn = UTF8.decode(lastArnBytes);
  return lastArn;
}

/**
 * The IV of the seal in progress: drawn into this one array, not a new one each seal (a typed array is
 * among the dearest small objects to make). A world runs one call at a time and the blob copies the IV
 * out before the call ends. An HSM request sent before may still be served after a later seal has drawn
 * another IV — a request whose wait had timed out, its reply unread: an Encrypt served changes nothing
 * in the HSM, so the IV it reads does not matter.
 */
const ivScratch = new Uint8Array(IV_BYTES);

/**
 * A seal in an HSM, waiting on the cluster: the process yields `failover` (HsmClient.askAny), then `blob`
 * reads its answer. Returned by seal rather than seal being a generator: a generator frame between the
 * handler and the failover cost a step through it on every resumption.
 */
export class SealInHsm {
  constructor(
    readonly failover: Waiter,
    private readonly key: KeyRecord,
    private readonly iv: Uint8Array,
  ) {}

  /** The ciphertext blob in base64, or the Rejection the answer comes to. */
  blob(answer: HsmAnswer): string | Rejection {
    if (answer === undefined) return cannotReachCluster(this.key);
    if (!answer.ok || answer.bytes === undefined) return materialUnavailable(this.key);
    return encodeBlob(this.key, this.iv, answer.bytes);
  }
}

/**
 * Seals `plaintext` under `key` and `context`: a ciphertext blob in base64 (sealed by the KMS for an
 * AWS_KMS key), a Rejection, or, for a CloudHSM key, the seal waiting on its HSM.
 */
export function seal(
  kms: VirtualKms,
  key: KeyRecord,
  plaintext: Uint8Array,
  context: Record<string, string>,
): string | Rejection | SealInHsm {
  const iv = kms.ivPrng.fill(ivScratch);
  const aad = aadOf(key, context);
  if (key.material !== undefined) return encodeBlob(key, iv, kms.ctx.crypto.seal(key.material, iv, aad, plaintext));
  const cluster = kms.storeCluster(key);
  if (cluster === undefined) return cannotReachCluster(key);
  return new SealInHsm(kms.hsm.askAny(cluster, { op: "Encrypt", handle: backingHandle(key), iv, plaintext, aad }, NEXT_HSM_ON), key, iv);
}

/** What a ciphertext blob holds, with the key it names. */
export interface Opened {
  key: KeyRecord;
  iv: Uint8Array;
  sealed: Uint8Array;
}

/** The key a blob names, or InvalidCiphertextException; with `keyId`, it must be that key (IncorrectKeyException). */
export function sourceKey(kms: VirtualKms, caller: string, blob: Uint8Array, keyId: string | undefined): Opened | Rejection {
  const parts = decodeBlob(blob);
  if (parts === undefined) return invalidCiphertext();
  const key = kms.keys.get(parts.arn);
  if (key === undefined) return invalidCiphertext();
  if (keyId !== undefined) {
    const named = kms.resolveKey(caller, keyId, true, "NotFoundException");
    if (named instanceof Rejection) return named;
    // AWS's text, as LocalStack's AWS-validated snapshot recorded it (test_error_messaging_for_invalid_keys).
    if (named.Arn !== key.Arn)
      return new Rejection("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");
  }
  return { key, iv: parts.iv, sealed: parts.sealed };
}

/** An open in an HSM, waiting on the cluster: the process yields `failover`, then `plaintext` reads its answer (as SealInHsm). */
export class OpenInHsm {
  constructor(
    readonly failover: Waiter,
    private readonly key: KeyRecord,
  ) {}

  /** The plaintext, or the Rejection the answer comes to. */
  plaintext(answer: HsmAnswer): Uint8Array | Rejection {
    if (answer === undefined) return cannotReachCluster(this.key);
    if (!answer.ok && answer.code === "DECRYPT_FAILED") return invalidCiphertext();
    if (!answer.ok || answer.bytes === undefined) return materialUnavailable(this.key);
    return answer.bytes;
  }
}

/**
 * Opens a blob's sealed part under its key and `context`: the plaintext (opened by the KMS for an
 * AWS_KMS key), InvalidCiphertextException or another Rejection, or, for a CloudHSM key, the open
 * waiting on its HSM.
 */
export function open(
  kms: VirtualKms,
  key: KeyRecord,
  iv: Uint8Array,
  sealed: Uint8Array,
  context: Record<string, string>,
): Uint8Array | Rejection | OpenInHsm {
  const aad = aadOf(key, context);
  if (key.material !== undefined) return kms.ctx.crypto.open(key.material, iv, aad, sealed) ?? invalidCiphertext();
  const cluster = kms.storeCluster(key);
  if (cluster === undefined) return cannotReachCluster(key);
  return new OpenInHsm(
    kms.hsm.askAny(cluster, { op: "Decrypt", handle: backingHandle(key), iv, ciphertext: sealed, aad }, NEXT_HSM_ON),
    key,
  );
}
