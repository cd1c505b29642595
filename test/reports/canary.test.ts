// A canary's report and a campaign-wide failure, from the one report structure: a canary passes only
// when a failure has the kind its planted bug is caught by, and says plainly in every file that its
// failures are expected; the campaign's p90 per fault condition fails a campaign whose seeds all
// passed, adds up the same whatever the split into shards, and keeps junit.xml valid.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { addSamples } from "../../harness/latency-pool.ts";
import { addParts, assembleReport, emptyParts, partsOfReport, type CampaignSpec, type Parts } from "../../reports/campaign.ts";
import { campaignHtml } from "../../reports/html.ts";
import { campaignJunit } from "../../reports/junit.ts";
import { campaignMarkdown } from "../../reports/markdown.ts";
import { fixtureReport, SPEC } from "../support/report-fixture.ts";

const schema = { fileName: "junit.xsd", contents: readFileSync("test/fixtures/junit.xsd", "utf8") };
const valid = async (xml: string) => (await validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [schema] })).valid;

const base = fixtureReport(); // seeds 1..6; 2 and 5 fail with kind mismatch
const canary = (expectedKind: string): CampaignSpec => ({
  ...SPEC,
  canary: { mutant: "decrypt-ignores-key-id", description: "Decrypt ignores its KeyId", expectedKind },
});
const assemble = (spec: CampaignSpec, parts: Parts) => assembleReport(spec, parts, null, base.run);

/** The fixture's parts with `samples` tallied in as one more run's calls (and, with `passing`, no failing seed). */
function withLatency(samples: Record<string, number[]>, passing = false): Parts {
  const parts = partsOfReport(base);
  addSamples(parts.latencyPool, samples);
  if (passing) {
    parts.failures = [];
    parts.results = parts.results.map((r) => ({ ...r, verdict: "pass", kind: null }));
  }
  return parts;
}

/** 40 steady Encrypt calls, 6 of them 0.3 ms over the typical time: the p90 is over. */
const SLOW = { "Encrypt|steady": [...Array.from({ length: 34 }, () => -200), ...Array.from({ length: 6 }, () => 300)] };

describe("a canary's report", () => {
  it("passes when a failure has the expected kind, and says its failures are expected in every file", async () => {
    const report = assemble(canary("mismatch"), partsOfReport(base));
    expect(report).toMatchObject({ verdict: "pass", canary: { caught: true, caughtBy: { seed: 2, check: null } }, totals: { fail: 2 } });
    for (const text of [campaignMarkdown(report), campaignHtml(report)]) {
      expect(text).toMatch(/CANARY: this scenario plants the bug (&#39;|')decrypt-ignores-key-id(&#39;|')/);
      expect(text).toContain("its failures are EXPECTED");
      expect(text).toContain("Caught as mismatch (first by seed 2)");
    }
    const xml = campaignJunit(report);
    expect(await valid(xml)).toBe(true);
    expect(xml).not.toContain("<failure");
    expect(xml).toMatch(/<testsuite name="kmsim.default" tests="\d+" failures="0"/);
    expect(xml).toContain('<property name="canary" value="decrypt-ignores-key-id (caught)"/>');
  });

  it("fails, saying the harness has gone blind, when no failure has the expected kind", async () => {
    for (const parts of [partsOfReport(base), partsOfReport(fixtureReport([1, 3, 4, 6]))]) {
      const spec = parts.failures.length === 0 ? { ...canary("mismatch"), count: 6 } : canary("invariant");
      const report = assemble(spec, parts);
      expect(report.verdict).toBe("fail");
      expect(report.canary).toMatchObject({ caught: false, caughtBy: null });
      expect(campaignMarkdown(report)).toContain("the harness has gone blind");
      const xml = campaignJunit(report);
      expect(await valid(xml)).toBe(true);
      expect(xml.match(/<failure /g)).toHaveLength(1);
      expect(xml).toMatch(/<failure type="canary" message="NOT CAUGHT: no failure of kind (invariant|mismatch)/);
    }
  });

  it("is caught by a campaign-wide failure of the expected kind too", () => {
    const report = assemble(canary("budget"), withLatency(SLOW));
    expect(report.canary).toMatchObject({ caught: true, caughtBy: { seed: null, check: "budget:p90:steady" } });
    expect(report.verdict).toBe("pass");
  });
});

describe("the campaign-wide p90", () => {
  it("fails a campaign with kind budget when the pooled calls are over, and not when they are within", async () => {
    const report = assemble(SPEC, withLatency(SLOW, true));
    expect(report).toMatchObject({ verdict: "fail", totals: { fail: 0 } });
    expect(report.campaignFailures).toEqual([
      {
        kind: "budget",
        check: "budget:p90:steady",
        message:
          "crypto calls' p90 over the campaign under steady is up to 0.3 ms over the latency model's typical time (budget: p90 within it, at most 10% of calls over); 6 of 40 calls over: Encrypt 6 of 40",
      },
    ]);
    expect(report.latencyPercentile.conditions).toEqual([
      {
        condition: "steady",
        calls: 40,
        over: 6,
        judged: true,
        exceeded: true,
        p90OverMsMax: 0.3,
        operations: [{ operation: "Encrypt", calls: 40, over: 6 }],
      },
    ]);
    const xml = campaignJunit(report);
    expect(await valid(xml)).toBe(true);
    expect(xml).toMatch(/name="latency: crypto calls&#39; p90 per fault condition over the campaign">\s*<failure type="budget"/);
    expect(campaignMarkdown(report)).toContain("| steady | 40 | 6 | 0.3 | OVER | Encrypt 6/40 |");
    expect(campaignHtml(report)).toContain("Campaign-wide failures");
    // Four over of forty is the 10% allowed; and without calls there is nothing to judge.
    const within = withLatency(
      { "Encrypt|steady": [...Array.from({ length: 36 }, () => -200), ...Array.from({ length: 4 }, () => 300)] },
      true,
    );
    expect(assemble(SPEC, within)).toMatchObject({ verdict: "pass", campaignFailures: [] });
    expect(assemble(SPEC, withLatency({}, true)).latencyPercentile.conditions).toEqual([]);
  });

  it("adds up to the same verdict and report whatever the split of the calls into shards", () => {
    const whole = assemble(SPEC, withLatency(SLOW));
    const halves = emptyParts();
    const first = partsOfReport(fixtureReport([1, 2, 3]));
    addSamples(first.latencyPool, { "Encrypt|steady": SLOW["Encrypt|steady"].slice(0, 25) });
    const second = partsOfReport(fixtureReport([4, 5, 6]));
    addSamples(second.latencyPool, { "Encrypt|steady": SLOW["Encrypt|steady"].slice(25) });
    addParts(halves, partsOfReport(assemble({ ...SPEC, shard: { index: 1, count: 2 } }, second)));
    addParts(halves, partsOfReport(assemble({ ...SPEC, shard: { index: 0, count: 2 } }, first)));
    expect(JSON.stringify(assemble(SPEC, halves))).toBe(JSON.stringify(whole));
    expect(whole.campaignFailures).toHaveLength(1);
  });
});
