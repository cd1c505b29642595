// The seeds a run missed, said briefly in the shard's own stride.
import { describe, expect, it } from "vitest";
import { missingSeeds } from "../../reports/seed-ranges.ts";

const space = (index: number, count: number) => ({ first: 1, count: 30, shard: { index, count } });

describe("missingSeeds", () => {
  it("is empty when every seed of the shard ran", () => {
    expect(missingSeeds(space(1, 3), [2, 5, 8, 11, 14, 17, 20, 23, 26, 29])).toEqual({ count: 0, seeds: "" });
  });

  it("names a lost shard as one range in its stride", () => {
    expect(missingSeeds(space(2, 3), [])).toEqual({ count: 10, seeds: "3..30 by 3" });
  });

  it("names gaps and the tail of an unsharded run", () => {
    expect(missingSeeds(space(0, 1), [1, 2, 4, 5, 9])).toEqual({ count: 25, seeds: "3, 6..8, 10..30" });
  });

  it("cuts a long list with a count", () => {
    const ran = Array.from({ length: 15 }, (_, i) => 2 * i + 1);
    const { count, seeds } = missingSeeds(space(0, 1), ran);
    expect(count).toBe(15);
    expect(seeds).toMatch(/^2, 4, 6, .*, and 3 more ranges$/);
  });
});
