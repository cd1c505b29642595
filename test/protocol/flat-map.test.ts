// flatMap makes what Array.prototype.flatMap makes, for callbacks that return arrays: in order, empty
// results dropped, nested arrays kept one level deep.
import { describe, expect, it } from "vitest";
import { flatMap } from "../../protocol/flat-map.ts";

describe("flatMap", () => {
  it.each([
    [[], (x: number) => [x]],
    [[1, 2, 3], (x: number) => [x]],
    [[1, 2, 3], (x: number) => (x === 2 ? [] : [x, x * 10])],
    [[0, 1], (x: number) => [[x], [x + 1]]],
  ] as [number[], (x: number) => unknown[]][])("matches Array.prototype.flatMap on %j", (items, f) => {
    expect(flatMap(items, f)).toEqual(items.flatMap(f));
  });

  it("returns a new array, not the callback's", () => {
    const only = [7];
    const made = flatMap([1], () => only);
    expect(made).toEqual([7]);
    expect(made).not.toBe(only);
  });
});
