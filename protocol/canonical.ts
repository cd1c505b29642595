// Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Everything that is
// hashed into a trace goes through it, so key order from any source never changes a trace. Written
// out directly as one string (no sorted copy is built first); a member name's quoted text is made
// once and remembered, as the same few names recur in every step.
import { boundedMemo } from "./bounded-memo.ts";
import { sortedNames } from "./name-order.ts";

/** Quoted member names with their colon, `"KeyId":`; bounded, as names come from input too. */
const QUOTED_NAMES_MAX = 4096;
const quotedName = boundedMemo(QUOTED_NAMES_MAX, (key: string) => `${JSON.stringify(key)}:`);

/**
 * The characters JSON.stringify writes escaped: `"`, `\`, controls below U+0020, and surrogates
 * (alone, they are escaped; in pairs not, but a string with any goes the long way, which is exact).
 */
// eslint-disable-next-line no-control-regex -- these controls are what JSON escapes
const ESCAPED = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** Does JSON write `text` with an escape (or may it: a surrogate)? */
export const needsEscape = (text: string): boolean => ESCAPED.test(text);

/** `JSON.stringify(text)`, quoted by hand when nothing in it is escaped (most strings: ids, names, base64). */
const quoted = (text: string): string => (needsEscape(text) ? JSON.stringify(text) : `"${text}"`);

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quoted(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not JSON`);
      return String(value); // JSON writes a finite number as its String (-0 as "0", 1e21 as "1e+21")
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "null";
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonicalJson(value[i]);
        return `${out}]`;
      }
      const names = Object.keys(value);
      const keys = sortedNames(names, names.length);
      let out = "{";
      let first = true;
      for (let i = 0; i < names.length; i++) {
        const key = keys[i]!;
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) continue;
        out += (first ? "" : ",") + quotedName(key) + canonicalJson(member);
        first = false;
      }
      return `${out}}`;
    }
    default:
      return JSON.stringify(value) ?? ""; // not JSON (a function, a symbol): written as nothing, as before
  }
}
