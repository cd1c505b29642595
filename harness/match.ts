// Does an actual outcome fit a model pattern? Values compare exactly, object members as sets of
// names, `{"$any": kind}` accepts any well-formed value of that kind, and an error pattern without a
// message accepts any message.
import type { AnyKind, OutcomePattern } from "../protocol/pattern.ts";
import type { Json, JsonObject, Outcome } from "../protocol/step.ts";

const KINDS: Record<AnyKind, (v: Json) => boolean> = {
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number",
  blob: (v) => typeof v === "string" && v.length > 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v),
  KeyId: (v) => typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v),
  KeyMaterialId: (v) => typeof v === "string" && /^[a-f0-9]{64}$/.test(v), // KMS service model BackingKeyIdType
  KeyArn: (v) => typeof v === "string" && /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(v),
  CustomKeyStoreId: (v) => typeof v === "string" && /^cks-[0-9a-f]{17}$/.test(v),
  ClusterId: (v) => typeof v === "string" && /^cluster-[2-7a-z]{11,16}$/.test(v),
  HsmId: (v) => typeof v === "string" && /^hsm-[2-7a-z]{11,16}$/.test(v),
  BackupId: (v) => typeof v === "string" && /^backup-[2-7a-z]{11,16}$/.test(v),
};

function fits(pattern: unknown, actual: Json | undefined): boolean {
  if (actual === undefined) return false;
  if (pattern === null || typeof pattern !== "object") return pattern === actual;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual) || actual.length !== pattern.length) return false;
    for (let i = 0; i < pattern.length; i++) if (!fits(pattern[i], actual[i])) return false;
    return true;
  }
  const record = pattern as Record<string, unknown>;
  const kind = record["$any"];
  if (typeof kind === "string") {
    const bytes = record["bytes"];
    return (
      KINDS[kind as AnyKind](actual) &&
      (typeof bytes !== "number" || (typeof actual === "string" && Buffer.from(actual, "base64").length === bytes))
    );
  }
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
  // Member by member, counting the defined ones on each side (no name lists: this runs for every
  // allowed outcome of every call).
  let members = 0;
  for (const k in record) {
    if (!Object.hasOwn(record, k) || record[k] === undefined) continue;
    members++;
    if (!fits(record[k], actual[k])) return false;
  }
  for (const k in actual) if (Object.hasOwn(actual, k) && actual[k] !== undefined) members--;
  return members === 0;
}

export function matches(pattern: OutcomePattern, actual: Outcome): boolean {
  if (pattern.ok !== actual.ok) return false;
  if (pattern.ok && actual.ok) return fits(pattern.output, actual.output);
  if (pattern.ok || actual.ok) return false;
  return (
    pattern.error.name === actual.error.name && (pattern.error.message === undefined || pattern.error.message === actual.error.message)
  );
}

/** Does `actual` contain `expected`? Objects: every listed member matches (others are ignored); arrays: same length, item by item. */
function contains(expected: Json | undefined, actual: Json | undefined): boolean {
  if (expected === null || typeof expected !== "object") return expected === actual;
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => contains(e, actual[i]));
  if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
  return Object.entries(expected).every(([k, e]) => contains(e, actual[k]));
}

/**
 * A script author's `expect`: `{"ok": true}` accepts any output; with `output`, the listed fields must
 * match and the rest are ignored; an error needs its name and, if given, its exact message.
 */
export function meetsExpectation(expect: JsonObject, actual: Outcome): boolean {
  if (expect["ok"] !== actual.ok) return false;
  if (actual.ok) return expect["output"] === undefined || contains(expect["output"], actual.output);
  return contains(expect["error"], actual.error as unknown as JsonObject);
}
