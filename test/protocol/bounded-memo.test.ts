// protocol/bounded-memo.ts: an answer is made once per argument while under the bound, and every
// answer is the function's own, remembered or not.
import { describe, expect, it } from "vitest";
import { boundedMemo } from "../../protocol/bounded-memo.ts";

describe("boundedMemo", () => {
  it("makes each remembered answer once, and past the bound makes new ones each time", () => {
    const made: string[] = [];
    const upper = boundedMemo(2, (key: string) => (made.push(key), key.toUpperCase()));
    expect([upper("a"), upper("b"), upper("a"), upper("b")]).toEqual(["A", "B", "A", "B"]);
    expect(made).toEqual(["a", "b"]);
    expect([upper("c"), upper("c"), upper("a")]).toEqual(["C", "C", "A"]);
    expect(made).toEqual(["a", "b", "c", "c"]);
  });
});
