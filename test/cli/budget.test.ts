// The time budget and recheck flags: durations and percentages read as documented, and the seeds
// run twice are a fixed share chosen by seed number alone.
import { describe, expect, it } from "vitest";
import { parseDuration, parsePercent, rechecks } from "../../cli/budget.ts";

describe("campaign budgets", () => {
  it("reads durations with units and refuses the rest", () => {
    expect(parseDuration("fuzz", "time", "45s")).toBe(45_000);
    expect(parseDuration("fuzz", "time", "90m")).toBe(5_400_000);
    expect(parseDuration("fuzz", "time", "1h30m")).toBe(5_400_000);
    expect(parseDuration("fuzz", "time", "2h")).toBe(7_200_000);
    for (const bad of ["", "2", "2 h", "0s", "1d", "-1h", "721h"])
      expect(() => parseDuration("fuzz", "time", bad)).toThrow(/--time must be/);
  });

  it("reads percentages and refuses the rest", () => {
    expect(parsePercent("fuzz", "recheck", "5%")).toBe(5);
    expect(parsePercent("fuzz", "recheck", "0.25%")).toBe(0.25);
    for (const bad of ["5", "101%", "-1%", "5.123%", "%", "five%"])
      expect(() => parsePercent("fuzz", "recheck", bad)).toThrow(/--recheck must be/);
  });

  it("rechecks about the share asked for, spread over the range, and exactly none or all at 0% and 100%", () => {
    const seeds = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const share = seeds.filter((s) => rechecks(s, 5)).length / seeds.length;
    expect(share).toBeGreaterThan(0.045);
    expect(share).toBeLessThan(0.055);
    const firstHundred = seeds.slice(0, 100).filter((s) => rechecks(s, 5)).length;
    expect(firstHundred).toBeGreaterThan(0);
    expect(seeds.some((s) => rechecks(s, 0))).toBe(false);
    expect(seeds.every((s) => rechecks(s, 100))).toBe(true);
  });
});
