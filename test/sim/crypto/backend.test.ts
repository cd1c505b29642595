// The two crypto backends are interchangeable: over generated keys, IVs, AAD and plaintexts of 0..4096
// bytes, @noble/ciphers (cached) and node:crypto seal to the same bytes as each other and as noble's
// own gcm(), each opens the other's ciphertext, and a tampered ciphertext, tag, IV or AAD opens on
// neither. Backends are made the way a World makes them (select.ts).
import fc from "fast-check";
import { gcm } from "@noble/ciphers/aes.js";
import { describe, expect, it } from "vitest";
import { CRYPTO_BACKENDS, isCryptoBackendName } from "../../../sim/crypto/backend.ts";
import { cryptoBackend } from "../../../sim/crypto/select.ts";

const noble = cryptoBackend("noble");
const node = cryptoBackend("node");
const hex = (b: Uint8Array | undefined) => (b === undefined ? "undefined" : Buffer.from(b).toString("hex"));

const inputs = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  iv: fc.uint8Array({ minLength: 12, maxLength: 12 }),
  aad: fc.uint8Array({ maxLength: 300 }),
  plaintext: fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 4096 })),
});

/** Which part of (iv, aad, sealed) a tampering flips a bit in, and where. */
const tampering = fc.record({ part: fc.constantFrom("sealed", "iv", "aad"), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) });

describe("crypto backends (noble, node) agree byte for byte", () => {
  it("makes the backends by name, and knows only those", () => {
    expect(noble.name).toBe("noble");
    expect(node.name).toBe("node");
    expect(cryptoBackend().name).toBe("noble");
    expect(CRYPTO_BACKENDS).toEqual(["noble", "node"]);
    expect(isCryptoBackendName("openssl")).toBe(false);
    expect(() => cryptoBackend("openssl" as never)).toThrow(/no backend 'openssl'/);
  });

  it("seal to the same bytes as each other and as noble's gcm(), and open each other's", () => {
    fc.assert(
      fc.property(inputs, ({ key, iv, aad, plaintext }) => {
        const a = noble.seal(key, iv, aad, plaintext);
        const b = node.seal(key, iv, aad, plaintext);
        expect(hex(a)).toBe(hex(b));
        expect(hex(a)).toBe(hex(gcm(key, iv, aad).encrypt(plaintext)));
        expect(a.length).toBe(plaintext.length + 16);
        expect(hex(noble.open(key, iv, aad, b))).toBe(hex(plaintext));
        expect(hex(node.open(key, iv, aad, a))).toBe(hex(plaintext));
      }),
      { numRuns: 300 },
    );
  });

  it("open nothing on either side once a bit of the ciphertext, tag, IV or AAD is flipped", () => {
    fc.assert(
      fc.property(inputs, tampering, ({ key, iv, aad, plaintext }, { part, at, bit }) => {
        const sealed = noble.seal(key, iv, aad, plaintext);
        const target = part === "sealed" ? sealed.slice() : part === "iv" ? iv.slice() : aad.slice();
        fc.pre(target.length > 0);
        target[at % target.length]! ^= 1 << bit;
        const args = [key, part === "iv" ? target : iv, part === "aad" ? target : aad, part === "sealed" ? target : sealed] as const;
        expect(noble.open(...args)).toBeUndefined();
        expect(node.open(...args)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("open nothing from fewer bytes than a tag, or from a tag cut short", () => {
    const key = new Uint8Array(32).fill(7);
    const iv = new Uint8Array(12).fill(1);
    const sealed = noble.seal(key, iv, new Uint8Array(), Uint8Array.from([1, 2, 3]));
    for (const backend of [noble, node]) {
      expect(backend.open(key, iv, new Uint8Array(), sealed.subarray(0, 15))).toBeUndefined();
      expect(backend.open(key, iv, new Uint8Array(), sealed.subarray(0, sealed.length - 1))).toBeUndefined();
      expect(hex(backend.open(key, iv, new Uint8Array(), sealed))).toBe("010203");
    }
  });

  it("keep one key's cached state apart from another's", () => {
    fc.assert(
      fc.property(inputs, fc.uint8Array({ minLength: 32, maxLength: 32 }), ({ key, iv, aad, plaintext }, other) => {
        fc.pre(hex(key) !== hex(other));
        const first = noble.seal(key, iv, aad, plaintext);
        noble.seal(other, iv, aad, plaintext);
        expect(hex(noble.seal(key, iv, aad, plaintext))).toBe(hex(first));
        expect(noble.open(other, iv, aad, first)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
