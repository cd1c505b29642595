// Shards share nothing but the seed arithmetic: three shards merged must say exactly what one
// unsharded campaign says.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

async function quiet(...argv: string[]): Promise<number> {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  return main(argv);
}

describe("kmsim fuzz --shard and kmsim merge", () => {
  afterEach(() => vi.restoreAllMocks());

  it("three merged shards equal the unsharded campaign", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kmsim-merge-"));
    for (const shard of ["0/3", "1/3", "2/3"]) expect(await quiet("fuzz", "--seeds", "30", "--shard", shard, "--out", dir)).toBe(0);
    expect(await quiet("fuzz", "--seeds", "30", "--out", join(dir, "whole"))).toBe(0);
    expect(await quiet("merge", ...["0", "1", "2"].map((i) => join(dir, `default-seeds-1-30-shard-${i}-of-3.json`)), "--out", dir)).toBe(0);
    const merged = JSON.parse(readFileSync(join(dir, "default-seeds-1-30-merged.json"), "utf8"));
    const whole = JSON.parse(readFileSync(join(dir, "whole", "default-seeds-1-30.json"), "utf8"));
    expect(merged.results).toEqual(whole.results);
    expect(merged.probes).toEqual(whole.probes);
    expect(merged.totals).toEqual(whole.totals);
  });

  it("writes the same report whatever the number of worker threads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kmsim-workers-"));
    expect(await quiet("fuzz", "--seeds", "12", "--workers", "1", "--out", join(dir, "one"))).toBe(0);
    expect(await quiet("fuzz", "--seeds", "12", "--workers", "3", "--out", join(dir, "three"))).toBe(0);
    for (const file of ["default-seeds-1-12.json", "default-seeds-1-12.md"]) {
      expect(readFileSync(join(dir, "three", file), "utf8")).toBe(readFileSync(join(dir, "one", file), "utf8"));
    }
  });

  it("refuses reports of different campaigns", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kmsim-merge-"));
    await quiet("fuzz", "--seeds", "4", "--out", dir);
    await quiet("fuzz", "--seeds", "4", "--steps", "5", "--out", join(dir, "other"));
    expect(await quiet("merge", join(dir, "default-seeds-1-4.json"), join(dir, "other", "default-seeds-1-4.json"))).toBe(2);
  });
});
