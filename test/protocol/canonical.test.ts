// Canonical JSON writes what JSON.stringify writes of the same value with its object keys sorted and
// its `undefined` members dropped: every string escape (quotes, backslashes, controls, lone and paired
// surrogates, the characters JSON leaves alone) and every number form — the trace hash depends on it.
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../protocol/canonical.ts";

/** The value with every object's keys in sorted order, for JSON.stringify to write as canonical JSON does. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (typeof value !== "object" || value === null) return value;
  const members = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(members)
      .sort()
      .map((k) => [k, sortedDeep(members[k])]),
  );
}

const STRINGS = [
  "",
  "Encrypt",
  "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "AQIDBAUGBwgJCgsMDQ4PEA==",
  'say "hi"',
  "back\\slash",
  "tab\there\nnew line\r\u0000\u0001\u0008\u000b\u000c\u001f",
  "\u007f del and \u0080 and \u00ff",
  "line\u2028separator\u2029",
  "ünïcödé ✓",
  "😀 paired",
  "lone \ud83d high",
  "lone \ude00 low",
  "\udc00\ud800 reversed",
];

const NUMBERS = [0, -0, 1, -1, 17, 5101000, 3600000000, 2 ** 53, -(2 ** 53) - 2, 0.1, 1 / 3, 1e21, 1e-7, 123e-20, 1.5e300, -4.25];

describe("canonicalJson", () => {
  it.each(STRINGS)("writes the string %j as JSON.stringify does", (text) => {
    expect(canonicalJson(text)).toBe(JSON.stringify(text));
  });

  it.each(NUMBERS)("writes the number %d as JSON.stringify does", (n) => {
    expect(canonicalJson(n)).toBe(JSON.stringify(n));
  });

  it("writes objects with sorted keys, without undefined members, nested and in arrays", () => {
    const value = { z: STRINGS, a: { y: NUMBERS, b: [true, false, null, undefined, { d: undefined, c: "x" }] }, m: undefined };
    expect(canonicalJson(value)).toBe(JSON.stringify(sortedDeep(value)));
    expect(canonicalJson(value)).toBe(
      `{"a":{"b":[true,false,null,null,{"c":"x"}],"y":${JSON.stringify(NUMBERS)}},"z":${JSON.stringify(STRINGS)}}`,
    );
  });

  it("refuses numbers JSON cannot write", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(/not JSON/);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(/not JSON/);
  });
});
