// GHASH (NIST SP 800-38D §6.4) under one hash subkey H, reusable across messages, as @noble/ciphers'
// GHASH computes it with its 4-bit window (its choice for 1..64 KiB messages): a table, per window of
// four bits of the block and each value of those bits, of the sum of the multiples H·x^i the set bits
// stand for, so that a block's product with H is 32 table lookups. The table is built here, into one
// typed array, because noble's constructor builds it as 512 four-word objects (and 128 more for the
// multiples): about 35 KB per key, kept for the key's life, so promoted to the old generation. Blocks
// are fed as words read straight from the bytes, without the copies and typed-array views noble's
// update() makes per call (most of the cost of a short message).
import { leWord, paddedLeWord, writeLeWord } from "./words.ts";

/** Bits of a block each table lookup covers. */
const WINDOW_BITS = 4;
/** Windows in a 128-bit block. */
const WINDOWS = 128 / WINDOW_BITS;
/** Table entries per window: one per value of its bits. */
const WINDOW_VALUES = 1 << WINDOW_BITS;
/** Words of one table entry (a 128-bit field element). */
const ENTRY_WORDS = 4;
/** Words of the table for one window. */
const WINDOW_WORDS = WINDOW_VALUES * ENTRY_WORDS;

/** GCM's reduction polynomial R = 11100001 || 0^120, its top byte (SP 800-38D §6.3). */
const POLY = 0xe1;

/** The multiples H·x^i of one window being tabled, `i` from its first bit, four words each (scratch). */
const windowMultiples = new Int32Array(WINDOW_BITS * ENTRY_WORDS);

export class KeyedGhash {
  /** The running GHASH value, as four little-endian words. */
  s0 = 0;
  s1 = 0;
  s2 = 0;
  s3 = 0;
  /** Per window, per value of its bits, the field element those bits multiply H into (noble's table, flat). */
  private readonly table = new Int32Array(WINDOWS * WINDOW_WORDS);

  constructor(h: Uint8Array) {
    if (h.length !== 16) throw new Error(`KeyedGhash: a hash subkey is 16 bytes, not ${h.length}`);
    let k0 = bigEndianWord(h, 0);
    let k1 = bigEndianWord(h, 4);
    let k2 = bigEndianWord(h, 8);
    let k3 = bigEndianWord(h, 12);
    const table = this.table;
    for (let w = 0; w < WINDOWS; w++) {
      for (let j = 0; j < WINDOW_BITS; j++) {
        windowMultiples[j * 4] = byteSwap(k0);
        windowMultiples[j * 4 + 1] = byteSwap(k1);
        windowMultiples[j * 4 + 2] = byteSwap(k2);
        windowMultiples[j * 4 + 3] = byteSwap(k3);
        // Times x: shift right by one bit, reducing by R when a bit falls off (noble's mul2).
        const carry = k3 & 1;
        k3 = (k2 << 31) | (k3 >>> 1);
        k2 = (k1 << 31) | (k2 >>> 1);
        k1 = (k0 << 31) | (k1 >>> 1);
        k0 = (k0 >>> 1) ^ ((POLY << 24) & -carry);
      }
      for (let value = 0; value < WINDOW_VALUES; value++) {
        let e0 = 0;
        let e1 = 0;
        let e2 = 0;
        let e3 = 0;
        for (let j = 0; j < WINDOW_BITS; j++) {
          if (((value >>> (WINDOW_BITS - j - 1)) & 1) === 0) continue;
          e0 ^= windowMultiples[j * 4]!;
          e1 ^= windowMultiples[j * 4 + 1]!;
          e2 ^= windowMultiples[j * 4 + 2]!;
          e3 ^= windowMultiples[j * 4 + 3]!;
        }
        const at = w * WINDOW_WORDS + value * ENTRY_WORDS;
        table[at] = e0;
        table[at + 1] = e1;
        table[at + 2] = e2;
        table[at + 3] = e3;
      }
    }
  }

  /**
   * Absorbs one block: the value becomes (value xor block)·H. The windows run over each word's bytes
   * from the least significant, the high four bits of a byte first (noble's order, SP 800-38D §6.3).
   */
  private updateBlock(b0: number, b1: number, b2: number, b3: number): void {
    const table = this.table;
    let o0 = 0;
    let o1 = 0;
    let o2 = 0;
    let o3 = 0;
    let window = 0;
    for (let k = 0; k < 4; k++) {
      const word = k === 0 ? b0 ^ this.s0 : k === 1 ? b1 ^ this.s1 : k === 2 ? b2 ^ this.s2 : b3 ^ this.s3;
      for (let shift = 0; shift < 32; shift += 8) {
        let at = window + ((word >>> (shift + 4)) & 0xf) * ENTRY_WORDS;
        o0 ^= table[at]!;
        o1 ^= table[at + 1]!;
        o2 ^= table[at + 2]!;
        o3 ^= table[at + 3]!;
        window += WINDOW_WORDS;
        at = window + ((word >>> shift) & 0xf) * ENTRY_WORDS;
        o0 ^= table[at]!;
        o1 ^= table[at + 1]!;
        o2 ^= table[at + 2]!;
        o3 ^= table[at + 3]!;
        window += WINDOW_WORDS;
      }
    }
    this.s0 = o0;
    this.s1 = o1;
    this.s2 = o2;
    this.s3 = o3;
  }

  /** Starts a new message: clears the accumulator, keeps the table. */
  begin(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    return this;
  }

  /**
   * Absorbs the first `length` bytes of `data` zero-padded to a whole number of blocks, as GCM absorbs A
   * and C (a length rather than a subarray: no view to allocate per call).
   */
  absorb(data: Uint8Array, length: number): this {
    const whole = length - (length % 16);
    for (let i = 0; i < whole; i += 16) this.updateBlock(leWord(data, i), leWord(data, i + 4), leWord(data, i + 8), leWord(data, i + 12));
    if (whole < length)
      this.updateBlock(
        paddedLeWord(data, whole, length),
        paddedLeWord(data, whole + 4, length),
        paddedLeWord(data, whole + 8, length),
        paddedLeWord(data, whole + 12, length),
      );
    return this;
  }

  /** Absorbs the final block: len(A) || len(C), each a 64-bit big-endian count of bits. */
  absorbLengths(aadBytes: number, dataBytes: number): this {
    this.updateBlock(lengthWord(aadBytes, true), lengthWord(aadBytes, false), lengthWord(dataBytes, true), lengthWord(dataBytes, false));
    return this;
  }

  /** The GHASH value xor `mask` (E_K(J0) as four words), written into `out` at `offset`. */
  finishInto(mask: Uint32Array, out: Uint8Array, offset: number): void {
    writeLeWord(out, offset, this.s0 ^ mask[0]!);
    writeLeWord(out, offset + 4, this.s1 ^ mask[1]!);
    writeLeWord(out, offset + 8, this.s2 ^ mask[2]!);
    writeLeWord(out, offset + 12, this.s3 ^ mask[3]!);
  }

  /** Whether the GHASH value xor `mask` equals the 16 bytes of `tag` at `offset`. */
  matches(mask: Uint32Array, tag: Uint8Array, offset: number): boolean {
    return (
      ((this.s0 ^ mask[0]! ^ leWord(tag, offset)) |
        (this.s1 ^ mask[1]! ^ leWord(tag, offset + 4)) |
        (this.s2 ^ mask[2]! ^ leWord(tag, offset + 8)) |
        (this.s3 ^ mask[3]! ^ leWord(tag, offset + 12))) ===
      0
    );
  }
}

/** The high or low word of a length block's 64-bit count of bits, as GHASH takes it. */
function lengthWord(bytes: number, high: boolean): number {
  const bits = bytes * 8;
  return byteSwap(high ? Math.floor(bits / 2 ** 32) : bits >>> 0);
}

/** The big-endian 32-bit word of `bytes` at `i`. */
function bigEndianWord(bytes: Uint8Array, i: number): number {
  return (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
}

/** Reverses the bytes of a 32-bit word. */
export function byteSwap(n: number): number {
  return ((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24);
}
