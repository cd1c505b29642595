// Answers recorded from real AWS, kept as fixtures with where each was recorded
// (test/fixtures/recorded/*.json). Placeholders keep long values readable: "<blob N>" is N bytes of
// base64 and "<N x>" is N letters x, wherever they appear (input or message).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { ROOT } from "./sources.ts";

export interface RecordedCase {
  operation: string;
  input: JsonObject;
  error: { name: string; message: string };
  source: string;
}

function expand(value: Json): Json {
  if (typeof value === "string")
    return value
      .replace(/<blob (\d+)>/g, (_, n: string) => Buffer.alloc(Number(n), 7).toString("base64"))
      .replace(/<(\d+) x>/g, (_, n: string) => "x".repeat(Number(n)));
  if (Array.isArray(value)) return value.map(expand);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]));
  return value;
}

export function recordedCases(file: string): RecordedCase[] {
  const data = JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "recorded", file), "utf8")) as { cases: Json[] };
  return data.cases.map((c) => expand(c) as unknown as RecordedCase);
}
