// The journal survives a crash: a torn last line is ignored and cut off before appending; a damaged
// line elsewhere, a foreign file or a missing journal is bad input, not a silent fresh start.
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, JOURNAL_FILE, readJournal, type JournalContents } from "../../cli/journal.ts";
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

/** The seeds readJournal hands on from `dir`, in the order read, with what it returns. */
function read(dir: string): { seeds: number[]; contents: JournalContents } {
  const seeds: number[] = [];
  const contents = readJournal(dir, (s) => seeds.push(s.seed));
  return { seeds, contents };
}

describe("journal", () => {
  it("reads back what was appended, ignores a torn last line and appends after cutting it off", () => {
    const dir = tempDir("kmsim-journal-");
    const journal = Journal.start(dir, { kmsim: "journal/2", spec: SPEC, scenarioRef: "default" });
    journal.append(summary(1));
    journal.append(summary(2));
    journal.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"seed":3,"verdict":"pa'); // killed mid-write
    const { seeds, contents } = read(dir);
    expect(contents.header.spec).toEqual(SPEC);
    expect(seeds).toEqual([1, 2]);
    const again = Journal.continue(dir, contents);
    again.append(summary(3));
    again.close();
    expect(read(dir).seeds).toEqual([1, 2, 3]);
    expect(readFileSync(join(dir, JOURNAL_FILE), "utf8").split("\n")).toHaveLength(5); // header, 3 seeds, final newline
  });

  it("refuses a damaged line that is not the last, a foreign file and a missing journal", () => {
    const dir = tempDir("kmsim-journal-");
    expect(() => read(dir)).toThrow(/no journal in .*nothing to resume/);
    writeFileSync(join(dir, JOURNAL_FILE), '{"kmsim":"journal/2","spec":{}}\n{"seed":1,"ver\n{"seed":2}\n');
    expect(() => read(dir)).toThrow(/line 2 is not JSON; the journal is damaged/);
    writeFileSync(join(dir, JOURNAL_FILE), '{"hello":1}\n');
    expect(() => read(dir)).toThrow(/line 1: not a kmsim journal/);
    writeFileSync(join(dir, JOURNAL_FILE), '{"kmsim":"jour'); // torn before its header ended
    expect(() => read(dir)).toThrow(/line 1: not a kmsim journal/);
    writeFileSync(
      join(dir, JOURNAL_FILE),
      `{"kmsim":"journal/2","spec":{}}\n${JSON.stringify(summary(4))}\n${JSON.stringify(summary(4))}\n`,
    );
    expect(() => read(dir)).toThrow(/seed 4 is in the journal twice/);
  });

  it("reads a journal of several megabytes, lines across its reads and one longer than a read, in order", () => {
    const dir = tempDir("kmsim-journal-");
    const journal = Journal.start(dir, { kmsim: "journal/2", spec: SPEC, scenarioRef: "default" });
    const probes = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`probe-${i}`, i])); // ~1 KB a line
    for (let seed = 1; seed <= 3000; seed++) {
      // One line of 1.5 MB, longer than a read (1 MiB): the reader's buffer must grow to hold it.
      const failure = seed === 1234 ? ({ message: "x".repeat(1_500_000) } as unknown as SeedSummary["failure"]) : null;
      journal.append({ ...summary(seed), probes, failure });
    }
    journal.close();
    appendFileSync(join(dir, JOURNAL_FILE), '{"seed":3001,"verd'); // and a torn last line
    const bytes = statSync(join(dir, JOURNAL_FILE)).size;
    const { seeds, contents } = read(dir);
    expect(bytes).toBeGreaterThan(4_000_000);
    expect(seeds).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(contents.wholeBytes).toBe(bytes - '{"seed":3001,"verd'.length);
  });
});
