// The one source of randomness in a run: a seeded PRNG (seedrandom's ARC4) that splits into named
// child streams. A child is seeded from its parent's seed and its own name, never from the parent's
// draws, so an extra draw in one component does not shift any other (TigerBeetle's child seeds).
import seedrandom from "seedrandom";

export class Prng {
  private readonly source: seedrandom.PRNG;

  constructor(readonly seed: string) {
    this.source = seedrandom(seed);
  }

  /** An independent stream named `name`; the same (seed, name) always gives the same stream. */
  child(name: string): Prng {
    return new Prng(`${this.seed}/${name}`);
  }

  uint32(): number {
    return this.source.int32() >>> 0;
  }

  /** Uniform integer in [0, n), without modulo bias. */
  intBelow(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new Error(`intBelow: bad bound ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
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
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i += 4) {
      const word = this.uint32();
      for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
    }
    return out;
  }

  hex(length: number): string {
    let s = "";
    while (s.length < length) s += this.uint32().toString(16).padStart(8, "0");
    return s.slice(0, length);
  }
}
