// What the model predicts: an outcome pattern. A pattern is an Outcome in which a value the model
// cannot know (a fresh id, a ciphertext, a timestamp it does not track) is `{"$any": kind}`, and an
// error without `message` accepts any message (comparison granularity: error name, plus the message
// where the spec records it).
import type { Json } from "./step.ts";

export type AnyKind =
  "string" | "number" | "blob" | "KeyId" | "KeyArn" | "KeyMaterialId" | "CustomKeyStoreId" | "ClusterId" | "HsmId" | "BackupId";
/** Any value of `kind`; a blob may also name its length in bytes. */
export type AnyValue = { $any: AnyKind; bytes?: number };

export type OutputPattern = { [key: string]: Json | AnyValue | OutputPattern | OutputPattern[] };
export type OutcomePattern = { ok: true; output: OutputPattern } | { ok: false; error: { name: string; message?: string } };

export function any(kind: AnyKind, bytes?: number): AnyValue {
  return bytes === undefined ? { $any: kind } : { $any: kind, bytes };
}

export function okPattern(output: OutputPattern = {}): OutcomePattern {
  return { ok: true, output };
}

export function errorPattern(name: string, message?: string): OutcomePattern {
  return message === undefined ? { ok: false, error: { name } } : { ok: false, error: { name, message } };
}
