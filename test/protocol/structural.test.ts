// structuralEqual is deep equality with members in any order and `undefined` members as absent;
// structuralHash gives equal values the same hash (numbers whole or not, 0 and -0, frozen values whose
// hash is remembered); dedupeStructural keeps each value's first occurrence, in order, by pairs or by hash.
import { describe, expect, it } from "vitest";
import { dedupeStructural, structuralEqual, structuralHash } from "../../protocol/structural.ts";

const deepFreeze = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
};

const EQUAL_PAIRS: readonly [unknown, unknown][] = [
  [
    { a: 1, b: [1, 2, { c: "x" }] },
    { b: [1, 2, { c: "x" }], a: 1 },
  ],
  [{ a: 1, gone: undefined }, { a: 1 }],
  [{ n: 0 }, { n: -0 }],
  [
    [0.5, 3e9, -7, 2 ** 53],
    [0.5, 3e9, -7, 2 ** 53],
  ],
  [deepFreeze({ k: { l: [true, null, "s"] } }), { k: { l: [true, null, "s"] } }],
  [{}, {}],
  [[], []],
];

const UNEQUAL_PAIRS: readonly [unknown, unknown][] = [
  [{ a: 1 }, { a: 2 }],
  [{ a: 1 }, { a: 1, b: 2 }],
  [{ a: 1, b: 2 }, { a: 1 }],
  [
    { a: undefined, b: 1 },
    { b: 1, c: 1 },
  ],
  [
    [1, 2],
    [2, 1],
  ],
  [[1], [1, 1]],
  [[], {}],
  [{}, []],
  [{ a: null }, { a: {} }],
  [1, "1"],
  [0.1, 0.2],
  [{ x: [{ y: 1 }] }, { x: [{ y: "1" }] }],
];

describe("structuralEqual and structuralHash", () => {
  it("calls equal values equal and gives them one hash", () => {
    for (const [a, b] of EQUAL_PAIRS) {
      expect(structuralEqual(a, b)).toBe(true);
      expect(structuralEqual(b, a)).toBe(true);
      expect(structuralHash(a)).toBe(structuralHash(b));
      expect(structuralHash(a)).toBe(structuralHash(a)); // a frozen value's remembered hash too
    }
  });

  it("calls unequal values unequal, either way round", () => {
    for (const [a, b] of UNEQUAL_PAIRS) {
      expect(structuralEqual(a, b)).toBe(false);
      expect(structuralEqual(b, a)).toBe(false);
    }
  });

  it("hashes whole numbers and others apart from their neighbours", () => {
    const numbers = [0, 1, -1, 2, 255, 256, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 3e9, 0.5, 1.5, -0.5];
    expect(new Set(numbers.map((n) => structuralHash(n))).size).toBe(numbers.length);
  });

  it("does not remember the hash of a value that can still change", () => {
    const open: Record<string, number> = { a: 1 };
    const before = structuralHash(open);
    open["a"] = 2;
    expect(structuralHash(open)).not.toBe(before);
    expect(structuralHash(open)).toBe(structuralHash({ a: 2 }));
  });
});

describe("dedupeStructural", () => {
  it("keeps each first occurrence, in order, for a few values and for many, pairwise or hashed", () => {
    const few = [{ a: 1 }, { a: 2 }, { a: 1 }, { a: 3 }, { a: 2 }];
    expect(dedupeStructural(few)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(dedupeStructural(few)[0]).toBe(few[0]);
    const many = Array.from({ length: 40 }, (_, i) => ({ n: i % 7, tag: [i % 7, "x"] }));
    const kept = dedupeStructural(many);
    expect(kept).toHaveLength(7);
    kept.forEach((v, i) => expect(v).toBe(many[i]));
    const pairwise = dedupeStructural(many, many.length); // all 40 compared pairwise: the same values kept
    expect(pairwise).toHaveLength(7);
    pairwise.forEach((v, i) => expect(v).toBe(many[i]));
  });
});
