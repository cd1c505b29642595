// `kmsim fuzz` end to end, in-process: the four reports and the journal; run facts in summary.json;
// the same report whatever the worker count (and a warning past the core count); the time budget,
// --fail-fast and --require-coverage stopping or failing a campaign, each saying so in the report.
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("kmsim-fuzz-");
const read = (out: string, file: string) => readFileSync(join(out, file), "utf8");
const TIGHT = ["--scenario", "test/fixtures/scenarios/tight-budget.json", "--first", "9", "--seeds", "7", "--workers", "1", "--quiet"];

describe("kmsim fuzz", () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes summary.json, junit.xml, summary.md, index.html and the journal, the same for any worker count", async () => {
    const one = join(dir, "one");
    const many = join(dir, "many");
    const small = ["--seeds", "4", "--steps", "8", "--recheck", "100%", "--quiet"];
    const first = await kmsim("fuzz", ...small, "--workers", "1", "--out", one);
    expect(first.code).toBe(0);
    expect(first.stdout[0]).toMatch(/^PASS: 4 of 4 seeds passed · \d+ expected probe\(s\) not reached$/); // 4 seeds are not the scenario's 1,000
    expect(readdirSync(one).sort()).toEqual(["index.html", "journal.jsonl", "junit.xml", "summary.json", "summary.md"]);
    const report = JSON.parse(read(one, "summary.json"));
    expect(report.totals).toMatchObject({ seeds: 4, rechecked: 4 });
    expect(report.run).toMatchObject({ kmsimVersion: "0.1.0", node: process.version, workers: 1, resumed: false });
    expect(report.run.command).toBe(`kmsim fuzz ${[...small, "--workers", "1", "--out", one].join(" ")}`);
    expect(typeof report.run.wallMs).toBe("number");
    expect(report.run.gitCommit === null || /^[0-9a-f]{40}$/.test(report.run.gitCommit)).toBe(true);
    expect(Object.keys(report.latency).length).toBeGreaterThan(0);

    const workers = availableParallelism() + 1;
    const second = await kmsim("fuzz", ...small, "--workers", String(workers), "--out", many);
    expect(second.stderr).toEqual([
      `kmsim fuzz: warning: --workers ${workers} is more than the ${availableParallelism()} cores here; workers will share cores`,
    ]);
    expect({ ...JSON.parse(read(many, "summary.json")), run: null }).toEqual({ ...report, run: null });
    for (const file of ["junit.xml", "summary.md"]) expect(read(many, file)).toBe(read(one, file));
  }, 120_000);

  it("stops starting seeds when the time budget is spent, and says how far it got", async () => {
    const out = join(dir, "time");
    const { code } = await kmsim("fuzz", "--seeds", "5000", "--workers", "1", "--time", "1s", "--quiet", "--out", out);
    expect(code).toBe(0);
    const report = JSON.parse(read(out, "summary.json"));
    expect(report).toMatchObject({ verdict: "incomplete", complete: false, stopped: "time budget spent" });
    expect(report.totals.seeds).toBeGreaterThan(0);
    expect(report.totals.seeds + report.notRun.count).toBe(5000);
    expect(report.notRun.seeds).toBe(`${report.totals.seeds + 1}..5000`);
  }, 60_000);

  it("stops after the first failure with --fail-fast", async () => {
    const out = join(dir, "fail-fast");
    expect((await kmsim("fuzz", ...TIGHT, "--fail-fast", "--out", out)).code).toBe(1);
    const report = JSON.parse(read(out, "summary.json"));
    expect(report).toMatchObject({ verdict: "fail", complete: false, stopped: "fail-fast", totals: { seeds: 1, fail: 1 } });
    expect(report.failures[0]).toMatchObject({ seed: 9, kind: "budget", repro: "repro-tight-budget-9.json" });
  }, 60_000);

  it("fails a campaign that misses an expected probe only with --require-coverage", async () => {
    const tiny = ["--seeds", "1", "--steps", "3", "--quiet"];
    expect((await kmsim("fuzz", ...tiny, "--out", join(dir, "lenient"))).code).toBe(0);
    const strict = await kmsim("fuzz", ...tiny, "--require-coverage", "--out", join(dir, "strict"));
    expect(strict.code).toBe(1);
    expect(strict.stdout[0]).toMatch(/^FAIL: 1 of 1 seeds passed · \d+ expected probe\(s\) not reached$/);
    const { notReached } = JSON.parse(read(join(dir, "strict"), "summary.json")).coverage;
    expect(notReached).toContain("fault:hsm-crash");
    expect(strict.stdout).toContainEqual(expect.stringMatching(new RegExp(`^not reached: ${notReached[0]}, `)));
  }, 60_000);
});
