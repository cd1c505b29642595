// Our T-table AES block function against @noble/ciphers' own (`unsafe.encrypt`, under the same round
// keys from `unsafe.expandKeyLE`) on generated keys of each AES size and generated blocks, and against
// the FIPS-197 Appendix C example vectors, so a wrong table entry or byte lane cannot hide.
import fc from "fast-check";
import { unsafe } from "@noble/ciphers/aes.js";
import { describe, expect, it } from "vitest";
import { encryptBlockWords } from "../../../sim/crypto/aes-block.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const words = (block: Uint8Array) =>
  [0, 4, 8, 12].map((i) => block[i]! | (block[i + 1]! << 8) | (block[i + 2]! << 16) | (block[i + 3]! << 24));
const bytes = (w: Uint32Array) => Buffer.from(w.buffer, w.byteOffset, 16).toString("hex"); // little-endian words, as on this host

describe("aes-block (T-table AES encryption of one block)", () => {
  it("equals noble's unsafe.encrypt for generated keys of 16, 24 and 32 bytes and generated blocks", () => {
    const key = fc.oneof(...[16, 24, 32].map((n) => fc.uint8Array({ minLength: n, maxLength: n })));
    const word = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(key, fc.tuple(word, word, word, word), (k, [s0, s1, s2, s3]) => {
        const xk = unsafe.expandKeyLE(k);
        const ours = new Uint32Array(4);
        encryptBlockWords(xk, s0, s1, s2, s3, ours);
        const theirs = unsafe.encrypt(xk, s0, s1, s2, s3);
        expect([...ours]).toEqual([theirs.s0, theirs.s1, theirs.s2, theirs.s3].map((w) => w >>> 0));
      }),
      { numRuns: 1000 },
    );
  });

  // FIPS-197 Appendix C.1–C.3: plaintext 00112233…ff under keys 000102…
  const plaintext = hex("00112233445566778899aabbccddeeff");
  for (const [key, ciphertext] of [
    ["000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"],
    ["000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"],
    ["000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"],
  ] as const) {
    it(`FIPS-197 Appendix C, AES-${key.length * 4}`, () => {
      const out = new Uint32Array(4);
      const [s0, s1, s2, s3] = words(plaintext);
      encryptBlockWords(unsafe.expandKeyLE(hex(key)), s0!, s1!, s2!, s3!, out);
      expect(bytes(out)).toBe(ciphertext);
    });
  }
});
