// The wire protocol between the virtual KMS and a virtual HSM: what a request asks for and what an
// HSM answers. Plain data, so the network can carry it without knowing what it means.

export type HsmRequest =
  /** Log kmsuser in with `password` and, in the same exchange, change its password to `newPassword`. */
  | { op: "LoginAndRotate"; password: string; newPassword: string }
  | { op: "Logout" }
  /** Generate a persistent AES-256 key owned by kmsuser, labelled `label` (the KMS key ARN); answers its handle. */
  | { op: "GenerateKey"; label: string }
  /** Crypto with the key object `handle` (the one GenerateKey answered). */
  | { op: "Encrypt"; handle: string; iv: Uint8Array; plaintext: Uint8Array; aad: Uint8Array }
  | { op: "Decrypt"; handle: string; iv: Uint8Array; ciphertext: Uint8Array; aad: Uint8Array }
  /** `numberOfBytes` random bytes from the HSM (GenerateRandom with a CustomKeyStoreId). */
  | { op: "GenerateRandom"; numberOfBytes: number }
  /** Delete the key objects labelled `label` (the KMS's best-effort deletion of a deleted key's material). */
  | { op: "DeleteKey"; label: string };

export type HsmOp = HsmRequest["op"];
export const HSM_OPS: readonly HsmOp[] = ["LoginAndRotate", "Logout", "GenerateKey", "Encrypt", "Decrypt", "GenerateRandom", "DeleteKey"];

export type HsmFailureCode =
  "USER_NOT_FOUND" | "INVALID_CREDENTIALS" | "USER_LOCKED_OUT" | "USER_LOGGED_IN" | "NOT_LOGGED_IN" | "KEY_NOT_FOUND" | "DECRYPT_FAILED";

export type HsmResponse = { ok: true; bytes?: Uint8Array; handle?: string } | { ok: false; code: HsmFailureCode };
