import { describe, expect, it } from "vitest";
import { isRecord } from "../../protocol/is-record.ts";

describe("isRecord", () => {
  it("accepts plain objects, with or without members", () => {
    expect(isRecord({})).toBe(true);
    expect(isRecord({ Key: "k", Value: "v" })).toBe(true);
    expect(isRecord(Object.create(null))).toBe(true);
  });
  it("rejects null, arrays and every non-object", () => {
    for (const v of [null, undefined, [], [{}], "{}", 0, true]) expect(isRecord(v)).toBe(false);
  });
});
