// The one source of randomness in a run: a seeded PRNG (ARC4, keyed and drawn exactly as the
// seedrandom package does it, so every stream is the one seedrandom gave) that splits into named child
// streams. A child is seeded from its parent's seed and its own name, never from the parent's draws,
// so an extra draw in one component does not shift any other (TigerBeetle's child seeds). ARC4 is
// written here, its state in one 256-byte array, because a run makes a few dozen streams and
// seedrandom's set-up of each (closures, a key array, the state copied into a string for its global
// entropy pool, boxed numbers) was about 5% of the bytes a warm harness step allocated. A stream is
// keyed at its first draw: a root that only splits, and streams a seed never draws from, cost nothing.

/** The bytes of ARC4's state and of its key. */
const ARC4_BYTES = 256;

/** Output bytes dropped after keying, as seedrandom drops them (RC4-drop[256]). */
const ARC4_DROPPED_BYTES = 256;

/** The key of the stream being made: written and read by the constructor only. */
const keyScratch = new Uint8Array(ARC4_BYTES);

export class Prng {
  /** ARC4's permutation of 0..255: made at the first draw (a run splits off streams it never draws from). */
  private s: Uint8Array | undefined;
  private i = 0;
  private j = 0;

  constructor(readonly seed: string) {}

  /** Keys ARC4 with the seed, as seedrandom does, and drops its first output bytes. */
  private keyed(): Uint8Array {
    const seed = this.seed;
    // seedrandom's mixkey: the seed's UTF-16 code units folded into a key of at most 256 bytes.
    const key = keyScratch.fill(0);
    let smear = 0;
    for (let n = 0; n < seed.length; n++) {
      smear ^= key[n & 0xff]! * 19;
      key[n & 0xff] = (smear + seed.charCodeAt(n)) & 0xff;
    }
    const keyBytes = Math.max(1, Math.min(seed.length, ARC4_BYTES)); // an empty seed keys with one 0
    const s = new Uint8Array(ARC4_BYTES);
    for (let n = 0; n < ARC4_BYTES; n++) s[n] = n;
    for (let n = 0, j = 0; n < ARC4_BYTES; n++) {
      const t = s[n]!;
      j = (j + key[n % keyBytes]! + t) & 0xff;
      s[n] = s[j]!;
      s[j] = t;
    }
    this.s = s;
    for (let n = 0; n < ARC4_DROPPED_BYTES; n++) this.byte(s);
    return s;
  }

  /** An independent stream named `name`; the same (seed, name) always gives the same stream. */
  child(name: string): Prng {
    return new Prng(`${this.seed}/${name}`);
  }

  /** ARC4's next output byte. */
  private byte(s: Uint8Array): number {
    const i = (this.i + 1) & 0xff;
    const t = s[i]!;
    const j = (this.j + t) & 0xff;
    const u = s[j]!;
    s[i] = u;
    s[j] = t;
    this.i = i;
    this.j = j;
    return s[(u + t) & 0xff]!;
  }

  /** Four output bytes, the first the most significant (seedrandom's `int32() >>> 0`). */
  uint32(): number {
    const s = this.s ?? this.keyed();
    const b0 = this.byte(s);
    const b1 = this.byte(s);
    const b2 = this.byte(s);
    const b3 = this.byte(s);
    return ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  intBelow(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new Error(`intBelow: bad bound ${n}`);
    for (;;) {
      const x = this.uint32();
      const r = x % n;
      // Kept when x's run of n values (x - r up to x - r + n - 1) lies whole below 2^32: x below the
      // largest multiple of n up to 2^32. One remainder a draw, where computing that multiple took three.
      if (x - r <= 2 ** 32 - n) return r;
    }
  }

  /** Uniform integer in [min, max], both ends included. */
  intBetween(min: number, max: number): number {
    if (max < min) throw new Error(`intBetween: ${min} > ${max}`);
    return min + this.intBelow(max - min + 1);
  }

  /** True with probability numerator/denominator (probabilities are integer ratios). */
  chance(numerator: number, denominator: number): boolean {
    return this.intBelow(denominator) < numerator;
  }

  bytes(length: number): Uint8Array {
    return this.fill(new Uint8Array(length));
  }

  /**
   * Fills `out` with the bytes `bytes(out.length)` would return (the same draws), and returns it: each
   * word's four bytes, least significant first. A whole word is written in four fixed stores (a typed
   * array keeps the low 8 bits), where a loop with a shift by 8 × j per byte cost a 32-byte Encrypt's
   * 12-byte IV ~150 instructions more; only a last, partial word goes byte by byte.
   */
  fill(out: Uint8Array): Uint8Array {
    const length = out.length;
    for (let i = 0; i < length; i += 4) {
      const word = this.uint32();
      if (i + 4 <= length) {
        out[i] = word;
        out[i + 1] = word >>> 8;
        out[i + 2] = word >>> 16;
        out[i + 3] = word >>> 24;
      } else for (let j = 0; i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  }

  hex(length: number): string {
    let s = "";
    while (s.length < length) s += this.uint32().toString(16).padStart(8, "0");
    return s.slice(0, length);
  }
}
