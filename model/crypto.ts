// Crypto rules (spec §8): Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext,
// ReEncrypt, GenerateRandom on symmetric keys. The model treats a ciphertext as an opaque token: it
// remembers what each blob the KMS returned stands for (key, plaintext, context), and a blob it never
// saw is InvalidCiphertextException with an empty message (§8.3). A data key's bytes are the KMS's
// to draw; the model learns them from the answer (or, without plaintext, from the first Decrypt).
// Check order §16; a blob names its key before KeyId is resolved [MODEL CHOICE]; the encryption algorithm
// (model/key-usage.ts) after authorization, before the key state. A dry run (model/dry-run.ts) stops after
// the key state, before the cluster and the ciphertext's context.
import { any, errorPattern, okPattern } from "../protocol/pattern.ts";
import type { Outcome } from "../protocol/step.ts";
import { needIam, needKey } from "./access.ts";
import { clusterOf, failover, type MidCall } from "./cluster.ts";
import { goesAhead, type Branch, type CallContext } from "./context.ts";
import { dryRunOf, wouldHaveSucceeded } from "./dry-run.ts";
import { checkGrantTokens, sameContext } from "./grant-authority.ts";
import { algorithmOf, needAlgorithm } from "./key-usage.ts";
import { callerStores, needState, resolveCryptoKey } from "./key-lookup.ts";
import { blob, context, integer, keeping, oneOf, optionalText, Refusal, refuse, refuseWith, requiredText, type Check } from "./refusal.ts";
import type { ModelCiphertext, ModelKey, ModelState } from "./state.ts";
import { draftCluster } from "./drafts.ts";
import { frozen } from "./frozen.ts";
import { changed } from "./state-change.ts";

/** DataKeySpec → bytes (§1). */
const DATA_KEY_BYTES = { AES_256: 32, AES_128: 16 } as const;

/** The base64 length in bytes of a blob the model was given (validated already). */
const bytesOf = (b64: string): number => (b64.length / 4) * 3 - (b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0);

/**
 * §8.1 step 4: for a CloudHSM key, an HSM that is reached, answers, is logged in to by the KMS and
 * holds the key's object (HSMs lacking it are passed over); else KMSInvalidStateException.
 * `attemptBase` numbers this call's HSM attempts after those of an earlier failover in the same call.
 */
function* requireCluster(ctx: CallContext, key: ModelKey, attemptBase = 0): Check<void> {
  if (key.storeId === undefined) return;
  const store = ctx.state.stores.find((s) => s.id === key.storeId);
  const found = store === undefined ? undefined : clusterOf(ctx.state, store.clusterId);
  const cluster = found === undefined ? undefined : draftCluster(found); // a fault in flight may land on it
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
  if (answer !== "ok") yield* refuse("KMSInvalidStateException");
}

/**
 * §11.2: a request in a custom key store counts against the store's quota over the last second; past
 * it, ThrottlingException (not counted). Counted once the key (or store) is known [MODEL CHOICE].
 * Returns the state with it counted; a rule refusing after this keeps that state (see `keeping`).
 */
function* countStoreRequest(ctx: CallContext, state: ModelState, storeId: string | undefined): Check<ModelState> {
  if (storeId === undefined) return state;
  const recent = (state.storeRequests[storeId] ?? []).filter((t) => t > ctx.nowUs - 1_000_000);
  if (recent.length >= ctx.world.storeRequestsPerSecond) {
    const throttled = changed(state, (next) => void (next.storeRequests = { ...next.storeRequests, [storeId]: recent }));
    const message = "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.";
    return yield* refuseWith(new Refusal(errorPattern("ThrottlingException", message), throttled));
  }
  return changed(state, (next) => void (next.storeRequests = { ...next.storeRequests, [storeId]: [...recent, ctx.nowUs] }));
}

/** The ciphertext a blob stands for and its key, or InvalidCiphertextException; `keyId` must name that key. */
function* source(ctx: CallContext, ciphertext: string, keyId: string | undefined): Check<{ made: ModelCiphertext; key: ModelKey }> {
  const made = ctx.state.ciphertexts[ciphertext] ?? (yield* refuse("InvalidCiphertextException", ""));
  const key = ctx.state.keys.find((k) => k.arn === made.keyArn) ?? (yield* refuse("InvalidCiphertextException", ""));
  if (keyId !== undefined && (yield* resolveCryptoKey(ctx, keyId)).arn !== key.arn) return yield* refuse("IncorrectKeyException");
  return { made, key };
}

const output = (actual: Outcome, name: string): unknown => (actual.ok ? actual.output[name] : undefined);

/**
 * The state after a new blob (the actual answer's `CiphertextBlob`) is handed out. The record of
 * ciphertexts grows all run long: it is copied frozen, its new entry frozen through, so freezing the
 * state after walks none of the entries it had (each frozen with the state that first held it).
 */
function remember(state: ModelState, actualBlob: unknown, made: ModelCiphertext): ModelState {
  if (typeof actualBlob !== "string") throw new Error("model: a ciphertext answer matched without a CiphertextBlob");
  return changed(state, (next) => void (next.ciphertexts = Object.freeze({ ...next.ciphertexts, [actualBlob]: frozen(made) })));
}

export function* Encrypt(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const plaintext = yield* blob(ctx.input, "Plaintext", 1, 4096);
  const encryptionContext = yield* context(ctx.input, "EncryptionContext");
  const algorithm = yield* algorithmOf(ctx.input, "EncryptionAlgorithm");
  const key = yield* resolveCryptoKey(ctx, keyId);
  const presented = yield* checkGrantTokens(ctx);
  const counted = yield* countStoreRequest(ctx, ctx.state, key.storeId);
  return yield* keeping(counted, function* () {
    yield* needKey(ctx, "kms:Encrypt", key, { context: encryptionContext, presented, keyIdAsGiven: keyId, encryptionAlgorithm: algorithm });
    yield* needAlgorithm(algorithm);
    yield* needState(ctx, "Encrypt", key);
    if (dryRunOf(ctx.input).on) return yield* wouldHaveSucceeded();
    yield* requireCluster(ctx, key);
    const made = { keyArn: key.arn, plaintext, bytes: bytesOf(plaintext), context: encryptionContext };
    return goesAhead(ctx, okPattern({ CiphertextBlob: any("blob"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }), (actual) =>
      remember(counted, output(actual, "CiphertextBlob"), made),
    );
  });
}

/** §2, §8.2: the key material an output names — the key's CurrentKeyMaterialId, which only AWS_KMS keys have. */
function materialOf(key: ModelKey, field: string): Record<string, string> {
  return key.materialId !== undefined ? { [field]: key.materialId } : {};
}

export function* Decrypt(ctx: CallContext): Check<Branch[]> {
  const dryRun = dryRunOf(ctx.input);
  const ciphertext = dryRun.ignoreCiphertext ? undefined : yield* blob(ctx.input, "CiphertextBlob", 1, 6144);
  const keyId = yield* optionalText(ctx.input, "KeyId", 1, 2048);
  const encryptionContext = yield* context(ctx.input, "EncryptionContext");
  const algorithm = yield* algorithmOf(ctx.input, "EncryptionAlgorithm");
  if (ciphertext === undefined) return yield* ignoringCiphertext(ctx, keyId, encryptionContext, algorithm);
  const { made, key } = yield* source(ctx, ciphertext, keyId);
  const presented = yield* checkGrantTokens(ctx);
  const counted = yield* countStoreRequest(ctx, ctx.state, key.storeId);
  return yield* keeping(counted, function* () {
    yield* needKey(ctx, "kms:Decrypt", key, {
      context: encryptionContext,
      presented,
      encryptionAlgorithm: algorithm,
      ...(keyId !== undefined ? { keyIdAsGiven: keyId } : {}),
    });
    // [MODEL CHOICE] A symmetric ciphertext with an asymmetric algorithm named: the key it names is
    // symmetric, so the algorithm does not suit it (InvalidKeyUsageException, not InvalidCiphertextException).
    yield* needAlgorithm(algorithm);
    yield* needState(ctx, "Decrypt", key);
    if (dryRun.on) return yield* wouldHaveSucceeded();
    yield* requireCluster(ctx, key);
    if (!sameContext(made.context, encryptionContext)) return yield* refuse("InvalidCiphertextException", "");
    const outcome = okPattern({
      KeyId: key.arn,
      Plaintext: made.plaintext ?? any("blob", made.bytes),
      EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      ...materialOf(key, "KeyMaterialId"),
    });
    return goesAhead(ctx, outcome, (actual) =>
      made.plaintext !== null ? counted : remember(counted, ciphertext, { ...made, plaintext: output(actual, "Plaintext") as string }),
    );
  });
}

/** A Decrypt dry run with IGNORE_CIPHERTEXT (model/dry-run.ts): the key is KeyId's, and nothing of a ciphertext is read. */
function* ignoringCiphertext(
  ctx: CallContext,
  keyId: string | undefined,
  encryptionContext: Record<string, string>,
  algorithm: string,
): Check<Branch[]> {
  const key = yield* resolveCryptoKey(ctx, keyId ?? (yield* refuse("ValidationException")));
  const presented = yield* checkGrantTokens(ctx);
  const counted = yield* countStoreRequest(ctx, ctx.state, key.storeId);
  return yield* keeping(counted, function* () {
    yield* needKey(ctx, "kms:Decrypt", key, {
      context: encryptionContext,
      presented,
      keyIdAsGiven: keyId!,
      encryptionAlgorithm: algorithm,
    });
    yield* needAlgorithm(algorithm);
    yield* needState(ctx, "Decrypt", key);
    return yield* wouldHaveSucceeded();
  });
}

function* dataKey(ctx: CallContext, operation: "GenerateDataKey" | "GenerateDataKeyWithoutPlaintext"): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const keySpec = yield* oneOf(ctx.input, "KeySpec", ["AES_256", "AES_128"] as const);
  const numberOfBytes = yield* integer(ctx.input, "NumberOfBytes", 1, 1024);
  const encryptionContext = yield* context(ctx.input, "EncryptionContext");
  if ((keySpec === undefined) === (numberOfBytes === undefined)) return yield* refuse("ValidationException"); // exactly one (§8.2)
  const bytes = numberOfBytes ?? DATA_KEY_BYTES[keySpec!];
  const key = yield* resolveCryptoKey(ctx, keyId);
  const presented = yield* checkGrantTokens(ctx);
  const counted = yield* countStoreRequest(ctx, ctx.state, key.storeId);
  return yield* keeping(counted, function* () {
    yield* needKey(ctx, `kms:${operation}`, key, { context: encryptionContext, presented, keyIdAsGiven: keyId });
    yield* needState(ctx, operation, key);
    if (dryRunOf(ctx.input).on) return yield* wouldHaveSucceeded();
    yield* requireCluster(ctx, key);
    const withPlaintext = operation === "GenerateDataKey";
    const outcome = okPattern({
      CiphertextBlob: any("blob"),
      ...(withPlaintext ? { Plaintext: any("blob", bytes) } : {}),
      KeyId: key.arn,
      ...materialOf(key, "KeyMaterialId"),
    });
    return goesAhead(ctx, outcome, (actual) =>
      remember(counted, output(actual, "CiphertextBlob"), {
        keyArn: key.arn,
        plaintext: withPlaintext ? (output(actual, "Plaintext") as string) : null,
        bytes,
        context: encryptionContext,
      }),
    );
  });
}

export const GenerateDataKey = (ctx: CallContext): Check<Branch[]> => dataKey(ctx, "GenerateDataKey");
export const GenerateDataKeyWithoutPlaintext = (ctx: CallContext): Check<Branch[]> => dataKey(ctx, "GenerateDataKeyWithoutPlaintext");

/** §8.2: open under the source key (kms:ReEncryptFrom), seal under the destination (kms:ReEncryptTo); both usable. */
export function* ReEncrypt(ctx: CallContext): Check<Branch[]> {
  const dryRun = dryRunOf(ctx.input);
  const ciphertext = dryRun.ignoreCiphertext ? undefined : yield* blob(ctx.input, "CiphertextBlob", 1, 6144);
  const destinationId = yield* requiredText(ctx.input, "DestinationKeyId", 1, 2048);
  const sourceId = yield* optionalText(ctx.input, "SourceKeyId", 1, 2048);
  const sourceContext = yield* context(ctx.input, "SourceEncryptionContext");
  const destinationContext = yield* context(ctx.input, "DestinationEncryptionContext");
  const sourceAlgorithm = yield* algorithmOf(ctx.input, "SourceEncryptionAlgorithm");
  const destinationAlgorithm = yield* algorithmOf(ctx.input, "DestinationEncryptionAlgorithm");
  // A dry run with IGNORE_CIPHERTEXT: the source key is SourceKeyId's (model/dry-run.ts).
  const { made, key: from } =
    ciphertext === undefined
      ? { made: undefined, key: yield* resolveCryptoKey(ctx, sourceId ?? (yield* refuse("ValidationException"))) }
      : yield* source(ctx, ciphertext, sourceId);
  const to = yield* resolveCryptoKey(ctx, destinationId);
  const presented = yield* checkGrantTokens(ctx);
  const countedOnce = yield* countStoreRequest(ctx, ctx.state, from.storeId);
  // A ReEncrypt counts once in each store it touches [MODEL CHOICE].
  const counted = to.storeId === from.storeId ? countedOnce : yield* countStoreRequest(ctx, countedOnce, to.storeId);
  return yield* keeping(counted, function* () {
    const conditions = { "kms:ReEncryptOnSameKey": [String(from.arn === to.arn)] };
    const fromAsGiven = sourceId !== undefined ? { keyIdAsGiven: sourceId } : {};
    const fromRequest = { context: sourceContext, presented, conditions, encryptionAlgorithm: sourceAlgorithm, ...fromAsGiven };
    yield* needKey(ctx, "kms:ReEncryptFrom", from, fromRequest);
    const toRequest = { context: destinationContext, presented, conditions, encryptionAlgorithm: destinationAlgorithm };
    yield* needKey(ctx, "kms:ReEncryptTo", to, { ...toRequest, keyIdAsGiven: destinationId });
    // [MODEL CHOICE] The source's algorithm is checked before the destination's, as its key is before.
    yield* needAlgorithm(sourceAlgorithm);
    yield* needAlgorithm(destinationAlgorithm);
    yield* needState(ctx, "ReEncrypt", from);
    yield* needState(ctx, "ReEncrypt", to);
    if (dryRun.on || made === undefined) return yield* wouldHaveSucceeded();
    yield* requireCluster(ctx, from);
    if (!sameContext(made.context, sourceContext)) return yield* refuse("InvalidCiphertextException", "");
    yield* requireCluster(ctx, to, ctx.world.hsmsPerClusterMax);
    const outcome = okPattern({
      CiphertextBlob: any("blob"),
      SourceKeyId: from.arn,
      KeyId: to.arn,
      SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      ...materialOf(from, "SourceKeyMaterialId"),
      ...materialOf(to, "DestinationKeyMaterialId"),
    });
    return goesAhead(ctx, outcome, (actual) =>
      remember(counted, output(actual, "CiphertextBlob"), { ...made, keyArn: to.arn, context: destinationContext }),
    );
  });
}

/** §8.2: IAM only (§9.1); with CustomKeyStoreId, from an HSM of a CONNECTED store's cluster. */
export function* GenerateRandom(ctx: CallContext): Check<Branch[]> {
  const numberOfBytes = (yield* integer(ctx.input, "NumberOfBytes", 1, 1024)) ?? (yield* refuse("ValidationException"));
  const storeId = yield* optionalText(ctx.input, "CustomKeyStoreId", 1, 64);
  yield* needIam(ctx, "kms:GenerateRandom");
  const outcome = okPattern({ Plaintext: any("blob", numberOfBytes) });
  if (storeId === undefined) return goesAhead(ctx, outcome);
  const store = callerStores(ctx).find((s) => s.id === storeId) ?? (yield* refuse("CustomKeyStoreNotFoundException"));
  const counted = yield* countStoreRequest(ctx, ctx.state, storeId);
  return yield* keeping(counted, function* () {
    if (store.state !== "CONNECTED") return yield* refuse("CustomKeyStoreInvalidStateException");
    const found = clusterOf(ctx.state, store.clusterId);
    const cluster = found === undefined ? undefined : draftCluster(found); // a fault in flight may land on it
    const answer =
      cluster === undefined
        ? undefined
        : failover(cluster, () => (cluster.users["kmsuser"]?.session === "kms" ? "ok" : "NOT_LOGGED_IN"), [], ctx.midCall);
    if (answer === undefined) return yield* refuse("DependencyTimeoutException"); // [MODEL CHOICE] §8.2 lists no KMSInvalidStateException
    if (answer !== "ok") return yield* refuse("KMSInternalException");
    return goesAhead(ctx, outcome, () => counted);
  });
}
