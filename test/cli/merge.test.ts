// Shards share nothing but the seed arithmetic: shards merged say what one unsharded campaign says,
// byte for byte apart from `seeds.shard` and `run`; a lost shard is refused (exit 1, naming the
// missing seeds) unless --allow-partial; reports of different campaigns are bad input.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const CAMPAIGN = ["--scenario", "test/fixtures/scenarios/tight-budget.json", "--first", "9", "--seeds", "7", "--workers", "1", "--quiet"];

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
/** What says a report was merged, blanked: the shard label and how the run went. */
const unmerged = (text: string) => text.replace(/merged from \d+ shards? of \d+|0\/1/g, "SHARD");

describe("kmsim fuzz --shard and kmsim merge", () => {
  afterEach(() => vi.restoreAllMocks());
  const dir = tempDir("kmsim-merge-");
  const shard = (i: number) => join(dir, `shard-${i}`);

  it("merges three shards into the unsharded campaign's reports, repro files included", async () => {
    for (const i of [0, 1, 2])
      expect((await kmsim("fuzz", ...CAMPAIGN, "--shard", `${i}/3`, "--out", shard(i))).code).toBeLessThanOrEqual(1);
    expect((await kmsim("fuzz", ...CAMPAIGN, "--out", join(dir, "whole"))).code).toBe(1);
    const merged = join(dir, "merged");
    expect((await kmsim("merge", shard(0), join(shard(1), "summary.json"), shard(2), "--out", merged)).code).toBe(1);
    const m = JSON.parse(read(merged, "summary.json"));
    const w = JSON.parse(read(join(dir, "whole"), "summary.json"));
    expect(m.seeds.shard).toBe("merged from 3 shards of 3");
    expect(m.run.mergedReports).toBe(3);
    expect(JSON.stringify({ ...m, run: null, seeds: null })).toBe(JSON.stringify({ ...w, run: null, seeds: null }));
    for (const file of ["junit.xml", "summary.md"]) expect(unmerged(read(merged, file))).toBe(unmerged(read(join(dir, "whole"), file)));
    expect(m.failures.length).toBeGreaterThan(0);
    // A repro file names the folder it was written to in its `replay` command; the rest is the same.
    const folderless = (text: string) => text.replace(/kmsim replay \S+\//, "kmsim replay ");
    for (const f of m.failures) expect(folderless(read(merged, f.repro))).toBe(folderless(read(join(dir, "whole"), f.repro)));
  }, 240_000);

  it("refuses two shards of three (exit 1), naming the missing seeds, and writes nothing", async () => {
    const out = join(dir, "two");
    const { code, stderr } = await kmsim("merge", shard(0), shard(2), "--out", out);
    expect(code).toBe(1);
    expect(stderr).toEqual([
      expect.stringMatching(/^kmsim merge: 2 of 7 seeds are in no report \(shard 1\/3 missing\): 10, 13; nothing written/),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it("merges two of three with --allow-partial into an incomplete report", async () => {
    const out = join(dir, "partial");
    await kmsim("merge", shard(0), shard(2), "--out", out, "--allow-partial");
    const report = JSON.parse(read(out, "summary.json"));
    expect(report).toMatchObject({ complete: false, stopped: "shard 1/3 missing", notRun: { count: 2, seeds: "10, 13" } });
    expect(readdirSync(out).sort()).toEqual(expect.arrayContaining(["index.html", "junit.xml", "summary.json", "summary.md"]));
  });

  it("refuses reports of different campaigns, the same shard twice, and --out over a shard", async () => {
    const other = join(dir, "other");
    await kmsim("fuzz", ...CAMPAIGN, "--steps", "5", "--shard", "1/3", "--out", other);
    expect((await kmsim("merge", shard(0), other)).stderr[0]).toMatch(/stepsMax: 5 differs from 40/);
    expect((await kmsim("merge", shard(0), shard(0))).stderr[0]).toMatch(/shard 0\/3 is also given as/);
    expect((await kmsim("merge", shard(0), shard(1), "--out", shard(1))).code).toBe(2);
  }, 60_000);
});
