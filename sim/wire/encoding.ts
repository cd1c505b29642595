// Wire encodings the virtual services read and write: strict base64 blobs (as on the KMS JSON protocol)
// and the canonical bytes of an encryption context, bound into every ciphertext as AAD.
import { canonicalJson } from "../../protocol/canonical.ts";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict base64; `undefined` when `text` is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!BASE64.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** The length in bytes of what strict base64 `text` decodes to, without decoding it; `undefined` when it is not base64. */
export function base64Length(text: string): number | undefined {
  if (!BASE64.test(text)) return undefined;
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** AAD for a ciphertext: the key ARN and the canonical encryption context, so neither can be swapped. */
export function associatedData(keyArn: string, context: Record<string, string>): Uint8Array {
  return utf8(`${keyArn}\n${canonicalJson(context)}`);
}
