// The one report structure: failures alike form one group with the smallest repro; coverage lists
// what was expected and missed; a report assembled from parts in any order and split any way is
// the same; an incomplete run says so and how far it got.
import { describe, expect, it } from "vitest";
import { addParts, assembleReport, emptyParts, partsOfReport, type Parts } from "../../reports/campaign.ts";
import { fixtureReport, SPEC } from "../support/report-fixture.ts";

describe("campaign report", () => {
  const report = fixtureReport();

  it("groups the two alike failures into one with a count, seeds and the smallest repro", () => {
    expect(report.verdict).toBe("fail");
    expect(report.totals).toMatchObject({ seeds: 6, pass: 4, fail: 2, rechecked: 1, byKind: { mismatch: 2 } });
    expect(report.groups).toHaveLength(1);
    const [group] = report.groups;
    expect(group).toMatchObject({ kind: "mismatch", operation: "Encrypt", count: 2, seeds: [2, 5] });
    expect(group!.smallest).toMatchObject({ seed: 2, shrunkSteps: 4, repro: "repro-default-2.json" });
    expect(group!.signature).toMatch(
      /^mismatch\/expect · Encrypt · virtual KMS AccessDeniedException · model AccessDeniedException · the script expected .*; the virtual KMS answered/,
    );
    expect(group!.signature).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/); // ids are blanked
  });

  it("keeps both sides' answers and the fault timeline of a failure", () => {
    const f = report.failures[0]!;
    expect(f.atFailure?.sut).toMatchObject({ ok: false, error: { name: "AccessDeniedException" } });
    expect(f.timeline.map((t) => t.what)).toEqual(
      ['fault partition "hsm-abcdefghij2"', "advance 25 ms", "Encrypt as app ✗"].map((w, i) =>
        i === 0 ? expect.stringMatching(/^fault partition "hsm-/) : w,
      ),
    );
  });

  it("lists the expected probes that were not reached", () => {
    expect(report.coverage).toEqual({ required: false, expected: SPEC.probesExpected, notReached: ["fault:az-outage"] });
  });

  it("fails a complete campaign that misses a required probe, with no failing seed", () => {
    const spec = { ...SPEC, count: 1, requireCoverage: true };
    const passing = fixtureReport([1], spec);
    expect(passing).toMatchObject({ complete: true, verdict: "fail", totals: { fail: 0 }, coverage: { notReached: ["fault:az-outage"] } });
    expect(fixtureReport([1], { ...spec, requireCoverage: false }).verdict).toBe("pass");
  });

  it("says an incomplete run is incomplete, why, and which seeds did not run", () => {
    const partial = fixtureReport([1, 2, 3]);
    expect(partial).toMatchObject({ complete: false, stopped: "interrupted", notRun: { count: 3, seeds: "4..6" } });
  });

  it("adds up to the same report whatever the split and order of its parts", () => {
    const halves: Parts = emptyParts();
    addParts(halves, partsOfReport(fixtureReport([4, 5, 6], { ...SPEC })));
    addParts(halves, partsOfReport(fixtureReport([1, 2, 3], { ...SPEC })));
    const again = assembleReport(SPEC, halves, null, report.run);
    expect(JSON.stringify(again)).toBe(JSON.stringify(report));
  });

  it("adds parts of any size: a shard of 300,000 seeds", () => {
    const row = { seed: 0, verdict: "pass", kind: null, steps: 1, traceHash: "" };
    const shard: Parts = { ...emptyParts(), results: Array.from({ length: 300_000 }, (_, seed) => ({ ...row, seed })) };
    const merged = emptyParts();
    addParts(merged, shard); // a spread of the rows overflowed the call stack here
    expect(merged.results).toHaveLength(300_000);
    expect(merged.results[299_999]!.seed).toBe(299_999);
  });
});
