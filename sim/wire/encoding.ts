// Wire encodings the virtual services read and write: strict base64 blobs (as on the KMS JSON protocol)
// and the canonical bytes of an encryption context, bound into every ciphertext as AAD.
import { canonicalJson } from "../../protocol/canonical.ts";

/** A padded last quantum: two characters and "==", three and "=", or four. */
const LAST_QUANTUM = /^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=|[A-Za-z0-9+/]{2})$/;

/** The RFC 4648 alphabet, by character code (below 128): the character's 6-bit value plus one; 0 outside it. */
const SEXTET_PLUS_ONE = new Uint8Array(128);
[..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"].forEach((ch, i) => (SEXTET_PLUS_ONE[ch.charCodeAt(0)] = i + 1));

/**
 * Up to this many characters (a Plaintext of up to ~100 bytes) a text is read character by character in
 * JavaScript — cheaper than Node's decoder, whose call and pooled buffer cost more than the work here.
 */
const SCANNED_LENGTH_MAX = 128;

/** How many "=" end `text` (a whole number of quanta, not empty): 0, 1 or 2. */
function paddingOf(text: string): number {
  const n = text.length;
  return text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) !== 61 ? 1 : 2;
}

/** The 6-bit value of the character at `i`, or -1 outside the alphabet. */
function sextetAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code < 128 ? SEXTET_PLUS_ONE[code]! - 1 : -1;
}

/**
 * Decodes a short text (a whole number of quanta, not empty) read character by character, or undefined
 * when it is not strict base64. As Node's decoder, it ignores the unused low bits of a padded last quantum.
 */
function scannedDecode(text: string): Uint8Array | undefined {
  const padding = paddingOf(text);
  const end = text.length - padding;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let word = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const sextet = sextetAt(text, i);
    if (sextet < 0) return undefined;
    word = (word << 6) | sextet;
    if ((i & 3) === 3) {
      out[o++] = word >>> 16;
      out[o++] = word >>> 8;
      out[o++] = word;
      word = 0;
    }
  }
  if (padding === 1) {
    word <<= 6; // three characters: 18 bits, two bytes
    out[o++] = word >>> 16;
    out[o] = word >>> 8;
  } else if (padding === 2) out[o] = word >>> 4; // two characters: 12 bits, one byte
  return out;
}

/**
 * Decodes strict base64 (the RFC 4648 alphabet, padded to a multiple of 4); `undefined` when `text`
 * is not that. Node's decoder skips what it cannot read and takes the URL-safe alphabet too, so a short
 * text is scanned first; a longer one is strict exactly when the bytes encode back to it — but for the
 * unused bits of the last quantum, which strict base64 leaves free — and that last quantum is well
 * formed. Linear in the text: one decode, one encode (a whole-text regular expression, or a scan in
 * JavaScript, cost several times that at 4 KiB).
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

/** A long text (past the scanned length), decoded by Node and kept only if it encodes back: see fromBase64. */
function decodedLong(text: string): Uint8Array | undefined {
  const n = text.length;
  const bytes = Buffer.from(text, "base64");
  const back = bytes.toString("base64");
  if (back.length !== n || !LAST_QUANTUM.test(text.slice(n - 4)) || back.slice(0, n - 4) !== text.slice(0, n - 4)) return undefined;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
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
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
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
