// The AES encryption of one block (FIPS-197 §5.1) as GCM uses it (CTR keystream and E_K(J0); GCM never
// decrypts with AES), in the T-table form of the Rijndael proposal §5.2: four 256-entry word tables
// (SubBytes+MixColumns of one byte lane, T1..T3 byte rotations of T0) and the 256-byte S-box for the
// last round, 4.25 KiB in all, which stay in L1. @noble/ciphers' encrypt merges them into 16-bit-indexed
// tables (T01, T23 256 KiB each, sbox2 128 KiB): 640 KiB, more than this machine's 512 KiB L2 per core.
// Cachegrind (L2 simulated as the LL, 512 KiB 8-way), LL misses per 32-byte call, noble's round -> this
// one: raw seal 143 -> 35, raw open 130 -> 1; KMS Encrypt 329 -> 117, Decrypt 374 -> 175 (node
// --single-threaded), for 2-6% more instructions (four lookups per column, not two). Only the round is
// ours: the round keys are noble's `expandKeyLE` (little-endian words, whose byte lanes this follows)
// and GHASH is noble's, so the output is bit-identical to noble's `unsafe.encrypt`
// (test/sim/crypto/aes-block.test.ts checks it).

/** GF(2^8) doubling modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 §4.2.1, xtime). */
function times2(b: number): number {
  return ((b << 1) ^ (b & 0x80 ? 0x1b : 0)) & 0xff;
}

/** The S-box (FIPS-197 §5.1.1): the inverse in GF(2^8) (0 to 0), then the affine map with constant 0x63. */
function buildSbox(): Uint8Array {
  // 3 generates the field's multiplicative group: power[i] = 3^i, log[power[i]] = i, x^-1 = 3^(255 - log x).
  const power = new Uint8Array(255);
  const log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++, x ^= times2(x)) {
    power[i] = x;
    log[x] = i;
  }
  const sbox = new Uint8Array(256);
  for (let x = 0; x < 256; x++) {
    const inverse = x === 0 ? 0 : power[(255 - log[x]!) % 255]!;
    let affine = inverse;
    for (let shift = 1; shift <= 4; shift++) affine ^= ((inverse << shift) | (inverse >>> (8 - shift))) & 0xff;
    sbox[x] = affine ^ 0x63;
  }
  return sbox;
}

const SBOX = buildSbox();

/** Rotates a word left by one byte lane: T(n+1) from T(n). */
const rotateLane = (word: number): number => ((word << 8) | (word >>> 24)) >>> 0;

/** T0[x]: S(x) through MixColumns' column [2, 1, 1, 3], in noble's little-endian byte lanes. */
const T0 = Uint32Array.from(SBOX, (s) => (((times2(s) ^ s) << 24) | (s << 16) | (s << 8) | times2(s)) >>> 0);
const T1 = T0.map(rotateLane);
const T2 = T1.map(rotateLane);
const T3 = T2.map(rotateLane);

/**
 * Encrypts the block (s0, s1, s2, s3) (little-endian words, as noble's `unsafe.encrypt` takes it) under
 * the round keys `xk` of noble's `expandKeyLE`, and writes the four result words into `out`.
 */
export function encryptBlockWords(xk: Uint32Array, s0: number, s1: number, s2: number, s3: number, out: Uint32Array): void {
  let k = 0;
  s0 ^= xk[k++]!;
  s1 ^= xk[k++]!;
  s2 ^= xk[k++]!;
  s3 ^= xk[k++]!;
  // Nr + 1 round keys: the initial AddRoundKey, Nr - 1 full rounds, and the last round without MixColumns.
  const fullRounds = xk.length / 4 - 2;
  for (let round = 0; round < fullRounds; round++) {
    const t0 = xk[k++]! ^ T0[s0 & 0xff]! ^ T1[(s1 >>> 8) & 0xff]! ^ T2[(s2 >>> 16) & 0xff]! ^ T3[s3 >>> 24]!;
    const t1 = xk[k++]! ^ T0[s1 & 0xff]! ^ T1[(s2 >>> 8) & 0xff]! ^ T2[(s3 >>> 16) & 0xff]! ^ T3[s0 >>> 24]!;
    const t2 = xk[k++]! ^ T0[s2 & 0xff]! ^ T1[(s3 >>> 8) & 0xff]! ^ T2[(s0 >>> 16) & 0xff]! ^ T3[s1 >>> 24]!;
    const t3 = xk[k++]! ^ T0[s3 & 0xff]! ^ T1[(s0 >>> 8) & 0xff]! ^ T2[(s1 >>> 16) & 0xff]! ^ T3[s2 >>> 24]!;
    s0 = t0;
    s1 = t1;
    s2 = t2;
    s3 = t3;
  }
  out[0] = xk[k++]! ^ lastRoundWord(s0, s1, s2, s3);
  out[1] = xk[k++]! ^ lastRoundWord(s1, s2, s3, s0);
  out[2] = xk[k++]! ^ lastRoundWord(s2, s3, s0, s1);
  out[3] = xk[k]! ^ lastRoundWord(s3, s0, s1, s2);
}

/** SubBytes and ShiftRows of one output column: byte lane i from word i. */
function lastRoundWord(a: number, b: number, c: number, d: number): number {
  return SBOX[a & 0xff]! | (SBOX[(b >>> 8) & 0xff]! << 8) | (SBOX[(c >>> 16) & 0xff]! << 16) | (SBOX[d >>> 24]! << 24);
}
