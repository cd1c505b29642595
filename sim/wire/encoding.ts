// Wire encodings the virtual services read and write: strict base64 blobs (as on the KMS JSON protocol)
// and the canonical bytes of an encryption context, bound into every ciphertext as AAD.
import { canonicalJson } from "../../protocol/canonical.ts";

/** A padded last quantum: two characters and "==", three and "=", or four. */
const LAST_QUANTUM = /^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=|[A-Za-z0-9+/]{2})$/;

/** The RFC 4648 alphabet, by character code (below 128): the character's 6-bit value; -1 outside it. */
const SEXTET = new Int8Array(128).fill(-1);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((ch, i) => (SEXTET[ch.charCodeAt(0)] = i));

/**
 * Up to this many characters (a Plaintext of up to ~100 bytes) a text is read four characters a turn in
 * JavaScript — cheaper than Node's decoder, whose call and pooled buffer cost more than the work here.
 */
const SCANNED_LENGTH_MAX = 128;

/** How many "=" end `text` (a whole number of quanta, not empty): 0, 1 or 2. */
function paddingOf(text: string): number {
  const n = text.length;
  return text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) !== 61 ? 1 : 2;
}

/**
 * Decodes a short text (a whole number of quanta, not empty) read quantum by quantum, or undefined
 * when it is not strict base64. As Node's decoder, it ignores the unused low bits of a padded last
 * quantum. Four characters a turn, checked together: one test that all four are ASCII, one that all
 * four are in the alphabet (a sextet of -1 makes the OR negative).
 */
function scannedDecode(text: string): Uint8Array | undefined {
  const padding = paddingOf(text);
  const n = text.length;
  const out = new Uint8Array((n / 4) * 3 - padding);
  const unpaddedEnd = padding === 0 ? n : n - 4; // the quanta with four characters of the alphabet
  let o = 0;
  for (let i = 0; i < unpaddedEnd; i += 4) {
    const ca = text.charCodeAt(i);
    const cb = text.charCodeAt(i + 1);
    const cc = text.charCodeAt(i + 2);
    const cd = text.charCodeAt(i + 3);
    if ((ca | cb | cc | cd) >= 128) return undefined;
    const a = SEXTET[ca]!;
    const b = SEXTET[cb]!;
    const c = SEXTET[cc]!;
    const d = SEXTET[cd]!;
    if ((a | b | c | d) < 0) return undefined;
    const word = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = word >>> 16;
    out[o++] = word >>> 8;
    out[o++] = word;
  }
  if (padding === 0) return out;
  const a = sextetAt(text, n - 4);
  const b = sextetAt(text, n - 3);
  if ((a | b) < 0) return undefined;
  if (padding === 2) {
    out[o] = ((a << 6) | b) >>> 4; // two characters: 12 bits, one byte
    return out;
  }
  const c = sextetAt(text, n - 2);
  if (c < 0) return undefined;
  const word = (a << 18) | (b << 12) | (c << 6); // three characters: 18 bits, two bytes
  out[o++] = word >>> 16;
  out[o] = word >>> 8;
  return out;
}

/** The 6-bit value of the character at `i`, or -1 outside the alphabet. */
function sextetAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? SEXTET[code]! : -1;
}

/**
 * Decodes strict base64 (the RFC 4648 alphabet, padded to a multiple of 4); `undefined` when `text`
 * is not that. Node's decoder skips what it cannot read and takes the URL-safe alphabet too, so a short
 * text is scanned first; a longer one is checked for what Node would take but the grammar refuses, then
 * decoded by Node, and what Node skips shows as bytes missing: see decodedLong. Linear in the text (a
 * whole-text regular expression, or a scan in JavaScript, cost several times that at 4 KiB).
 */
export function fromBase64(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 !== 0) return undefined;
  if (n === 0) return new Uint8Array(0);
  if (checkedBytes !== undefined && checkedText === text) {
    const bytes = checkedBytes;
    checkedText = checkedBytes = undefined; // handed out once: no two callers share an array
    return bytes;
  }
  return n <= SCANNED_LENGTH_MAX ? scannedDecode(text) : decodedLong(text);
}

/**
 * A long text (past the scanned length, a whole number of quanta), decoded by Node when strict. What
 * Node's decoder would read but the grammar refuses is looked for first, each by a native search: a
 * character past ASCII (Node reads a UTF-16 unit as its low byte, so U+0141 would pass for "A"; the
 * text's UTF-8 length tells), the URL-safe "-" and "_", an "=" before the last quantum (where Node
 * stops), a malformed last quantum. Any other character outside the alphabet Node skips, and each
 * skipped character costs the decode at least one byte (6 bits fewer, in a length that is the floor of
 * 6 bits a character): it is strict exactly when all the bytes its length promises are written. Cheaper
 * than decoding and encoding back (~1.5x at 4 KiB: no encoded copy, no string compare).
 */
function decodedLong(text: string): Uint8Array | undefined {
  const n = text.length;
  if (!LAST_QUANTUM.test(text.slice(n - 4)) || Buffer.byteLength(text, "utf8") !== n) return undefined;
  const firstPad = text.indexOf("="); // indexOf, not lastIndexOf from n - 5: V8's lastIndexOf steps a character at a time
  if ((firstPad !== -1 && firstPad < n - 4) || text.indexOf("-") !== -1 || text.indexOf("_") !== -1) return undefined;
  const length = (n / 4) * 3 - paddingOf(text);
  const bytes = Buffer.allocUnsafe(length);
  if (bytes.write(text, "base64") !== length) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
}

/**
 * The last text isStrictBase64 decoded to decide, and its bytes. Request validation asks it of a blob
 * member and the handler then decodes the very same text (~8 µs at 4 KiB; a second scan of a short
 * one): the next fromBase64 of that text takes these bytes instead, once. The same bytes either way.
 */
let checkedText: string | undefined;
let checkedBytes: Uint8Array | undefined;

/** Is `text` strict base64 (what fromBase64 reads)? Request validation asks this of every blob member. */
export function isStrictBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  if (n === 0) return true;
  const bytes = n <= SCANNED_LENGTH_MAX ? scannedDecode(text) : decodedLong(text);
  checkedText = bytes === undefined ? undefined : text;
  checkedBytes = bytes;
  return bytes !== undefined;
}

/** How many bytes strict base64 `text` decodes to, without decoding it. */
export function base64ByteLength(text: string): number {
  return (text.length / 4) * 3 - paddingOf(text); // two character reads, where two endsWith calls cost ~280 instructions
}

/**
 * Where toBase64 copies the bytes it encodes: one buffer for the run, grown for longer input. Reading
 * `bytes.buffer` of a small array (V8 keeps those of up to 64 bytes on its heap, as a data key or a
 * Decrypt's plaintext) would move the array off the heap into a store of its own, an allocation and a
 * copy dearer than this copy; nothing keeps the buffer past the encoding.
 */
let base64Scratch = Buffer.allocUnsafeSlow(4096);

export function toBase64(bytes: Uint8Array): string {
  if (bytes.length > base64Scratch.length) base64Scratch = Buffer.allocUnsafeSlow(bytes.length);
  base64Scratch.set(bytes);
  return base64Scratch.toString("base64", 0, bytes.length);
}

/** UTF-8 bytes of `text` (Node's encoder: about a third of TextEncoder's cost for an ARN). */
export function utf8(text: string): Uint8Array {
  const bytes = Buffer.from(text, "utf8");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** AAD for a ciphertext: the key ARN and the canonical encryption context, so neither can be swapped. */
export function associatedData(keyArn: string, context: Record<string, string>): Uint8Array {
  return utf8(`${keyArn}\n${canonicalJson(context)}`);
}
