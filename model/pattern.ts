// What the model predicts: an outcome pattern. A pattern is an Outcome in which a value the model
// cannot know (a fresh id, a ciphertext, a timestamp it does not track) is `{"$any": kind}`, and an
// error without `message` accepts any message (comparison granularity: error name, plus the message
// where the spec records it).
import type { Json } from "../sim/step.ts";

export type AnyKind = "string" | "number" | "blob" | "KeyId" | "KeyArn" | "CustomKeyStoreId" | "ClusterId" | "HsmId" | "BackupId";
export type AnyValue = { $any: AnyKind };

export type OutputPattern = { [key: string]: Json | AnyValue | OutputPattern | OutputPattern[] };
export type OutcomePattern =
  | { ok: true; output: OutputPattern }
  | { ok: false; error: { name: string; message?: string } };

export function any(kind: AnyKind): AnyValue {
  return { $any: kind };
}

export function okPattern(output: OutputPattern = {}): OutcomePattern {
  return { ok: true, output };
}

export function errorPattern(name: string, message?: string): OutcomePattern {
  return message === undefined ? { ok: false, error: { name } } : { ok: false, error: { name, message } };
}
