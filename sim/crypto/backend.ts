// The AES-256-GCM that the virtual HSMs and the virtual KMS (for AWS_KMS keys) seal and open with,
// as an interface with two implementations: @noble/ciphers, pure JavaScript (the default), and
// node:crypto (OpenSSL). Keys and IVs always come from the caller (the seeded PRNG), so both give the
// same bytes and a run's trace does not depend on which one ran. Chosen per World, through its config
// (select.ts makes one).

export const CRYPTO_BACKENDS = ["noble", "node"] as const;
export type CryptoBackendName = (typeof CRYPTO_BACKENDS)[number];

/** AES-256-GCM with a 16-byte tag appended to the ciphertext. */
export interface CryptoBackend {
  readonly name: CryptoBackendName;
  /** Encrypts `plaintext` under the 32-byte `key` and 12-byte `iv`, authenticating `aad`: ciphertext || tag. */
  seal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Opens ciphertext || tag; undefined when the tag does not verify (an answer, not a crash). */
  open(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined;
}

export const TAG_BYTES = 16;
export const KEY_BYTES = 32;
export const IV_BYTES = 12;

export function isCryptoBackendName(value: unknown): value is CryptoBackendName {
  return (CRYPTO_BACKENDS as readonly unknown[]).includes(value);
}

/** A programmer error, not an operating one: every caller passes a 32-byte key and a 12-byte IV. */
export function checkKeyAndIv(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new Error(`aes-256-gcm: key must be ${KEY_BYTES} bytes, not ${key.length}`);
  if (iv.length !== IV_BYTES) throw new Error(`aes-256-gcm: iv must be ${IV_BYTES} bytes, not ${iv.length}`);
}
