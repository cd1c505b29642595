// model/frozen.ts freezes what is new through and through and stops at what is frozen already; it
// knows a frozen object by its being non-extensible, which holds only while nothing in kmsim seals an
// object or prevents its extensions: this test reads the sources for that too.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { frozen } from "../../model/frozen.ts";
import { ROOT, sources } from "../support/sources.ts";

describe("frozen", () => {
  it("freezes every new object in a value, in arrays and records alike", () => {
    const value = { a: [{ b: { c: [1, 2] } }], d: "text", e: null, f: { g: [] as unknown[] } };
    expect(frozen(value)).toBe(value);
    for (const part of [value, value.a, value.a[0], value.a[0]!.b, value.a[0]!.b.c, value.f, value.f.g])
      expect(Object.isFrozen(part)).toBe(true);
    expect(() => value.f.g.push(1)).toThrow(TypeError);
  });

  it("does not walk into a part frozen already (shared with a frozen state)", () => {
    const loose = { x: 1 };
    const shared = Object.freeze({ loose }); // frozen, as only a deep freeze leaves one in the model
    frozen({ shared, fresh: { y: 2 } });
    expect(Object.isFrozen(loose)).toBe(false);
  });

  it("passes over values that are not objects", () => {
    for (const v of [1, "s", true, null, undefined]) expect(frozen(v)).toBe(v);
  });

  it("is the only way an object becomes non-extensible in kmsim: nothing seals or prevents extensions", () => {
    const files = ["protocol", "sim", "model", "harness", "cli", "reports"].flatMap(sources);
    expect(files.length).toBeGreaterThan(60);
    const hits = files.filter((f) =>
      /Object\.(seal|preventExtensions)\b|Reflect\.preventExtensions\b/.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(hits).toEqual([]);
  });
});
