// Crypto rules (spec §8): Encrypt and Decrypt on symmetric keys. The model treats a ciphertext as an
// opaque token: it remembers what each blob the KMS returned stands for (key, plaintext, context),
// and a blob it never saw is InvalidCiphertextException with an empty message (§8.3, issue 4).
// Check order §16; Decrypt identifies its key from the blob before resolving KeyId [MODEL CHOICE].
import { needKey, keyState, resolveKey } from "./keys.ts";
import type { Branch, CallContext } from "./context.ts";
import { any, okPattern } from "./pattern.ts";
import { blob, context, refuse, text } from "./refuse.ts";
import { clusterOf, copy, failover, type ModelKey } from "./state.ts";

/**
 * §5.5 fn 1 and fn 11, then §8.1 step 4: an Enabled key, and for a CloudHSM key an HSM that is
 * reached, answers, is logged in to by the KMS and holds the key material (HSMs lacking it are passed over).
 */
function requireUsable(ctx: CallContext, key: ModelKey): void {
  const state = keyState(ctx.state, key);
  if (state === "Disabled") refuse("DisabledException", `${key.arn} is disabled.`);
  if (state === "Unavailable") refuse("KMSInvalidStateException", `${key.arn} is unavailable.`);
  if (key.storeId === undefined) return;
  const store = ctx.state.stores.find((s) => s.id === key.storeId);
  const cluster = store === undefined ? undefined : clusterOf(ctx.state, store.clusterId);
  const answer = cluster === undefined ? undefined : failover(cluster, (hsm) => {
    if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
    return hsm.labels.includes(key.arn) ? "ok" : "KEY_NOT_FOUND";
  }, ["KEY_NOT_FOUND"]);
  if (answer !== "ok") refuse("KMSInvalidStateException");
}

function sameContext(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && b[k] === a[k]);
}

export function Encrypt(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const plaintext = blob(ctx.input, "Plaintext", 1, 4096);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const key = resolveKey(ctx, keyId, true);
  needKey(ctx, "kms:Encrypt", key);
  requireUsable(ctx, key);
  return [{
    outcome: okPattern({ CiphertextBlob: any("blob"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
    next: (actual) => {
      const made = actual.ok ? actual.output["CiphertextBlob"] : undefined;
      if (typeof made !== "string") throw new Error("model: Encrypt matched without a CiphertextBlob");
      const next = copy(ctx.state);
      next.ciphertexts[made] = { keyArn: key.arn, plaintext, context: encryptionContext };
      return next;
    },
  }];
}

export function Decrypt(ctx: CallContext): Branch[] {
  const ciphertext = blob(ctx.input, "CiphertextBlob", 1, 6144);
  const keyId = text(ctx.input, "KeyId", 1, 2048, false);
  const encryptionContext = context(ctx.input, "EncryptionContext");
  const made = ctx.state.ciphertexts[ciphertext] ?? refuse("InvalidCiphertextException", "");
  const key = ctx.state.keys.find((k) => k.arn === made.keyArn) ?? refuse("InvalidCiphertextException", "");
  if (keyId !== undefined && resolveKey(ctx, keyId, true).arn !== key.arn) refuse("IncorrectKeyException");
  needKey(ctx, "kms:Decrypt", key);
  requireUsable(ctx, key);
  if (!sameContext(made.context, encryptionContext)) refuse("InvalidCiphertextException", "");
  return [{
    outcome: okPattern({ KeyId: key.arn, Plaintext: made.plaintext, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" }),
    next: () => ctx.state,
  }];
}
