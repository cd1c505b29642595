import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../protocol/canonical.ts";
import { TraceHash } from "../../harness/trace.ts";

/** The trace hash as defined, one fold per entry: digest = SHA-256(digest ‖ UTF-8 canonical JSON). */
function reference(entries: unknown[]): string {
  let digest = createHash("sha256").update("kmsim-trace-v1").digest();
  for (const entry of entries) digest = createHash("sha256").update(digest).update(canonicalJson(entry), "utf8").digest();
  return digest.toString("hex");
}

describe("TraceHash", () => {
  const entries: unknown[] = [
    { i: 0, step: { call: "CreateKey", as: "admin" }, outcome: { ok: true, output: {} }, atUs: 0, durationUs: 1200 },
    { i: 1, step: { advance: 5000 }, outcome: { ok: true, output: {} }, atUs: 1200, durationUs: 0 },
    { i: 2, step: { call: "TagResource", input: { Tags: [{ TagKey: "ünïcödé ✓", TagValue: "😀".repeat(40) }] } }, atUs: 6200 },
  ];

  it("folds the entries it is given, in order, as the definition says (texts kept and folded when read)", () => {
    const trace = new TraceHash();
    for (const e of entries) trace.add(e);
    expect(trace.hex).toBe(reference(entries));
  });

  it("reads the same between additions as at the end", () => {
    const trace = new TraceHash();
    trace.add(entries[0]);
    expect(trace.hex).toBe(reference(entries.slice(0, 1)));
    expect(trace.hex).toBe(reference(entries.slice(0, 1))); // reading twice folds nothing twice
    trace.add(entries[1]);
    trace.add(entries[2]);
    expect(trace.hex).toBe(reference(entries));
  });

  it("depends on the order of the entries", () => {
    const a = new TraceHash();
    const b = new TraceHash();
    for (const e of entries) a.add(e);
    for (const e of [...entries].reverse()) b.add(e);
    expect(a.hex).not.toBe(b.hex);
  });

  it("returns the canonical text it hashes", () => {
    expect(new TraceHash().add({ b: 1, a: [2, undefined] })).toBe('{"a":[2,null],"b":1}');
  });
});
