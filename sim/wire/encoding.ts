// Wire encodings the virtual services read and write: strict base64 blobs (as on the KMS JSON protocol)
// and the canonical bytes of an encryption context, bound into every ciphertext as AAD.
import { canonicalJson } from "../../protocol/canonical.ts";

/** A padded last quantum: two characters and "==", three and "=", or four. */
const LAST_QUANTUM = /^[A-Za-z0-9+/]{2}(?:==|[A-Za-z0-9+/]=|[A-Za-z0-9+/]{2})$/;

/** The RFC 4648 alphabet, by character code (below 128). */
const ALPHABET = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") ALPHABET[ch.charCodeAt(0)] = 1;

/** Up to this many characters a scan of the alphabet is cheaper than decoding and encoding back (a Plaintext of up to ~100 bytes). */
const SCANNED_LENGTH_MAX = 128;

/** Is `text` (a whole number of quanta, not empty) strict base64? Character by character: for short texts. */
function scannedStrict(text: string): boolean {
  const n = text.length;
  const padding = text.charCodeAt(n - 1) !== 61 ? 0 : text.charCodeAt(n - 2) !== 61 ? 1 : 2;
  for (let i = 0; i < n - padding; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || ALPHABET[code] === 0) return false;
  }
  return true;
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
  if (n <= SCANNED_LENGTH_MAX && !scannedStrict(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  if (n > SCANNED_LENGTH_MAX) {
    const back = bytes.toString("base64");
    if (back.length !== n || !LAST_QUANTUM.test(text.slice(n - 4)) || back.slice(0, n - 4) !== text.slice(0, n - 4)) return undefined;
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Is `text` strict base64 (what fromBase64 reads)? A short text is only scanned — request validation
 * asks this of every blob member, and the handler decodes it afterwards anyway.
 */
export function isStrictBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  if (n === 0) return true;
  if (n <= SCANNED_LENGTH_MAX) return scannedStrict(text);
  return fromBase64(text) !== undefined;
}

/** How many bytes strict base64 `text` decodes to, without decoding it. */
export function base64ByteLength(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64");
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
