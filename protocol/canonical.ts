// Canonical JSON: object keys sorted, no whitespace, `undefined` members dropped. Everything that is
// hashed into a trace goes through it, so key order from any source never changes a trace. Written
// out directly as one string (no sorted copy is built first); a member name's quoted text is made
// once and remembered, as the same few names recur in every step.

/** Quoted member names with their colon, `"KeyId":`; bounded, as names come from input too. */
const quotedNames = new Map<string, string>();
const QUOTED_NAMES_MAX = 4096;

function quotedName(key: string): string {
  let quoted = quotedNames.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedNames.size < QUOTED_NAMES_MAX) quotedNames.set(key, quoted);
  }
  return quoted;
}

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

/** Up to this many members are sorted by insertion; more by the built-in sort. */
const INSERTION_SORT_MAX = 16;

/**
 * `keys` sorted in place as `Array.prototype.sort()` sorts strings (by UTF-16 code units): by insertion
 * when there are a few (most objects), as the built-in sort allocates a work copy on every call.
 */
function sortedInPlace(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_MAX) return keys.sort();
  return sortFirst(keys, keys.length);
}

/** The first `count` of `keys` sorted in place by insertion, as `Array.prototype.sort()` sorts strings. */
export function sortFirst(keys: string[], count: number): string[] {
  for (let i = 1; i < count; i++) {
    const key = keys[i]!;
    let j = i - 1;
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!;
    keys[j + 1] = key;
  }
  return keys;
}

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
      const keys = sortedInPlace(Object.keys(value));
      let out = "{";
      let first = true;
      for (const key of keys) {
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
