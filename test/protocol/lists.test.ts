import { describe, expect, it } from "vitest";
import { byId, sameItems } from "../../protocol/lists.ts";

describe("sameItems", () => {
  it("is true only for the same items, by identity, in the same order", () => {
    const a = { id: "a" };
    const b = { id: "b" };
    expect(sameItems([a, b], [a, b])).toBe(true);
    expect(sameItems([], [])).toBe(true);
    expect(sameItems([a, b], [b, a])).toBe(false);
    expect(sameItems([a], [a, b])).toBe(false);
    expect(sameItems([a], [{ id: "a" }])).toBe(false);
  });
});

describe("byId", () => {
  const list = [{ id: "x" }, { id: "y" }, { id: "y" }];
  const idOf = (item: { id: string }) => item.id;
  it("takes the item at the expected place when it has the id, else the first with it", () => {
    expect(byId(list, 2, "y", idOf)).toBe(list[2]);
    expect(byId(list, 0, "y", idOf)).toBe(list[1]);
    expect(byId(list, 9, "x", idOf)).toBe(list[0]);
    expect(byId(list, 0, "z", idOf)).toBeUndefined();
  });
});
