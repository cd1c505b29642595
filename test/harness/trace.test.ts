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

  it("folds entries larger than its buffer, and two traces written in turn keep apart", () => {
    const big = (i: number) => ({ i, blob: "QUJD".repeat(20_000 + i * 7_000), text: "ünïcödé ✓ 😀".repeat(3_000) });
    const many = Array.from({ length: 6 }, (_, i) => big(i));
    const a = new TraceHash();
    const b = new TraceHash();
    for (const [i, e] of many.entries()) {
      a.add(e);
      b.add(entries[i % entries.length]);
      if (i === 2) expect(b.hex).toBe(reference([0, 1, 2].map((k) => entries[k % entries.length])));
    }
    expect(a.hex).toBe(reference(many));
    expect(b.hex).toBe(reference(many.map((_, i) => entries[i % entries.length])));
    const again = new TraceHash(); // writes into a buffer an earlier trace gave back
    for (const e of entries) again.add(e);
    expect(again.hex).toBe(reference(entries));
  });
});
