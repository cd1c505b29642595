// Strict base64 as the virtual services read it: fromBase64 accepts exactly what the grammar below
// accepts (RFC 4648's alphabet in whole quanta, the last one padded) and decodes it as Node does;
// base64ByteLength agrees with the decoded length without decoding. The grammar is the definition;
// fromBase64 is the linear-time way of deciding it (a scan for short texts, a decode for long ones).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64ByteLength, fromBase64, isStrictBase64, toBase64 } from "../../../sim/wire/encoding.ts";

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The alphabet, padding, and what Node's lenient decoder would skip or take: URL-safe characters, spaces. */
const CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ !\n".split("");

describe("fromBase64", () => {
  it("accepts exactly the strict grammar, over arbitrary texts", () => {
    const texts = fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 24 }).map((a) => a.join(""));
    fc.assert(
      fc.property(texts, (text) => {
        expect(fromBase64(text) !== undefined).toBe(STRICT_BASE64.test(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it("accepts exactly the strict grammar over encodings with one character changed, and decodes as Node does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.constantFrom(...CHARACTERS), (bytes, at, ch) => {
        const text = Buffer.from(bytes).toString("base64");
        expect(fromBase64(text)).toEqual(new Uint8Array(bytes));
        expect(base64ByteLength(text)).toBe(bytes.length);
        if (text.length === 0) return;
        const i = at % text.length;
        const changed = text.slice(0, i) + ch + text.slice(i + 1);
        expect(fromBase64(changed) !== undefined).toBe(STRICT_BASE64.test(changed));
      }),
      { numRuns: 20_000 },
    );
  });

  it("decides texts past the scanned length (decoded, then encoded back) as the grammar does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 90, maxLength: 400 }), fc.nat(), fc.constantFrom(...CHARACTERS), (bytes, at, ch) => {
        const text = Buffer.from(bytes).toString("base64");
        expect(fromBase64(text)).toEqual(new Uint8Array(bytes));
        const i = at % text.length;
        const changed = text.slice(0, i) + ch + text.slice(i + 1);
        expect(fromBase64(changed) !== undefined).toBe(STRICT_BASE64.test(changed));
      }),
      { numRuns: 5_000 },
    );
  });

  it("decides as the grammar does with any UTF-16 unit in place of one character, short texts and long", () => {
    // Node's decoder reads a unit as its low byte (U+0141 as "A"), takes "-" and "_", skips the rest:
    // every unit, in the body and in each place of a padded last quantum, of a scanned and a decoded text.
    for (const bytes of [40, 401, 402].map((length) => new Uint8Array(length).map((_, i) => (i * 37 + 11) & 0xff))) {
      const text = Buffer.from(bytes).toString("base64");
      const places = [0, text.length >> 1, text.length - 4, text.length - 3, text.length - 2, text.length - 1];
      for (let unit = 0; unit <= 0xffff; unit++) {
        const ch = String.fromCharCode(unit);
        for (const i of places) {
          const changed = text.slice(0, i) + ch + text.slice(i + 1);
          if ((fromBase64(changed) !== undefined) !== STRICT_BASE64.test(changed))
            expect.fail(`U+${unit.toString(16).padStart(4, "0")} at ${i} of ${text.length}: decided unlike the grammar`);
        }
      }
    }
  });

  it("decides as the grammar does with a whole quantum of any one UTF-16 unit, short texts and long", () => {
    // The scan tests a quantum's four units together (one OR): a quantum of four equal units, U+0080
    // among them, is where a bound off by one there would pass for "AAAA".
    for (const bytes of [40, 401].map((length) => new Uint8Array(length).map((_, i) => (i * 53 + 7) & 0xff))) {
      const text = Buffer.from(bytes).toString("base64");
      for (let unit = 0; unit <= 0xffff; unit++) {
        const quantum = String.fromCharCode(unit).repeat(4);
        for (const changed of [quantum + text.slice(4), text.slice(0, 8) + quantum + text.slice(12)]) {
          if ((fromBase64(changed) !== undefined) !== STRICT_BASE64.test(changed))
            expect.fail(`four U+${unit.toString(16).padStart(4, "0")} in a text of ${text.length}: decided unlike the grammar`);
        }
      }
    }
  });

  it("accepts unused bits set in a padded last quantum, as the grammar does", () => {
    expect(fromBase64("QR==")).toEqual(new Uint8Array([0x41]));
    expect(fromBase64("QUI=")).toEqual(new Uint8Array([0x41, 0x42]));
    expect(fromBase64("QUJ=")).toEqual(new Uint8Array([0x41, 0x42]));
    expect(fromBase64("QU-=")).toBeUndefined();
    expect(fromBase64("QU I=")).toBeUndefined();
  });
});

describe("isStrictBase64", () => {
  it("says what fromBase64 reads, short texts and long, one character changed or not", () => {
    const texts = fc.oneof(
      fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 24 }).map((a) => a.join("")),
      fc
        .uint8Array({ maxLength: 200 })
        .map((bytes) => Buffer.from(bytes).toString("base64"))
        .chain((text) =>
          fc
            .tuple(fc.nat(Math.max(text.length - 1, 0)), fc.constantFrom(...CHARACTERS), fc.boolean())
            .map(([i, ch, change]) => (change && text.length > 0 ? text.slice(0, i) + ch + text.slice(i + 1) : text)),
        ),
    );
    fc.assert(
      fc.property(texts, (text) => {
        expect(isStrictBase64(text)).toBe(fromBase64(text) !== undefined);
        expect(isStrictBase64(text)).toBe(STRICT_BASE64.test(text));
      }),
      { numRuns: 5_000 },
    );
  });
});

describe("fromBase64 after isStrictBase64 of the same long text", () => {
  it("gives the bytes Node decodes, and never the same array to two callers", () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7 + 3) & 0xff);
    const text = Buffer.from(bytes).toString("base64");
    expect(isStrictBase64(text)).toBe(true);
    const first = fromBase64(text);
    const second = fromBase64(text);
    expect(first).toEqual(bytes);
    expect(second).toEqual(bytes);
    expect(second).not.toBe(first);
    first![0] = first![0]! ^ 0xff; // a caller changing its array changes no one else's
    expect(fromBase64(text)).toEqual(bytes);
    expect(isStrictBase64(`${text.slice(0, -4)}-AAA`)).toBe(false);
    expect(fromBase64(text)).toEqual(bytes);
  });
});

describe("toBase64", () => {
  it("encodes as Node does: views at an offset, empty arrays, and past its buffer's first size", () => {
    const lengths = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 4000, max: 9000 }));
    fc.assert(
      fc.property(lengths, fc.integer({ min: 0, max: 7 }), fc.integer(), (length, offset, seed) => {
        const whole = new Uint8Array(offset + length).map((_, i) => (seed + i * 131) & 0xff);
        const view = whole.subarray(offset);
        expect(toBase64(view)).toBe(Buffer.from(view).toString("base64"));
      }),
      { numRuns: 300 },
    );
  });
});
