// The canary (issue 14 item 11) end to end: `kmsim fuzz --scenario canary` plants its mutant in the
// thread that runs the seeds (and in every worker), catches it as a mismatch and exits 0 saying the
// failures were expected; a canary that catches nothing exits 1 saying the harness has gone blind; an
// unknown mutant is one line, exit 2, nothing written. And the campaign-wide latency check (issue 12
// item 5): a planted slow HSM that no single run can show fails the campaign's p90 under steady.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { mutantNamed } from "../../mutants/catalogue.ts";
import { canaryVariant } from "../support/canary-variant.ts";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("kmsim-canary-");
const read = (out: string, file: string) => readFileSync(join(out, file), "utf8");
const summary = (out: string) => JSON.parse(read(out, "summary.json"));

describe("the canary", () => {
  afterEach(() => vi.restoreAllMocks());

  it("fails as it must: kind mismatch, reported as expected, exit 0", async () => {
    const out = join(dir, "caught");
    const { code, stdout } = await kmsim(
      "fuzz",
      "--scenario",
      "canary",
      "--seeds",
      "20",
      "--fail-fast",
      "--workers",
      "1",
      "--quiet",
      "--out",
      out,
    );
    expect(code).toBe(0);
    const report = summary(out);
    expect(report).toMatchObject({
      verdict: "pass",
      stopped: "fail-fast",
      canary: { mutant: "decrypt-ignores-key-id", expectedKind: "mismatch", caught: true },
      totals: { fail: 1, byKind: { mismatch: 1 } },
    });
    expect(report.failures[0]).toMatchObject({ kind: "mismatch", operation: "Decrypt" });
    expect(report.canary.caughtBy.seed).toBe(report.failures[0].seed);
    expect(stdout[0]).toMatch(/^PASS \(canary caught\): 0 of 1 seeds passed · 1 failure in 1 group/);
    expect(stdout[1]).toMatch(/^CANARY: this scenario plants the bug 'decrypt-ignores-key-id'/);
    expect(stdout[2]).toMatch(/^Caught as mismatch \(first by seed \d+\)/);
    for (const file of ["summary.md", "index.html"]) expect(read(out, file)).toContain("its failures are EXPECTED");
    const junit = read(out, "junit.xml");
    expect(junit).not.toContain("<failure");
    expect(junit).toContain("EXPECTED: a failure of the canary");
    // Its repro replays with the mutant planted: it fails there too.
    const replay = await kmsim("replay", join(out, report.failures[0].repro));
    expect(replay.code).toBe(1);
    expect(replay.stdout.at(-2)).toMatch(/^FAIL \(mismatch\)/);
  }, 120_000);

  it("plants its mutant in every worker thread: the same report on two workers as on one", async () => {
    const flags = ["--scenario", "canary", "--seeds", "6", "--steps", "40", "--quiet"]; // seeds 3 and 5 catch it
    expect((await kmsim("fuzz", ...flags, "--workers", "1", "--out", join(dir, "w1"))).code).toBe(0);
    expect((await kmsim("fuzz", ...flags, "--workers", "2", "--out", join(dir, "w2"))).code).toBe(0);
    const one = summary(join(dir, "w1"));
    expect(one.totals.fail).toBeGreaterThan(0);
    expect({ ...summary(join(dir, "w2")), run: null }).toEqual({ ...one, run: null });
  }, 120_000);

  it("exits 1 saying the harness has gone blind when it catches nothing", async () => {
    // A bug the default scenario cannot reach: it never lists retirable grants.
    const blind = canaryVariant(dir, "blind", (doc) => void (doc["canary"] = { mutant: "retirable-grants-unlisted" }));
    const out = join(dir, "blind");
    const { code, stdout } = await kmsim(
      "fuzz",
      "--scenario",
      blind,
      "--seeds",
      "2",
      "--steps",
      "20",
      "--workers",
      "1",
      "--quiet",
      "--out",
      out,
    );
    expect(code).toBe(1);
    expect(stdout[0]).toMatch(/^FAIL \(canary not caught: the harness has gone blind\): 2 of 2 seeds passed$/);
    expect(stdout[2]).toMatch(/^NOT CAUGHT: no failure of kind mismatch — the harness has gone blind/);
    expect(summary(out)).toMatchObject({ verdict: "fail", canary: { caught: false, caughtBy: null } });
    expect(read(out, "junit.xml")).toMatch(/<failure type="canary" message="NOT CAUGHT/);
  }, 120_000);

  it("refuses a mutant the catalogue lacks: one line naming file and field, exit 2, nothing written", async () => {
    const bad = canaryVariant(dir, "unknown", (doc) => void (doc["canary"] = { mutant: "no-such-bug" }));
    const out = join(dir, "unknown-out");
    for (const argv of [
      ["fuzz", "--scenario", bad, "--fail-fast", "--workers", "1", "--out", out],
      ["run", "--seed", "1", "--scenario", bad, "--out", out],
    ]) {
      const { code, stdout, stderr } = await kmsim(...argv);
      expect(code).toBe(2);
      expect(stdout).toEqual([]);
      expect(stderr).toEqual([`${bad}: canary.mutant: no mutant 'no-such-bug' in the catalogue (kmsim list mutants lists them)`]);
    }
    expect(existsSync(out)).toBe(false);
    const typo = canaryVariant(dir, "typo", (doc) => void (doc["canary"] = { mutnt: "decrypt-ignores-key-id" }));
    expect((await kmsim("fuzz", "--scenario", typo, "--out", out)).stderr).toEqual([
      `${typo}: canary.mutnt: unknown field (known: mutant)`,
    ]);
    const hunt = await kmsim("mutants", "--scenario", "canary");
    expect(hunt).toMatchObject({ code: 2, stderr: [expect.stringMatching(/^kmsim mutants: --scenario canary: a canary scenario plants/)] });
  });
});

describe("the campaign-wide latency percentile", () => {
  afterEach(() => vi.restoreAllMocks());
  const SLOW = "test/fixtures/scenarios/slow-hsm.json";

  it("catches a slow HSM over the campaign that no single run can show (a canary: exit 0)", async () => {
    const out = join(dir, "slow");
    const { code, stdout } = await kmsim("fuzz", "--scenario", SLOW, "--workers", "1", "--quiet", "--out", out);
    expect(code).toBe(0);
    const report = summary(out);
    expect(report.totals).toMatchObject({ seeds: 16, pass: 16, fail: 0 }); // every run passes its own checks
    expect(report.campaignFailures).toEqual([{ kind: "budget", check: "budget:p90:steady", message: expect.any(String) }]);
    expect(report.canary).toMatchObject({
      mutant: "hsm-service-doubled",
      caught: true,
      caughtBy: { seed: null, check: "budget:p90:steady" },
    });
    expect(stdout[0]).toBe("PASS (canary caught): 16 of 16 seeds passed · campaign budget:p90:steady over budget");
    const steady = report.latencyPercentile.conditions.find((c: { condition: string }) => c.condition === "steady");
    expect(steady).toMatchObject({ judged: true, exceeded: true });
    expect(steady.over / steady.calls).toBeGreaterThan(0.1);
  }, 120_000);

  it("fails a plain campaign with kind budget, naming the condition, percentile, operations, observed and budget (exit 1)", async () => {
    const plain = join(dir, "slow-plain.json");
    const doc = JSON.parse(readFileSync(SLOW, "utf8")) as Record<string, unknown>;
    delete doc["canary"];
    writeFileSync(plain, JSON.stringify({ ...doc, name: "slow-plain" }));
    const out = join(dir, "slow-plain");
    expect(await kmsim("fuzz", "--scenario", plain, "--workers", "1", "--quiet", "--out", join(dir, "fast")).then((r) => r.code)).toBe(0);
    // Planted by hand in this thread, which runs the seeds: one worker and no watchdog keep them here.
    const undo = mutantNamed("hsm-service-doubled")!.apply();
    let result: Awaited<ReturnType<typeof kmsim>>;
    try {
      result = await kmsim("fuzz", "--scenario", plain, "--workers", "1", "--step-timeout", "off", "--quiet", "--out", out);
    } finally {
      undo();
    }
    expect(result.code).toBe(1);
    expect(result.stdout[0]).toBe("FAIL: 16 of 16 seeds passed · campaign budget:p90:steady over budget");
    const [failure] = summary(out).campaignFailures;
    expect(failure.message).toMatch(
      /^crypto calls' p90 over the campaign under steady is up to [\d.]+ ms over the latency model's typical time \(budget: p90 within it, at most 10% of calls over\); \d+ of \d+ calls over: .*Encrypt \d+ of \d+/,
    );
    expect(read(out, "summary.md")).toContain("## Campaign-wide failures");
    expect(read(out, "junit.xml")).toMatch(
      /<testcase [^>]*name="latency: crypto calls&#39; p90 per fault condition over the campaign">\s*<failure type="budget"/,
    );
  }, 120_000);
});
