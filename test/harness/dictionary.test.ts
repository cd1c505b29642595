// The empty dictionary the per-run tallies start from is an ordinary empty object to every reader:
// no names of its own, Object.prototype, names listed in the order they are added (as Object.fromEntries
// of the same pairs would list them).
import { describe, expect, it } from "vitest";
import { emptyDictionary } from "../../harness/dictionary.ts";

describe("emptyDictionary", () => {
  it("starts empty, with Object.prototype, and keeps names in the order they are added", () => {
    const tally = emptyDictionary<number>();
    expect(Object.keys(tally)).toEqual([]);
    expect(Object.getPrototypeOf(tally)).toBe(Object.prototype);
    const pairs: [string, number][] = [
      ["call:Encrypt:ok", 3],
      ["fault:partition", 1],
      ["call:CreateKey:ok", 2],
    ];
    for (const [name, n] of pairs) tally[name] = n;
    expect(Object.entries(tally)).toEqual(pairs);
    expect(JSON.stringify(tally)).toBe(JSON.stringify(Object.fromEntries(pairs)));
  });
});
