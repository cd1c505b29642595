// GHASH (NIST SP 800-38D §6.4) under one hash subkey H, reusable across messages: @noble/ciphers'
// GHASH builds its multiplication table from H in its constructor, and this subclass keeps that table
// and feeds it blocks as words read straight from the bytes, without the copies and typed-array
// views noble's update() makes per call (most of the cost of a short message).
import { GHASH } from "@noble/ciphers/_polyval.js";
import { leWord, paddedLeWord, writeLeWord } from "./words.ts";

/** Message length noble sizes its table for: its 4-bit window (its own choice for 1..64 KiB messages). */
const GHASH_TABLE_BYTES_HINT = 4096;

export class KeyedGhash extends GHASH {
  constructor(h: Uint8Array) {
    super(h, GHASH_TABLE_BYTES_HINT);
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
    for (let i = 0; i < whole; i += 16) this._updateBlock(leWord(data, i), leWord(data, i + 4), leWord(data, i + 8), leWord(data, i + 12));
    if (whole < length)
      this._updateBlock(
        paddedLeWord(data, whole, length),
        paddedLeWord(data, whole + 4, length),
        paddedLeWord(data, whole + 8, length),
        paddedLeWord(data, whole + 12, length),
      );
    return this;
  }

  /** Absorbs the final block: len(A) || len(C), each a 64-bit big-endian count of bits. */
  absorbLengths(aadBytes: number, dataBytes: number): this {
    const word = (bytes: number, high: boolean) => {
      const bits = bytes * 8;
      return byteSwap(high ? Math.floor(bits / 2 ** 32) : bits >>> 0);
    };
    this._updateBlock(word(aadBytes, true), word(aadBytes, false), word(dataBytes, true), word(dataBytes, false));
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

/** Reverses the bytes of a 32-bit word. */
export function byteSwap(n: number): number {
  return ((n & 0xff) << 24) | ((n & 0xff00) << 8) | ((n >>> 8) & 0xff00) | (n >>> 24);
}
