// AES-256-GCM (NIST SP 800-38D), pure JavaScript, the default backend ("noble"). Of @noble/ciphers it
// keeps the AES key expansion (`expandKeyLE`); the block function is ours (sim/crypto/aes-block.ts: the
// classic 4 KiB T-table round, where noble's merged tables are 640 KiB and miss L2 inside a KMS call),
// and so is GHASH's table (sim/crypto/keyed-ghash.ts: one typed array, where noble's is 640 objects per
// key). The per-key work is done once per key, not on every call as noble's gcm() does (~12.7 of 14.2 µs
// of a 32-byte seal, measured): the round keys and the GHASH table of H = E_K(0^128) are kept per key
// material (a WeakMap, gone with the material). Byte for byte the same as noble's own gcm() and
// node:crypto (test/sim/crypto/backend.test.ts, over generated inputs), and the NIST/McGrew–Viega vectors.
import { unsafe } from "@noble/ciphers/aes.js";
import { encryptBlockWords } from "./aes-block.ts";
import { checkKeyAndIv, TAG_BYTES, type CryptoBackend } from "./backend.ts";
import { byteSwap, KeyedGhash } from "./keyed-ghash.ts";
import { unzeroedBytes } from "./unzeroed-bytes.ts";
import { leWord, writeLeWord } from "./words.ts";

interface ExpandedKey {
  /** The AES round keys. */
  xk: Uint32Array;
  ghash: KeyedGhash;
}

/** E_K of the counter block IV || counter (a 96-bit IV and a 32-bit big-endian counter), as four words into `block`. */
function keystream(xk: Uint32Array, iv: Uint8Array, counter: number, block: Uint32Array): Uint32Array {
  encryptBlockWords(xk, leWord(iv, 0), leWord(iv, 4), leWord(iv, 8), byteSwap(counter), block);
  return block;
}

/**
 * GCTR from counter 2 (J0 + 1): the first `length` bytes of `out` = those of `src` xor the keystream
 * (SP 800-38D §6.5); `block` is scratch. A length rather than a subarray: no view to allocate per call.
 */
function gctr(xk: Uint32Array, iv: Uint8Array, src: Uint8Array, length: number, out: Uint8Array, block: Uint32Array): void {
  const iv0 = leWord(iv, 0);
  const iv1 = leWord(iv, 4);
  const iv2 = leWord(iv, 8);
  for (let at = 0, counter = 2; at < length; at += 16, counter = (counter + 1) >>> 0) {
    encryptBlockWords(xk, iv0, iv1, iv2, byteSwap(counter), block);
    if (at + 16 <= length) {
      xorWord(src, out, at, block[0]!);
      xorWord(src, out, at + 4, block[1]!);
      xorWord(src, out, at + 8, block[2]!);
      xorWord(src, out, at + 12, block[3]!);
    } else {
      for (let i = at; i < length; i++) out[i] = src[i]! ^ (block[(i - at) >> 2]! >>> (8 * (i & 3)));
    }
  }
}

function xorWord(src: Uint8Array, out: Uint8Array, i: number, word: number): void {
  out[i] = src[i]! ^ word;
  out[i + 1] = src[i + 1]! ^ (word >>> 8);
  out[i + 2] = src[i + 2]! ^ (word >>> 16);
  out[i + 3] = src[i + 3]! ^ (word >>> 24);
}

export class NobleGcm implements CryptoBackend {
  readonly name = "noble" as const;
  private readonly keys = new WeakMap<Uint8Array, ExpandedKey>();
  /** One keystream block, written and read within one call (no allocation per block). */
  private readonly block = new Uint32Array(4);

  private expanded(key: Uint8Array): ExpandedKey {
    let expanded = this.keys.get(key);
    if (expanded === undefined) {
      const xk = unsafe.expandKeyLE(key);
      const h = new Uint8Array(16); // H = E_K(0^128)
      encryptBlockWords(xk, 0, 0, 0, 0, this.block);
      this.block.forEach((word, i) => writeLeWord(h, 4 * i, word));
      expanded = { xk, ghash: new KeyedGhash(h) };
      this.keys.set(key, expanded);
    }
    return expanded;
  }

  seal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    checkKeyAndIv(key, iv);
    const { xk, ghash } = this.expanded(key);
    const length = plaintext.length;
    const out = unzeroedBytes(length + TAG_BYTES); // gctr writes the ciphertext, finishInto the tag
    gctr(xk, iv, plaintext, length, out, this.block);
    ghash.begin().absorb(aad, aad.length).absorb(out, length).absorbLengths(aad.length, length);
    ghash.finishInto(keystream(xk, iv, 1, this.block), out, length); // tag = GHASH xor E_K(J0)
    return out;
  }

  open(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
    checkKeyAndIv(key, iv);
    if (sealed.length < TAG_BYTES) return undefined;
    const { xk, ghash } = this.expanded(key);
    const length = sealed.length - TAG_BYTES;
    ghash.begin().absorb(aad, aad.length).absorb(sealed, length).absorbLengths(aad.length, length);
    // Verify before decrypting, as noble does, so unauthenticated plaintext is never made.
    if (!ghash.matches(keystream(xk, iv, 1, this.block), sealed, length)) return undefined;
    const out = unzeroedBytes(length);
    gctr(xk, iv, sealed, length, out, this.block); // writes every byte
    return out;
  }
}
