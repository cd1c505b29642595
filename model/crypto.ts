// Crypto rules (spec §8): Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
// ReEncrypt, GenerateRandom on symmetric keys. The model treats a ciphertext as an opaque token: it
// remembers what each blob the KMS returned stands for (key, plaintext, context), and a blob it never
// saw is InvalidCiphertextException with an empty message (§8.3). A data key's bytes are the KMS's
// to draw; the model learns them from the answer (or, without plaintext, from the first Decrypt).
// Check order §16; a blob names its key before KeyId is resolved [MODEL CHOICE].
import { needKey, needState, resolveKey } from "./keys.ts";
import { checkGrantTokens } from "./grants.ts";
import { needIam, type Branch, type CallContext } from "./context.ts";
import { any, errorPattern, okPattern } from "../protocol/pattern.ts";
import { blob, context, keeping, oneOf, refuse, Refusal, text } from "./refuse.ts";
import { clusterOf, copy, failover, type MidCall, type ModelCiphertext, type ModelKey, type ModelState } from "./state.ts";

/** DataKeySpec → bytes (§1). */
const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/** The base64 length in bytes of a blob the model was given (validated already). */
const bytesOf = (b64: string): number => (b64.length / 4) * 3 - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);

/**
 * §8.1 step 4: for a CloudHSM key, an HSM that is reached, answers, is logged in to by the KMS and
 * holds the key's object (HSMs lacking it are passed over); else KMSInvalidStateException.
 * `attemptBase` numbers this call's HSM attempts after those of an earlier failover in the same call.
 */
function requireCluster(ctx: CallContext, key: ModelKey, attemptBase = 0): void {
  if (key.storeId === undefined) return;
  const store = ctx.state.stores.find((s) => s.id === key.storeId);
  const found = store === undefined ? undefined : clusterOf(ctx.state, store.clusterId);
  const cluster = found === undefined ? undefined : structuredClone(found); // a fault in flight may land on it
  const midCall: MidCall | undefined =
    ctx.midCall === undefined ? undefined : (attempt, point, c) => ctx.midCall!(attempt + attemptBase, point, c);
  const answer =
    cluster === undefined
      ? undefined
      : failover(
          cluster,
          (hsm) => {
            if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
            return key.backing !== undefined && hsm.objects.includes(key.backing) ? "ok" : "KEY_NOT_FOUND";
          },
          ["KEY_NOT_FOUND"],
          midCall,
        );
  if (answer !== "ok") refuse("KMSInvalidStateException");
}

function sameContext(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * §11.2: a request in a custom key store counts against the store's quota over the last second; past
 * it, ThrottlingException (not counted). Counted once the key (or store) is known [MODEL CHOICE].
 * Returns the state with it counted; whatever the rule refuses after this keeps that state.
 */
function countStoreRequest(ctx: CallContext, state: ModelState, storeId: string | undefined): ModelState {
  if (storeId === undefined) return state;
  const next = copy(state);
  const recent = (next.storeRequests[storeId] ?? []).filter((t) => t > ctx.nowUs - 1_000_000);
  next.storeRequests[storeId] = recent;
  if (recent.length >= ctx.world.storeRequestsPerSecond) {
    throw new Refusal(
      errorPattern("ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."),
      next,
    );
  }
  recent.push(ctx.nowUs);
  return next;
}

/** The ciphertext a blob stands for and its key, or InvalidCiphertextException; `keyId` must name that key. */
function source(ctx: CallContext, ciphertext: string, keyId: string | undefined): { made: ModelCiphertext; key: ModelKey } {
  const made = ctx.state.ciphertexts[ciphertext] ?? refuse("InvalidCiphertextException", "");
  const key = ctx.state.keys.find((k) => k.arn === made.keyArn) ?? refuse("InvalidCiphertextException", "");
  if (keyId !== undefined && resolveKey(ctx, keyId, true).arn !== key.arn) refuse("IncorrectKeyException");
  return { made, key };
}

/** The state after a new blob (the actual answer's `CiphertextBlob`) is handed out. */
function remember(state: ModelState, actualBlob: unknown, made: ModelCiphertext): ModelState {
  if (typeof actualBlob !== "string") throw new Error("model: a ciphertext answer matched without a CiphertextBlob");
  const next = copy(state);
  next.ciphertexts[actualBlob] = made;
  return next;
}

const output = (actual: Parameters<Branch["next"]>[0], name: string): unknown => (actual.ok ? actual.output[name] : undefined);

export function Encrypt(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const plaintext = blob(ctx.input, "Plaintext", 1, 4096);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const key = resolveKey(ctx, keyId, true);
  const presented = checkGrantTokens(ctx);
  const counted = countStoreRequest(ctx, ctx.state, key.storeId);
  return keeping(counted, () => {
    needKey(ctx, "kms:Encrypt", key, { context: encryptionContext, presented, keyIdAsGiven: keyId });
    needState(ctx, "Encrypt", key);
    requireCluster(ctx, key);
    return [
      {
        outcome: okPattern({ CiphertextBlob: any("blob"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
        next: (actual) =>
          remember(counted, output(actual, "CiphertextBlob"), {
            keyArn: key.arn,
            plaintext,
            bytes: bytesOf(plaintext),
            context: encryptionContext,
          }),
      },
    ];
  });
}

export function Decrypt(ctx: CallContext): Branch[] {
  const ciphertext = blob(ctx.input, "CiphertextBlob", 1, 6144);
  const keyId = text(ctx.input, "KeyId", 1, 2048, false);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const { made, key } = source(ctx, ciphertext, keyId);
  const presented = checkGrantTokens(ctx);
  const counted = countStoreRequest(ctx, ctx.state, key.storeId);
  return keeping(counted, () => {
    needKey(ctx, "kms:Decrypt", key, { context: encryptionContext, presented, ...(keyId !== undefined ? { keyIdAsGiven: keyId } : {}) });
    needState(ctx, "Decrypt", key);
    requireCluster(ctx, key);
    if (!sameContext(made.context, encryptionContext)) refuse("InvalidCiphertextException", "");
    return [
      {
        outcome: okPattern({
          KeyId: key.arn,
          Plaintext: made.plaintext ?? any("blob", made.bytes),
          EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        }),
        next: (actual) =>
          made.plaintext !== null ? counted : remember(counted, ciphertext, { ...made, plaintext: output(actual, "Plaintext") as string }),
      },
    ];
  });
}

function dataKey(ctx: CallContext, operation: "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext"): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const keySpec = oneOf(ctx.input, "KeySpec", ["AES_256", "AES_128"] as const);
  const numberRaw = ctx.input["NumberOfBytes"];
  const numberOfBytes =
    numberRaw === undefined || numberRaw === null
      ? undefined
      : typeof numberRaw === "number" && Number.isInteger(numberRaw) && numberRaw >= 1 && numberRaw <= 1024
        ? numberRaw
        : refuse("ValidationException");
  const encryptionContext = context(ctx.input, "EncryptionContext");
  if ((keySpec === undefined) === (numberOfBytes === undefined)) refuse("ValidationException"); // exactly one (§8.2)
  const bytes = numberOfBytes ?? DATA_KEY_BYTES[keySpec!];
  const key = resolveKey(ctx, keyId, true);
  const presented = checkGrantTokens(ctx);
  const counted = countStoreRequest(ctx, ctx.state, key.storeId);
  return keeping(counted, () => {
    needKey(ctx, `kms:${operation}`, key, { context: encryptionContext, presented, keyIdAsGiven: keyId });
    needState(ctx, operation, key);
    requireCluster(ctx, key);
    const withPlaintext = operation === "GenerateDataKey";
    return [
      {
        outcome: okPattern({ CiphertextBlob: any("blob"), ...(withPlaintext ? { Plaintext: any("blob", bytes) } : {}), KeyId: key.arn }),
        next: (actual) =>
          remember(counted, output(actual, "CiphertextBlob"), {
            keyArn: key.arn,
            plaintext: withPlaintext ? (output(actual, "Plaintext") as string) : null,
            bytes,
            context: encryptionContext,
          }),
      },
    ];
  });
}

export const GenerateDataKey = (ctx: CallContext): Branch[] => dataKey(ctx, "GenerateDataKey");
export const GenerateDataKeyWithoutPlaintext = (ctx: CallContext): Branch[] => dataKey(ctx, "GenerateDataKeyWithoutPlaintext");

/** §8.2: open under the source key (kms:ReEncryptFrom), seal under the destination (kms:ReEncryptTo); both usable. */
export function ReEncrypt(ctx: CallContext): Branch[] {
  const ciphertext = blob(ctx.input, "CiphertextBlob", 1, 6144);
  const destinationId = text(ctx.input, "DestinationKeyId", 1, 2048, true)!;
  const sourceId = text(ctx.input, "SourceKeyId", 1, 2048, false);
  const sourceContext = context(ctx.input, "SourceEncryptionContext");
  const destinationContext = context(ctx.input, "DestinationEncryptionContext");
  const { made, key: from } = source(ctx, ciphertext, sourceId);
  const to = resolveKey(ctx, destinationId, true);
  const presented = checkGrantTokens(ctx);
  let counted = countStoreRequest(ctx, ctx.state, from.storeId);
  return keeping(counted, () => {
    // A ReEncrypt counts once in each store it touches [MODEL CHOICE].
    if (to.storeId !== from.storeId) counted = countStoreRequest(ctx, counted, to.storeId);
    return keeping(counted, () => {
      const conditions = { "kms:ReEncryptOnSameKey": [String(from.arn === to.arn)] };
      needKey(ctx, "kms:ReEncryptFrom", from, {
        context: sourceContext,
        presented,
        conditions,
        ...(sourceId !== undefined ? { keyIdAsGiven: sourceId } : {}),
      });
      needKey(ctx, "kms:ReEncryptTo", to, { context: destinationContext, presented, conditions, keyIdAsGiven: destinationId });
      needState(ctx, "ReEncrypt", from);
      needState(ctx, "ReEncrypt", to);
      requireCluster(ctx, from);
      if (!sameContext(made.context, sourceContext)) refuse("InvalidCiphertextException", "");
      requireCluster(ctx, to, ctx.world.hsmsPerClusterMax);
      return [
        {
          outcome: okPattern({
            CiphertextBlob: any("blob"),
            SourceKeyId: from.arn,
            KeyId: to.arn,
            SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
            DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
          }),
          next: (actual) => remember(counted, output(actual, "CiphertextBlob"), { ...made, keyArn: to.arn, context: destinationContext }),
        },
      ];
    });
  });
}

/** §8.2: IAM only (§9.1); with CustomKeyStoreId, from an HSM of a CONNECTED store's cluster. */
export function GenerateRandom(ctx: CallContext): Branch[] {
  const raw = ctx.input["NumberOfBytes"];
  const numberOfBytes = typeof raw === "number" && Number.isInteger(raw) && raw >= 1 && raw <= 1024 ? raw : refuse("ValidationException");
  const storeId = text(ctx.input, "CustomKeyStoreId", 1, 64, false);
  needIam(ctx, "kms:GenerateRandom");
  const ok = [{ outcome: okPattern({ Plaintext: any("blob", numberOfBytes) }), next: () => ctx.state }];
  if (storeId === undefined) return ok;
  const store = ctx.state.stores.find((s) => s.id === storeId) ?? refuse("CustomKeyStoreNotFoundException");
  const counted = countStoreRequest(ctx, ctx.state, storeId);
  return keeping(counted, () => {
    if (store.state !== "CONNECTED") refuse("CustomKeyStoreInvalidStateException");
    const found = clusterOf(ctx.state, store.clusterId);
    const cluster = found === undefined ? undefined : structuredClone(found);
    const answer =
      cluster === undefined
        ? undefined
        : failover(cluster, () => (cluster.users["kmsuser"]?.session === "kms" ? "ok" : "NOT_LOGGED_IN"), [], ctx.midCall);
    if (answer === undefined) refuse("DependencyTimeoutException"); // [MODEL CHOICE] §8.2 lists no KMSInvalidStateException
    if (answer !== "ok") refuse("KMSInternalException");
    return [{ ...ok[0]!, next: () => counted }];
  });
}
