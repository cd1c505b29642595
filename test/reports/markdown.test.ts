// summary.md: the verdict first, a row per failure group, what was not reached, probes folded away;
// prose lines short (tables, which Markdown cannot wrap, aside).
import { describe, expect, it } from "vitest";
import { campaignMarkdown } from "../../reports/markdown.ts";
import { fixtureReport } from "../support/report-fixture.ts";

describe("summary.md", () => {
  const md = campaignMarkdown(fixtureReport());
  const lines = md.split("\n");

  it("opens with the verdict and lists one row per failure group with its smallest repro", () => {
    expect(lines[0]).toBe("# kmsim: FAIL — scenario `default`");
    expect(lines[2]).toBe("**FAIL: 4 of 6 seeds passed · 2 failures in 1 group · 1 expected probe(s) not reached**");
    const rows = lines.filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toEqual([
      "| 1 | mismatch | Encrypt | 2 | 2, 5 | `repro-default-2.json` (4 steps) | `npx kmsim run --seed 2 --scenario default --steps 60` |",
    ]);
    expect(md).toContain("## Not reached (1 of 3 expected)\n\n- `fault:az-outage`");
    expect(md).toMatch(/<details><summary>Coverage probes \(\d+ reached, summed over all seeds\)<\/summary>/);
  });

  it("keeps every line that is not a table row within 120 columns", () => {
    expect(lines.filter((l) => !l.startsWith("|") && l.length > 120)).toEqual([]);
  });
});
