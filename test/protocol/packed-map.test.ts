// packedMap makes what Array.prototype.map makes: the same items in order, each made with its index,
// in a new array with no holes (that it stays packed once optimized is V8's business, measured with
// tools/jit-churn.mjs, not asserted here).
import { describe, expect, it } from "vitest";
import { packedMap } from "../../protocol/packed-map.ts";

describe("packedMap", () => {
  it.each([
    [[], (x: number) => x],
    [[1, 2, 3], (x: number) => x * 10],
    [[5, 6], (x: number, i: number) => `${x}@${i}`],
    [[1, 2], (x: number) => (x === 1 ? undefined : { x })],
  ] as [number[], (x: number, i: number) => unknown][])("matches Array.prototype.map on %j", (items, f) => {
    const made = packedMap(items, f);
    expect(made).toEqual(items.map(f));
    expect(made).not.toBe(items);
    for (let i = 0; i < made.length; i++) expect(i in made).toBe(true);
  });
});
