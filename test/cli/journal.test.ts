// The journal survives a crash: a torn last line is ignored and cut off before appending; a damaged
// line elsewhere, a foreign file or a missing journal is bad input, not a silent fresh start.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, JOURNAL_FILE, readJournal } from "../../cli/journal.ts";
import type { SeedSummary } from "../../reports/campaign.ts";
import { SPEC } from "../support/report-fixture.ts";
import { tempDir } from "../support/temp-dir.ts";

const summary = (seed: number): SeedSummary => ({
  seed,
  verdict: "pass",
  kind: null,
  steps: 3,
  traceHash: "ab",
  rechecked: false,
  probes: {},
  latency: {},
  latencyPool: {},
  failure: null,
});

describe("journal", () => {
  it("reads back what was appended, ignores a torn last line and appends after cutting it off", () => {
    const dir = tempDir("kmsim-journal-");
    const journal = Journal.start(dir, { kmsim: "journal/2", spec: SPEC, scenarioRef: "default" });
    journal.append(summary(1));
    journal.append(summary(2));
    journal.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"seed":3,"verdict":"pa'); // killed mid-write
    const contents = readJournal(dir);
    expect(contents.header.spec).toEqual(SPEC);
    expect(contents.summaries.map((s) => s.seed)).toEqual([1, 2]);
    const again = Journal.continue(dir, contents);
    again.append(summary(3));
    again.close();
    expect(readJournal(dir).summaries.map((s) => s.seed)).toEqual([1, 2, 3]);
    expect(readFileSync(join(dir, JOURNAL_FILE), "utf8").split("\n")).toHaveLength(5); // header, 3 seeds, final newline
  });

  it("refuses a damaged line that is not the last, a foreign file and a missing journal", () => {
    const dir = tempDir("kmsim-journal-");
    expect(() => readJournal(dir)).toThrow(/no journal in .*nothing to resume/);
    writeFileSync(join(dir, JOURNAL_FILE), '{"kmsim":"journal/2","spec":{}}\n{"seed":1,"ver\n{"seed":2}\n');
    expect(() => readJournal(dir)).toThrow(/line 2 is not JSON; the journal is damaged/);
    writeFileSync(join(dir, JOURNAL_FILE), '{"hello":1}\n');
    expect(() => readJournal(dir)).toThrow(/line 1: not a kmsim journal/);
  });
});
