// The one type guard for "a JSON-like object, not an array and not null": policy documents, request
// members and model/world records are read through it on both sides of the differential check.
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
