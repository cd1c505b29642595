// Canonical JSON (protocol/canonical.ts) written straight into a growing buffer as UTF-8: the bytes of
// `Buffer.from(canonicalJson(value), "utf8")`, with no string built. The trace hash writes every
// step's entry through it (harness/trace.ts): as text, each entry was a chain of concatenated strings
// kept until the hash was read, so it outlived a scavenge or two and was copied by each. A string is
// checked and copied in one pass; member names are put in order by protocol/name-order.ts.
import { sortedNames } from "./name-order.ts";

/** The UTF-16 code units a short text may have to be copied by hand (a native write costs a call). */
const SHORT_TEXT_MAX = 48;

/** Most UTF-8 bytes one UTF-16 code unit of a string can take. */
const UTF8_BYTES_PER_UNIT_MAX = 3;

/** Bytes a writer starts with; it doubles when a write would not fit. */
const WRITER_BYTES_INITIAL = 64 * 1024;

/** A growing byte buffer that texts are written into as UTF-8. */
export class Utf8Writer {
  buffer: Buffer;
  /** Bytes written so far, from offset 0. */
  length = 0;

  constructor(initialBytes = WRITER_BYTES_INITIAL) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Makes room for `bytes` more bytes. */
  reserve(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const bigger = Buffer.allocUnsafe(size);
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  /** Leaves `bytes` bytes unwritten (their content undefined), for the caller to fill later. */
  skip(bytes: number): void {
    this.reserve(bytes);
    this.length += bytes;
  }

  /** One byte (an ASCII character's code). */
  byte(code: number): void {
    this.reserve(1);
    this.buffer[this.length++] = code;
  }

  /** `text` as UTF-8: copied by hand when short and ASCII, else by Buffer's native encoder. */
  text(text: string): void {
    const units = text.length;
    this.reserve(units * UTF8_BYTES_PER_UNIT_MAX);
    if (units <= SHORT_TEXT_MAX) {
      const buffer = this.buffer;
      let at = this.length;
      let ascii = true;
      for (let i = 0; i < units && ascii; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) ascii = false;
        else buffer[at++] = code;
      }
      if (ascii) {
        this.length = at;
        return;
      }
    }
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  /** Forgets what was written; the buffer is kept. */
  clear(): void {
    this.length = 0;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;

/** Each nesting depth's member names, reused from object to object (only the first `count` are current). */
const namesByDepth: string[][] = [];

const BACKSLASH = 0x5c;

/** JSON's two-character escapes of controls: \b \t \n \f \r (0 where it writes \u00XX). */
const SHORT_ESCAPES = [0, 0, 0, 0, 0, 0, 0, 0, 0x62, 0x74, 0x6e, 0, 0x66, 0x72, 0, 0];

const HEX_DIGITS = "0123456789abcdef";

/** `uXXXX` (after a backslash), lowercase, as JSON.stringify escapes a control or a lone surrogate; where it ends. */
function writeUnicodeEscape(code: number, buffer: Buffer, at: number): number {
  buffer[at++] = 0x75;
  for (let shift = 12; shift >= 0; shift -= 4) buffer[at++] = HEX_DIGITS.charCodeAt((code >> shift) & 0xf);
  return at;
}

/** Most bytes one UTF-16 code unit takes escaped: `\uXXXX`. */
const ESCAPED_BYTES_PER_UNIT_MAX = 6;

/**
 * `JSON.stringify(text)` as UTF-8, for a text with something to escape or beyond ASCII (a key policy
 * is JSON in a string: its every quote is), written code unit by code unit into room reserved once.
 */
function writeEscaped(text: string, out: Utf8Writer): void {
  out.reserve(text.length * ESCAPED_BYTES_PER_UNIT_MAX + 2);
  const buffer = out.buffer;
  let at = out.length;
  buffer[at++] = QUOTE;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20) {
      const short = SHORT_ESCAPES[code] ?? 0;
      buffer[at++] = BACKSLASH;
      if (short !== 0) buffer[at++] = short;
      else at = writeUnicodeEscape(code, buffer, at);
    } else if (code === QUOTE || code === BACKSLASH) {
      buffer[at++] = BACKSLASH;
      buffer[at++] = code;
    } else if (code < 0x80) buffer[at++] = code;
    else if (code < 0x800) {
      buffer[at++] = 0xc0 | (code >> 6);
      buffer[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0xd800 || code > 0xdfff) {
      buffer[at++] = 0xe0 | (code >> 12);
      buffer[at++] = 0x80 | ((code >> 6) & 0x3f);
      buffer[at++] = 0x80 | (code & 0x3f);
    } else {
      const low = code <= 0xdbff && i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (low < 0xdc00 || low > 0xdfff) {
        buffer[at++] = BACKSLASH; // a lone surrogate
        at = writeUnicodeEscape(code, buffer, at);
      } else {
        const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        buffer[at++] = 0xf0 | (point >> 18);
        buffer[at++] = 0x80 | ((point >> 12) & 0x3f);
        buffer[at++] = 0x80 | ((point >> 6) & 0x3f);
        buffer[at++] = 0x80 | (point & 0x3f);
        i++;
      }
    }
  }
  buffer[at++] = QUOTE;
  out.length = at;
}

/**
 * `JSON.stringify(text)` as UTF-8. Most texts (ids, names, base64) are ASCII with nothing to escape:
 * they are copied as they are checked, in one pass; a text with anything else is written again from
 * its start by writeEscaped.
 */
function writeString(text: string, out: Utf8Writer): void {
  const units = text.length;
  out.reserve(units + 2);
  const buffer = out.buffer;
  let at = out.length;
  buffer[at++] = QUOTE;
  for (let i = 0; i < units; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code >= 0x80 || code === QUOTE || code === BACKSLASH) return writeEscaped(text, out);
    buffer[at++] = code;
  }
  buffer[at++] = QUOTE;
  out.length = at;
}

/** A whole number of at most 2^53 in magnitude, in decimal digits (as JSON writes it: no exponent below 1e21). */
function writeInteger(n: number, out: Utf8Writer): void {
  if (n < 0) {
    out.byte(MINUS);
    n = -n;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  out.reserve(digits);
  const buffer = out.buffer;
  let at = out.length + digits;
  out.length = at;
  do {
    buffer[--at] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  } while (n > 0);
}

function writeNumber(n: number, out: Utf8Writer): void {
  if (!Number.isFinite(n)) throw new Error(`canonicalJson: ${n} is not JSON`);
  if (Number.isSafeInteger(n))
    writeInteger(n, out); // -0 too: JSON writes it as 0
  else out.text(String(n));
}

function writeObject(value: Record<string, unknown>, out: Utf8Writer, depth: number): void {
  const names = (namesByDepth[depth] ??= []);
  let count = 0;
  for (const name in value) if (Object.hasOwn(value, name)) names[count++] = name;
  const sorted = sortedNames(names, count);
  out.byte(OPEN_BRACE);
  let first = true;
  for (let i = 0; i < count; i++) {
    const name = sorted[i]!;
    const member = value[name];
    if (member === undefined) continue;
    if (!first) out.byte(COMMA);
    first = false;
    writeString(name, out);
    out.byte(COLON);
    write(member, out, depth + 1);
  }
  out.byte(CLOSE_BRACE);
}

function write(value: unknown, out: Utf8Writer, depth: number): void {
  switch (typeof value) {
    case "string":
      return writeString(value, out);
    case "number":
      return writeNumber(value, out);
    case "boolean":
      return out.text(value ? "true" : "false");
    case "undefined":
      return out.text("null");
    case "object":
      if (value === null) return out.text("null");
      if (Array.isArray(value)) {
        out.byte(OPEN_BRACKET);
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.byte(COMMA);
          write(value[i], out, depth + 1);
        }
        return out.byte(CLOSE_BRACKET);
      }
      return writeObject(value as Record<string, unknown>, out, depth);
    default:
      return out.text(JSON.stringify(value) ?? ""); // not JSON (a function, a symbol): written as nothing, as canonical.ts
  }
}

/** Appends the UTF-8 bytes of `canonicalJson(value)` to `out`. */
export function writeCanonicalJson(value: unknown, out: Utf8Writer): void {
  write(value, out, 0);
}
