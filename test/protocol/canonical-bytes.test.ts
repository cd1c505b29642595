// The bytes writeCanonicalJson writes are the UTF-8 encoding of canonicalJson's text, for every string
// escape, number form and nesting canonical.test.ts covers, and for texts and objects long enough to
// take the slow paths (a native write, more members than an insertion sort, a buffer that grows).
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../protocol/canonical.ts";
import { Utf8Writer, writeCanonicalJson } from "../../protocol/canonical-bytes.ts";

const STRINGS = [
  "",
  "Encrypt",
  "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  'say "hi"',
  "back\\slash",
  "tab\there\nnew line\r\u0000\u0001\u001f",
  "\u007f del and \u0080 and \u00ff",
  "line\u2028separator\u2029",
  "ünïcödé ✓",
  "😀 paired",
  "lone \ud83d high",
  "lone \ude00 low",
  "ascii for a while then é",
  "a".repeat(47) + "é",
  "QUJD".repeat(5_000),
  'q"\b\f\u000b\u007f ü ✓ 😀 \ud800 end\udc00',
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"}}]}',
  '"'.repeat(3) + "\udbff\udfff" + "\\".repeat(2) + "\ud83d",
  "✓".repeat(500),
];

const NUMBERS = [
  0,
  -0,
  1,
  -1,
  9,
  10,
  17,
  99,
  100,
  5101000,
  3600000000,
  2 ** 53,
  -(2 ** 53),
  2 ** 53 + 2,
  0.1,
  1 / 3,
  1e21,
  1e-7,
  123e-20,
  -4.25,
];

/** canonicalJson's text as UTF-8, and what the writer wrote, after `before` bytes already there. */
function both(value: unknown, before = 0): [Buffer, Buffer] {
  const out = new Utf8Writer(16);
  out.skip(before);
  writeCanonicalJson(value, out);
  return [Buffer.from(canonicalJson(value), "utf8"), Buffer.from(out.buffer.subarray(before, out.length))];
}

describe("writeCanonicalJson", () => {
  it.each(STRINGS)("writes the string %j as canonicalJson's UTF-8", (text) => {
    const [expected, written] = both(text, 3);
    expect(written.equals(expected)).toBe(true);
  });

  it.each(NUMBERS)("writes the number %d as canonicalJson's UTF-8", (n) => {
    const [expected, written] = both(n);
    expect(written.toString("utf8")).toBe(expected.toString("utf8"));
  });

  it("writes objects sorted, without undefined members, nested, in arrays, and with many members", () => {
    const wide = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${(i * 17) % 40}`, i % 3 === 0 ? undefined : { [`n${i}`]: [i, `v${i}`] }]),
    );
    const value = {
      z: STRINGS,
      a: { y: NUMBERS, b: [true, false, null, undefined, { d: undefined, c: "x" }] },
      m: undefined,
      wide,
      ü: 1,
      "\n": 2,
    };
    const [expected, written] = both(value, 100);
    expect(written.equals(expected)).toBe(true);
    const [top, topWritten] = both(undefined);
    expect(topWritten.equals(top)).toBe(true);
  });

  it("refuses numbers JSON cannot write", () => {
    expect(() => writeCanonicalJson(Number.NaN, new Utf8Writer())).toThrow(/not JSON/);
    expect(() => writeCanonicalJson({ a: [Number.NEGATIVE_INFINITY] }, new Utf8Writer())).toThrow(/not JSON/);
  });
});
