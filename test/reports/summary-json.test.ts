// summary.json written piece by piece is byte for byte JSON.stringify(report, null, 2) and a newline,
// with rows or none, whatever its texts hold; and writing pieces is whole or nothing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CampaignReport } from "../../reports/campaign.ts";
import { summaryJsonPieces } from "../../reports/summary-json.ts";
import { writeReports, writeWholePieces } from "../../reports/write.ts";
import { fixtureReport } from "../support/report-fixture.ts";
import { tempDir } from "../support/temp-dir.ts";

const whole = (report: CampaignReport) => `${JSON.stringify(report, null, 2)}\n`;

describe("summary.json in pieces", () => {
  it("is the report's JSON text exactly: passes and failures, no rows at all, and texts that look like the rows' place", () => {
    const report = fixtureReport([1, 2, 3]);
    expect([...summaryJsonPieces(report)].join("")).toBe(whole(report));
    const none = { ...report, results: [] };
    expect([...summaryJsonPieces(none)].join("")).toBe(whole(none));
    // A value holding the text of the rows' place: escaped in the JSON, so it is not taken for it.
    const tricky = { ...report, stopped: '\n  "results": [],\n' };
    expect([...summaryJsonPieces(tricky)].join("")).toBe(whole(tricky));
    expect(report.failures.length).toBeGreaterThan(0);
  });

  it("is what writeReports writes", () => {
    const dir = tempDir("kmsim-summary-json-");
    const report = fixtureReport([1, 2, 3]);
    writeReports(dir, report);
    expect(readFileSync(join(dir, "summary.json"), "utf8")).toBe(whole(report));
  });

  it("leaves no file when a piece fails, and writes more than one write's worth whole", () => {
    const dir = tempDir("kmsim-summary-json-");
    function* failing(): Generator<string> {
      yield "{";
      throw new Error("a renderer's bug");
    }
    expect(() => writeWholePieces(join(dir, "x.json"), failing())).toThrow("a renderer's bug");
    expect(existsSync(join(dir, "x.json"))).toBe(false);
    expect(existsSync(join(dir, "x.json.partial"))).toBe(false);
    const pieces = Array.from({ length: 3000 }, (_, i) => `${"x".repeat(999)}${i % 10}`); // 3 MB in 1,000-character pieces
    writeWholePieces(join(dir, "big.txt"), pieces);
    expect(readFileSync(join(dir, "big.txt"), "utf8")).toBe(pieces.join(""));
  });

  it("writes the four reports all or none: a renderer that throws in junit.xml leaves no report file", () => {
    const dir = tempDir("kmsim-reports-all-or-none-");
    const report = fixtureReport([1, 2, 3]);
    // A row that summary.json reads once and junit.xml then reads again, and fails there.
    let reads = 0;
    const row = { ...report.results[0]! };
    Object.defineProperty(row, "seed", {
      enumerable: true,
      get: () => {
        if (++reads > 1) throw new Error("a renderer's bug");
        return 1;
      },
    });
    expect(() => writeReports(dir, { ...report, results: [row, ...report.results.slice(1)] })).toThrow("a renderer's bug");
    expect(readdirSync(dir)).toEqual([]);
  });
});
