// Crypto rules (spec §8): Encrypt and Decrypt on symmetric keys. The model treats a ciphertext as an
// opaque token: it remembers what each blob the KMS returned stands for (key, plaintext, context),
// and a blob it never saw is InvalidCiphertextException with an empty message (§8.3, issue 4).
// Check order §16; Decrypt identifies its key from the blob before resolving KeyId [MODEL CHOICE].
import { needKey, needState, resolveKey } from "./keys.ts";
import type { Branch, CallContext } from "./context.ts";
import { any, errorPattern, okPattern } from "./pattern.ts";
import { blob, context, keeping, refuse, Refusal, text } from "./refuse.ts";
import { clusterOf, copy, failover, type ModelKey } from "./state.ts";

/**
 * §5.5 fn 1 and fn 11, then §8.1 step 4: an Enabled key, and for a CloudHSM key an HSM that is
 * reached, answers, is logged in to by the KMS and holds the key material (HSMs lacking it are passed over).
 */
function requireUsable(ctx: CallContext, operation: string, key: ModelKey): void {
  needState(ctx, operation, key);
  if (key.storeId === undefined) return;
  const store = ctx.state.stores.find((s) => s.id === key.storeId);
  const found = store === undefined ? undefined : clusterOf(ctx.state, store.clusterId);
  const cluster = found === undefined ? undefined : structuredClone(found); // a fault in flight may land on it
  const answer = cluster === undefined ? undefined : failover(cluster, (hsm) => {
    if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
    return key.backing !== undefined && hsm.objects.includes(key.backing) ? "ok" : "KEY_NOT_FOUND";
  }, ["KEY_NOT_FOUND"], ctx.midCall);
  if (answer !== "ok") refuse("KMSInvalidStateException");
}

function sameContext(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

/**
 * §11.2: a CloudHSM key's request counts against its store's quota over the last second; past it,
 * ThrottlingException (not counted). Counted once the key is known [MODEL CHOICE]. Returns the
 * context whose state has it counted; whatever the rule refuses after this keeps that state.
 */
function countStoreRequest(ctx: CallContext, key: ModelKey): CallContext {
  if (key.storeId === undefined) return ctx;
  const state = copy(ctx.state);
  const recent = (state.storeRequests[key.storeId] ?? []).filter((t) => t > ctx.nowUs - 1_000_000);
  state.storeRequests[key.storeId] = recent;
  if (recent.length >= ctx.world.storeRequestsPerSecond) {
    throw new Refusal(errorPattern("ThrottlingException", "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls."), state);
  }
  recent.push(ctx.nowUs);
  return { ...ctx, state };
}

export function Encrypt(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const plaintext = blob(ctx.input, "Plaintext", 1, 4096);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const key = resolveKey(ctx, keyId, true);
  const counted = countStoreRequest(ctx, key);
  return keeping(counted.state, () => {
    needKey(counted, "kms:Encrypt", key);
    requireUsable(counted, "Encrypt", key);
    return [{
      outcome: okPattern({ CiphertextBlob: any("blob"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
      next: (actual) => {
        const made = actual.ok ? actual.output["CiphertextBlob"] : undefined;
        if (typeof made !== "string") throw new Error("model: Encrypt matched without a CiphertextBlob");
        const next = copy(counted.state);
        next.ciphertexts[made] = { keyArn: key.arn, plaintext, context: encryptionContext };
        return next;
      },
    }];
  });
}

export function Decrypt(ctx: CallContext): Branch[] {
  const ciphertext = blob(ctx.input, "CiphertextBlob", 1, 6144);
  const keyId = text(ctx.input, "KeyId", 1, 2048, false);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const made = ctx.state.ciphertexts[ciphertext] ?? refuse("InvalidCiphertextException", "");
  const key = ctx.state.keys.find((k) => k.arn === made.keyArn) ?? refuse("InvalidCiphertextException", "");
  if (keyId !== undefined && resolveKey(ctx, keyId, true).arn !== key.arn) refuse("IncorrectKeyException");
  const counted = countStoreRequest(ctx, key);
  return keeping(counted.state, () => {
    needKey(counted, "kms:Decrypt", key);
    requireUsable(counted, "Decrypt", key);
    if (!sameContext(made.context, encryptionContext)) refuse("InvalidCiphertextException", "");
    return [{
      outcome: okPattern({ KeyId: key.arn, Plaintext: made.plaintext, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
      next: () => counted.state,
    }];
  });
}
