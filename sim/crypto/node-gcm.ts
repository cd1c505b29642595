// AES-256-GCM through node:crypto (OpenSSL). Only the cipher is used — nothing random comes from
// node:crypto here — so a run with this backend is as deterministic as one with @noble/ciphers. The
// key is wrapped as a KeyObject once per key material (a WeakMap, gone with the material).
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject } from "node:crypto";
import { checkKeyAndIv, TAG_BYTES, type CryptoBackend } from "./backend.ts";

export class NodeGcm implements CryptoBackend {
  readonly name = "node" as const;
  private readonly keys = new WeakMap<Uint8Array, KeyObject>();

  private keyObject(key: Uint8Array): KeyObject {
    let object = this.keys.get(key);
    if (object === undefined) {
      object = createSecretKey(key);
      this.keys.set(key, object);
    }
    return object;
  }

  seal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    checkKeyAndIv(key, iv);
    const cipher = createCipheriv("aes-256-gcm", this.keyObject(key), iv);
    cipher.setAAD(aad);
    const out = new Uint8Array(plaintext.length + TAG_BYTES);
    const body = cipher.update(plaintext);
    const rest = cipher.final();
    out.set(body, 0);
    out.set(rest, body.length);
    out.set(cipher.getAuthTag(), plaintext.length);
    return out;
  }

  open(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    checkKeyAndIv(key, iv);
    if (sealed.length < TAG_BYTES) return undefined;
    const length = sealed.length - TAG_BYTES;
    const decipher = createDecipheriv("aes-256-gcm", this.keyObject(key), iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(length));
    const out = new Uint8Array(length);
    const body = decipher.update(sealed.subarray(0, length));
    out.set(body, 0);
    try {
      out.set(decipher.final(), body.length);
    } catch {
      return undefined; // the tag did not verify
    }
    return out;
  }
}
