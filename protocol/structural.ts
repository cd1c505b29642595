// Structural hashing and equality of JSON-like values, without serialising: a 32-bit hash that does not
// depend on object key order (members are combined commutatively) and is remembered per frozen object,
// so a value built mostly of parts shared with one hashed before (an immutable model state after a
// step) costs only what changed; and a deep equality that stops at shared parts. Used to deduplicate
// model states and outcome patterns and to compare the state audit's views.

const memo = new WeakMap<object, number>();

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A number's hash: a whole number of 32 bits by itself (0 and -0 alike), any other by its decimal text. */
function hashNumber(n: number): number {
  if ((n | 0) === n) return mix(Math.imul(n | 0, 0x9e3779b1) ^ 0x7f4a7c15);
  return mix(hashString(String(n)) ^ 0x9e3779b9);
}

function hashString(s: string): number {
  let h = 0x811c9dc5 ^ s.length;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** A hash of `value` that equal values share (object members in any order; `undefined` members ignored). */
export function structuralHash(value: unknown): number {
  switch (typeof value) {
    case "string":
      return hashString(value);
    case "number":
      return hashNumber(value);
    case "boolean":
      return value ? 0x1b873593 : 0x2f0b8d17;
    case "undefined":
      return 0x5bd1e995;
    case "object": {
      if (value === null) return 0x27d4eb2f;
      const frozen = Object.isFrozen(value); // only a frozen value's hash is remembered
      if (frozen) {
        const cached = memo.get(value);
        if (cached !== undefined) return cached;
      }
      let h: number;
      if (Array.isArray(value)) {
        h = 0x3c6ef372 ^ value.length;
        for (const item of value) h = mix(Math.imul(h, 31) + structuralHash(item));
      } else {
        h = 0x6a09e667;
        for (const key in value) {
          const member = (value as Record<string, unknown>)[key];
          if (member !== undefined) h = (h + mix(hashString(key) ^ Math.imul(structuralHash(member), 0x9e3779b1))) >>> 0;
        }
        h = mix(h);
      }
      if (frozen) memo.set(value, h);
      return h;
    }
    default:
      throw new Error(`structuralHash: ${typeof value} is not JSON`);
  }
}

/** Deep equality of JSON-like values (object members in any order; `undefined` members as absent). */
export function structuralEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const u: unknown = a[i];
      const v: unknown = b[i];
      if (u !== v && !structuralEqual(u, v)) return false; // a shared item is equal without a call
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    const u = x[key];
    if (u === undefined) continue;
    count++;
    const v = y[key];
    if (u !== v && !structuralEqual(u, v)) return false; // a shared member is equal without a call
  }
  for (const key in y) if (y[key] !== undefined) count--;
  return count === 0;
}

/**
 * Up to this many values are compared pairwise rather than hashed, unless a caller knows better: equality
 * stops at the parts two values share (two model states forked from one share most of theirs), while a
 * hash walks every part it has not seen before.
 */
const PAIRWISE_MAX = 8;

/**
 * `values` with structural duplicates removed, first occurrence kept, in order: compared pairwise up to
 * `pairwiseMax` values, by hash past that.
 */
export function dedupeStructural<T>(values: readonly T[], pairwiseMax = PAIRWISE_MAX): T[] {
  if (values.length <= 1) return [...values];
  if (values.length <= pairwiseMax) {
    const out: T[] = [];
    for (const v of values) {
      let seen = false;
      for (let j = 0; j < out.length && !seen; j++) seen = structuralEqual(v, out[j]); // a loop: `some` took a closure per value
      if (!seen) out.push(v);
    }
    return out;
  }
  const byHash = new Map<number, T[]>();
  const out: T[] = [];
  for (const v of values) {
    const h = structuralHash(v);
    const bucket = byHash.get(h);
    if (bucket?.some((w) => structuralEqual(v, w)) === true) continue;
    if (bucket === undefined) byHash.set(h, [v]);
    else bucket.push(v);
    out.push(v);
  }
  return out;
}
