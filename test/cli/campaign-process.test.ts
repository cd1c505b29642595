// kmsim fuzz with more than one worker, as the command runs it: in a child process under the campaign's
// V8 flags (bin/campaign-flags.mjs). A SIGINT sent to kmsim reaches the campaign once — a first SIGINT
// ends it with a partial report, where a second would end it at once without one — and a kmsim killed
// outright takes the campaign with it rather than leaving it running unowned. Job control stops and
// continues the two together.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CAMPAIGN_V8_FLAGS } from "../../bin/campaign-flags.mjs";
import { JOURNAL_FILE } from "../../cli/journal.ts";
import { tempDir } from "../support/temp-dir.ts";

const CAMPAIGN = ["fuzz", "--seeds", "100000", "--workers", "2", "--quiet"];

/** Polls `ready` every 25 ms until it holds; rejects after `ms`. */
async function until(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The processes whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis.
        const stat = readFileSync(join("/proc", name, "stat"), "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false; // ended while listed
      }
    })
    .map(Number);
}

/**
 * Has process `pid` ended? Gone, or a zombie: orphaned when kmsim died, it is reaped by whatever the
 * machine's first process is, which in a container may never reap it.
 */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Is process `pid` stopped (job control's "T", Linux /proc)? */
function stopped(pid: number): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).startsWith("T");
}

/** How many seeds the journal in `out` holds (a header line, then a line a seed). */
const journalled = (out: string) => readFileSync(join(out, JOURNAL_FILE), "utf8").split("\n").length - 2;

/** A process's command line (Linux /proc; NUL-terminated arguments). */
const argvOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").slice(0, -1);

/**
 * Processes a test started, killed after it whatever its outcome — a failed test must not leave a
 * 100,000-seed campaign running — but only while still this campaign's (an ended one's pid may be reused).
 */
const startedPids: number[] = [];
afterEach(() => {
  for (const pid of startedPids.splice(0)) {
    try {
      if (!ended(pid) && argvOf(pid).includes("100000")) process.kill(pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
});

/** Starts the campaign; resolves once its journal holds two seeds, with the child process that runs it. */
async function started(out: string) {
  const kmsim = spawn(process.execPath, ["bin/kmsim.mjs", ...CAMPAIGN, "--out", out], { stdio: "ignore" });
  startedPids.push(kmsim.pid!);
  const exited = new Promise<number | null>((resolve) => kmsim.on("exit", (code) => resolve(code)));
  const journal = join(out, JOURNAL_FILE);
  await until(() => existsSync(journal) && journalled(out) >= 2, 120_000, "two seeds journalled");
  // kmsim's children that run node (one that rebuilt a stale dist/ also has esbuild's service process).
  const children = childrenOf(kmsim.pid!).filter((pid) => argvOf(pid)[0] === process.execPath);
  startedPids.push(...children);
  expect(children).toHaveLength(1);
  return { kmsim, exited, campaign: children[0]! };
}

describe.runIf(process.platform === "linux")("a campaign of several workers run by the kmsim command", () => {
  it("runs in a child under the campaign flags, which one SIGINT to kmsim stops with a partial report", async () => {
    const out = tempDir("kmsim-campaign-sigint-");
    const run = await started(out);
    const argv = argvOf(run.campaign);
    for (const flag of CAMPAIGN_V8_FLAGS) expect(argv).toContain(flag);
    expect(argv.slice(-CAMPAIGN.length - 2)).toEqual([...CAMPAIGN, "--out", out]);
    run.kmsim.kill("SIGINT");
    expect(await run.exited).toBe(130);
    const report = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
    expect(report).toMatchObject({ complete: false, stopped: "interrupted" });
    expect(report.totals.seeds).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it("stops with kmsim on a Ctrl-Z's SIGTSTP, and carries on with it on SIGCONT", async () => {
    const out = tempDir("kmsim-campaign-sigtstp-");
    const run = await started(out);
    run.kmsim.kill("SIGTSTP");
    await until(() => stopped(run.kmsim.pid!) && stopped(run.campaign), 30_000, "kmsim and its campaign stopped");
    const seeds = journalled(out);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(journalled(out)).toBe(seeds); // no seed runs while stopped
    run.kmsim.kill("SIGCONT");
    await until(() => !stopped(run.kmsim.pid!) && !stopped(run.campaign) && journalled(out) > seeds, 60_000, "the campaign carrying on");
    run.kmsim.kill("SIGINT");
    expect(await run.exited).toBe(130);
  }, 180_000);

  it("ends when kmsim is killed outright, writing no report", async () => {
    const out = tempDir("kmsim-campaign-sigkill-");
    const run = await started(out);
    run.kmsim.kill("SIGKILL");
    expect(await run.exited).toBe(null);
    await until(() => ended(run.campaign), 30_000, `the campaign process ${run.campaign} ending`);
    expect(existsSync(join(out, "summary.json"))).toBe(false);
  }, 180_000);
});
