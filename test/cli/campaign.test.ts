// A campaign as a real process: killed with SIGKILL part-way and resumed, it reports every seed and
// every failure exactly once and writes the reports an uninterrupted run writes; stopped with SIGINT
// it exits 130 with a partial report that says so. Seeds 9..15 of the tight-budget scenario hold five
// failures (seeds 9, 10, 11, 14 and 15) and two passes.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { JOURNAL_FILE, readJournal } from "../../cli/journal.ts";
import { main } from "../../cli/main.ts";
import { tempDir } from "../support/temp-dir.ts";

const CAMPAIGN = ["--scenario", "test/fixtures/scenarios/tight-budget.json", "--first", "9", "--seeds", "7", "--workers", "1"];

async function quiet(...argv: string[]): Promise<number> {
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation(() => undefined);
  return main(argv);
}

/** Starts `kmsim fuzz` as a child and resolves once its journal holds `seeds` seeds. */
function startUntil(out: string, seeds: number) {
  const child = spawn(process.execPath, ["bin/kmsim.mjs", "fuzz", ...CAMPAIGN, "--out", out, "--quiet"], { stdio: "ignore" });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const reached = new Promise<void>((resolve, reject) => {
    const poll = setInterval(() => {
      const file = join(out, JOURNAL_FILE);
      const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n").length - 2 : 0;
      if (lines >= seeds) resolve(void clearInterval(poll));
      if (child.exitCode !== null) reject(new Error(`kmsim fuzz ended (${child.exitCode}) before ${seeds} seeds were journalled`));
    }, 25);
  });
  return { child, exited, reached };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const withoutRun = (json: string) => ({ ...JSON.parse(json), run: undefined });
/** index.html names the command and versions in one line (the report's `run`); the rest must agree. */
const withoutRunLine = (html: string) => html.replace(/<p class="muted">kmsim .*<\/p>/, "");

describe("a campaign killed and resumed", () => {
  afterEach(() => vi.restoreAllMocks());

  it("after SIGKILL and --resume reports every seed and failure once, as an unbroken run does", async () => {
    const dir = tempDir("kmsim-resume-");
    const whole = join(dir, "whole");
    expect(await quiet("fuzz", ...CAMPAIGN, "--out", whole, "--quiet")).toBe(1);

    const killed = join(dir, "killed");
    const run = startUntil(killed, 2);
    await run.reached;
    run.child.kill("SIGKILL");
    expect(await run.exited).toBe(null);
    expect(existsSync(join(killed, "summary.json"))).toBe(false);
    appendFileSync(join(killed, JOURNAL_FILE), '{"seed":99,"verdict":"pa'); // as if killed mid-line
    expect(await quiet("fuzz", "--resume", "--out", killed, "--workers", "1", "--quiet")).toBe(1);

    const report = JSON.parse(read(killed, "summary.json"));
    expect(report.results.map((r: { seed: number }) => r.seed)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(report.failures.map((f: { seed: number }) => f.seed)).toEqual([9, 10, 11, 14, 15]);
    expect(report.run.resumed).toBe(true);
    const journalled: number[] = [];
    readJournal(killed, (s) => journalled.push(s.seed));
    expect(journalled.sort((a, b) => a - b)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(withoutRun(read(killed, "summary.json"))).toEqual(withoutRun(read(whole, "summary.json")));
    for (const file of ["junit.xml", "summary.md", "repro-tight-budget-9.json", "repro-tight-budget-15.json"])
      expect(read(killed, file)).toBe(read(whole, file).replaceAll(whole, killed));
    expect(withoutRunLine(read(killed, "index.html"))).toBe(withoutRunLine(read(whole, "index.html")));
  }, 240_000);

  it("after SIGINT exits 130 with a partial report that says it is partial", async () => {
    const out = tempDir("kmsim-sigint-");
    const run = startUntil(out, 1);
    await run.reached;
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(130);
    const report = JSON.parse(read(out, "summary.json"));
    expect(report).toMatchObject({ complete: false, stopped: "interrupted" });
    expect(report.totals.seeds + report.notRun.count).toBe(7);
    expect(read(out, "summary.md")).toMatch(/stopped \(interrupted\) with \d+ seeds not run/);
  }, 120_000);
});
