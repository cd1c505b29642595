// `kmsim mutants` and `kmsim list mutants` as a user meets them: the JSON shape, a mutant
// applied inside the worker that hunts it (and so caught), exit codes, one-line errors for mistakes.
import { afterEach, describe, expect, it, vi } from "vitest";
import { median } from "../../cli/mutants-report.ts";
import { CATALOGUE } from "../../mutants/catalogue.ts";
import { kmsim } from "../support/kmsim-main.ts";

describe("kmsim mutants", { timeout: 120_000 }, () => {
  afterEach(() => vi.restoreAllMocks());

  it("list mutants --json prints the whole catalogue", async () => {
    const { code, stdout } = await kmsim("list", "mutants", "--json");
    expect(code).toBe(0);
    const listed = JSON.parse(stdout.join("\n"));
    expect(listed.total).toBe(CATALOGUE.length);
    expect(listed.mutants.map((m: { name: string }) => m.name)).toEqual(CATALOGUE.map((m) => m.name));
    expect(Object.keys(listed.mutants[0]).sort()).toEqual(["area", "description", "expected", "name", "scenarios"]);
  });

  it("mutants --only NAME --json hunts one mutant in a worker and prints the issue's shape", async () => {
    const { code, stdout } = await kmsim("mutants", "--only", "key-policy-unchecked", "--seeds-per", "5", "--workers", "1", "--json");
    expect(code).toBe(0);
    const report = JSON.parse(stdout.join("\n"));
    expect(Object.keys(report).sort()).toEqual(["killed", "medianMsToKill", "medianReproSteps", "mutants", "total", "worstMsToKill"]);
    expect(report).toMatchObject({ killed: 1, total: 1 });
    const [m] = report.mutants;
    expect(m).toMatchObject({ name: "key-policy-unchecked", area: "key policies", killed: true, scenario: "default", kind: "mismatch" });
    expect(m.seedsToKill).toBeGreaterThanOrEqual(1);
    expect(m.reproSteps).toBeGreaterThanOrEqual(1);
    for (const field of ["name", "area", "killed", "scenario", "seedsToKill", "msToKill", "kind", "reproSteps"])
      expect(m).toHaveProperty(field);
  });

  it("a survivor exits 1 and is named", async () => {
    // A mutant whose patch a scenario never reaches survives: the lockout-check mutant hunted in keystores, which makes no key policies.
    const { code, stdout } = await kmsim(
      "mutants",
      "--only",
      "lockout-check-skipped",
      "--scenario",
      "keystores",
      "--seeds-per",
      "2",
      "--workers",
      "1",
    );
    expect(code).toBe(1);
    expect(stdout.join("\n")).toContain("SURVIVED lockout-check-skipped");
    expect(stdout.join("\n")).toContain("0 of 1 mutants killed");
  });

  it("names the mistake in one line: an unknown mutant, a bad duration, an unknown list", async () => {
    expect((await kmsim("mutants", "--only", "no-such-bug")).stderr).toEqual([
      "kmsim mutants: --only: no mutant 'no-such-bug' (see kmsim list mutants)",
    ]);
    expect((await kmsim("mutants", "--time-per", "soon")).code).toBe(2);
    expect((await kmsim("list", "cats")).code).toBe(2);
  });

  it("takes the median of an odd and an even count", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
