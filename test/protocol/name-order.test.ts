// sortedNames puts names in the order Array.prototype.sort() gives, whether the list was remembered
// before, differs from a remembered one only after its first name or past its length, or is too long
// to be remembered; a remembered answer is never one the caller's later lists change.
import { describe, expect, it } from "vitest";
import { sortedNames } from "../../protocol/name-order.ts";

function sortedByCall(names: readonly string[]): string[] {
  const scratch = [...names, "left", "over"]; // only the first names.length are the list
  return sortedNames(scratch, names.length).slice(0, names.length);
}

const LISTS: readonly (readonly string[])[] = [
  [],
  ["only"],
  ["i", "step", "outcome", "atUs", "durationUs"],
  ["call", "as", "input"],
  ["call", "as", "input", "save"],
  ["call", "as", "save"],
  ["ok", "output"],
  ["ok", "error"],
  ["b", "B", "a", "A", "_", "~", "é", "e", "10", "9", "😀", "\uffff"],
  Array.from({ length: 20 }, (_, i) => `name-${(i * 7) % 20}`),
  Array.from({ length: 40 }, (_, i) => `k${(i * 13) % 40}`),
];

describe("sortedNames", () => {
  it("sorts as Array.prototype.sort() does, the first time and every time after", () => {
    for (let round = 0; round < 3; round++) for (const list of LISTS) expect(sortedByCall(list)).toEqual([...list].sort());
  });

  it("tells apart lists that share a first name and differ later or in length", () => {
    const a = ["x", "m", "c"];
    const b = ["x", "m", "d"];
    const c = ["x", "m"];
    for (let round = 0; round < 2; round++) {
      expect(sortedByCall(a)).toEqual(["c", "m", "x"]);
      expect(sortedByCall(b)).toEqual(["d", "m", "x"]);
      expect(sortedByCall(c)).toEqual(["m", "x"]);
    }
  });

  it("keeps sorting right once it remembers no more lists", () => {
    for (let i = 0; i < 5000; i++) {
      const list = [`z${i}`, `a${i % 97}`, "m"];
      expect(sortedByCall(list)).toEqual([...list].sort());
      expect(sortedByCall(list)).toEqual([...list].sort());
    }
  });

  it("does not let the caller's scratch change a remembered answer", () => {
    const scratch = ["q", "p", "o"];
    const first = [...sortedNames(scratch, 3)];
    scratch[0] = "q";
    scratch[1] = "p";
    scratch[2] = "o";
    expect([...sortedNames(scratch, 3)]).toEqual(first);
    expect(first).toEqual(["o", "p", "q"]);
  });
});
