// Seeds that do not finish in their thread (cli/unfinished.ts, cli/watchdog.ts). A campaign planting a
// mutant that loops forever on ListAliases with a Marker reports the seed as a hang, names the step,
// writes the list up to that step as its repro, replaces the thread and runs the rest of its seeds —
// the same report on one worker as on two. What a hang's result says in each phase a seed can hang in.
// A seed whose thread runs out of memory (a mutant that fills the heap in ListAliases) is reported as a
// crash of check out-of-memory, cut and replaced the same way. And a seed whose run throws outside the
// virtual world is a crash of the harness, and the campaign goes on past it.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { OUT_OF_MEMORY_CHECK } from "../../cli/heap-limit.ts";
import { hangResult, HANG_CHECK, HARNESS_CHECK, outOfMemoryResult, SEED_TIMEOUT_CHECK, thrownResult } from "../../cli/unfinished.ts";
import { loadScenario } from "../../cli/load.ts";
import type { PulseReading } from "../../harness/pulse.ts";
import { ModelFollower } from "../../harness/model-follower.ts";
import { generatedSteps } from "../../harness/seed.ts";
import { isCall } from "../../protocol/step.ts";
import { canaryPlanting } from "../support/canary-variant.ts";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("kmsim-hang-");
const summary = (out: string) => JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
const reading = (over: Partial<PulseReading>): PulseReading => ({
  beats: 9,
  seed: 3,
  scenarioIndex: 0,
  phase: "run",
  step: 4,
  found: null,
  ...over,
});

describe("a hung seed's result", () => {
  const scenario = loadScenario("default");
  const steps = generatedSteps(scenario, 3, 40);

  it("on its first run: the step named, and the list up to it as the repro", () => {
    const r = hangResult(scenario, 3, 40, reading({ step: 4 }), 60_000);
    expect(r).toMatchObject({ seed: 3, verdict: "fail", kind: "hang", steps: steps.length, traceHash: "" });
    expect(r.failure).toMatchObject({ kind: "hang", step: 4, check: HANG_CHECK });
    expect(r.failure!.message).toMatch(/^step 4 \(.+\) of its first run ran past the 60 s step timeout \(--step-timeout\)/);
    expect(r.shrunk!.steps).toEqual(steps.slice(0, 5));
  });

  it("in a settling step: the whole list as the repro", () => {
    const r = hangResult(scenario, 3, 40, reading({ step: steps.length + 2 }), 60_000);
    expect(r.failure!.message).toMatch(new RegExp(`^settling step ${steps.length + 2} of its first run, after its ${steps.length} steps`));
    expect(r.shrunk!.steps).toEqual(steps);
  });

  it("while shrinking or re-running: what its first run found, and no repro (the list tried is not known here)", () => {
    const shrinking = hangResult(scenario, 3, 40, reading({ phase: "shrink", step: 2, found: { kind: "mismatch", step: 30 } }), 60_000);
    expect(shrinking.failure!.message).toMatch(
      /^step 2 of a shorter list tried while shrinking the mismatch its first run found at step 30 /,
    );
    expect(shrinking.failure!.step).toBeUndefined();
    expect(shrinking.shrunk).toBeUndefined();
    const recheck = hangResult(scenario, 3, 40, reading({ phase: "recheck", step: 7 }), 60_000);
    expect(recheck.failure!.message).toMatch(/^step 7 of its determinism re-run, which its first run passed/);
    expect(recheck.shrunk).toBeUndefined();
  });

  it("past the seed timeout, its steps each finishing: check seed-timeout, named and cut alike", () => {
    const r = hangResult(scenario, 3, 40, reading({ step: 4 }), 600_000, "seed");
    expect(r.failure).toMatchObject({ kind: "hang", step: 4, check: SEED_TIMEOUT_CHECK });
    expect(r.failure!.message).toMatch(
      /^step 4 \(.+\) of its first run was running when the seed passed the 600 s seed timeout \(--seed-timeout\), each step before it finishing/,
    );
    expect(r.shrunk!.steps).toEqual(steps.slice(0, 5));
  });

  it("before its first step: the list is not drawn again (drawing it may be what hangs)", () => {
    const r = hangResult(scenario, 3, 40, reading({ step: -1 }), 60_000);
    expect(r).toMatchObject({ steps: 0, failure: { kind: "hang", check: HANG_CHECK } });
    expect(r.failure!.message).toMatch(/^before its first step/);
    expect(r.shrunk).toBeUndefined();
  });
});

describe("the result of a seed whose thread ran out of memory", () => {
  const scenario = loadScenario("default");
  const steps = generatedSteps(scenario, 3, 40);

  it("is a crash of check out-of-memory, named and cut at its step like a hang", () => {
    const r = outOfMemoryResult(scenario, 3, 40, reading({ step: 4 }));
    expect(r).toMatchObject({ verdict: "fail", kind: "crash", steps: steps.length, traceHash: "" });
    expect(r.failure).toMatchObject({ kind: "crash", step: 4, check: OUT_OF_MEMORY_CHECK });
    expect(r.failure!.message).toMatch(
      /^step 4 \(.+\) of its first run ran its thread out of memory \(past its heap limit, --heap-limit\)/,
    );
    expect(r.shrunk!.steps).toEqual(steps.slice(0, 5));
    expect(outOfMemoryResult(scenario, 3, 40, reading({ step: -1 })).shrunk).toBeUndefined();
  });
});

/**
 * A campaign of 20 seeds planting `mutant`, which never finishes a ListAliases with a Marker, under
 * `flags`: each failure is a `kind` of check `check` cut at that call, every other seed passes, and the
 * report is the same on one worker as on two.
 */
async function cutAtListAliases(mutant: string, flags: string[], kind: string, check: string): Promise<void> {
  const scenario = canaryPlanting(dir, mutant, mutant);
  const campaign = ["fuzz", "--scenario", scenario, "--seeds", "20", ...flags, "--quiet"];
  const one = join(dir, `${mutant}-one`);
  expect((await kmsim(...campaign, "--workers", "1", "--out", one)).code).toBe(0); // a canary: its bug was caught
  const report = summary(one);
  expect(report).toMatchObject({ verdict: "pass", canary: { expectedKind: kind, caught: true }, totals: { seeds: 20 } });
  expect(report.failures.length).toBeGreaterThan(0);
  for (const f of report.failures) {
    expect(f).toMatchObject({ kind, operation: "ListAliases", shrunkSteps: f.step + 1 });
    const repro = JSON.parse(readFileSync(join(one, f.repro), "utf8"));
    expect(repro).toMatchObject({ kind, failure: { kind, step: f.step, check } });
    const last = repro.steps.at(-1);
    expect(isCall(last) && last.call === "ListAliases" && typeof last.input?.["Marker"] === "string").toBe(true);
  }
  expect(report.results.filter((r: { verdict: string }) => r.verdict === "pass").length).toBe(20 - report.failures.length);
  const two = join(dir, `${mutant}-two`);
  expect((await kmsim(...campaign, "--workers", "2", "--out", two)).code).toBe(0);
  expect({ ...summary(two), run: null }).toEqual({ ...report, run: null });
}

describe("a campaign meeting a seed that never finishes a step", () => {
  afterEach(() => vi.restoreAllMocks());

  it("reports it as a hang with a repro up to the step, and runs the rest, alike on one worker and two", async () => {
    await cutAtListAliases("list-aliases-walk-stuck", ["--step-timeout", "3s"], "hang", HANG_CHECK);
  }, 120_000);
});

describe("a campaign meeting a seed whose step fills the heap", () => {
  afterEach(() => vi.restoreAllMocks());

  it("reports it as a crash of check out-of-memory with a repro up to the step, and runs the rest, alike on one worker and two", async () => {
    await cutAtListAliases("list-aliases-pages-unbounded", ["--heap-limit", "64"], "crash", OUT_OF_MEMORY_CHECK);
  }, 120_000);

  it("gives a repro that replay says first will fill the heap, and how to see what fills it", async () => {
    const repro = join(dir, "repro-default-6.json");
    const message = "step 0 (advance 1 ms) of its first run ran its thread out of memory (past its heap limit, --heap-limit)";
    const failure = { kind: "crash", step: 0, check: OUT_OF_MEMORY_CHECK, message };
    writeFileSync(repro, JSON.stringify({ world: "default", seed: 6, kind: "crash", failure, steps: [{ advance: 1 }] }));
    const { code, stderr } = await kmsim("replay", repro);
    expect(code).toBe(0); // this list does not fill the heap: only what is said first is tested
    expect(stderr).toEqual([
      `kmsim replay: this list ran its thread out of memory when its campaign ran it (${message}): at its last step it will fill this process's heap. \`node --max-old-space-size=256 --heapsnapshot-near-heap-limit=1 bin/kmsim.mjs replay ${repro}\` ends it sooner and writes a heap snapshot of what filled it.`,
    ]);
  });
});

describe("a hang's repro, replayed", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is said first to be one that hung, and how to see where", async () => {
    const repro = join(dir, "repro-default-5.json");
    const message = "step 0 (advance 1 ms) of its first run ran past the 60 s step timeout (--step-timeout), and its thread was ended";
    writeFileSync(
      repro,
      JSON.stringify({ world: "default", seed: 5, kind: "hang", failure: { kind: "hang", step: 0, message }, steps: [{ advance: 1 }] }),
    );
    const { code, stderr } = await kmsim("replay", repro);
    expect(code).toBe(0); // this list does not hang: only what is said first is tested
    expect(stderr).toEqual([
      `kmsim replay: this list hung when its campaign ran it (${message}): it will hang at its last step. Stop it with Ctrl-C; under \`node --inspect bin/kmsim.mjs replay ${repro}\` a debugger can pause it where it spins.`,
    ]);
  });
});

describe("a seed whose run throws outside the virtual world", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is a crash of the harness with its whole list as the repro", () => {
    const scenario = loadScenario("default");
    const r = thrownResult(scenario, 3, 40, "TypeError: x is undefined\n    at judge (harness/model-follower.ts:60:3)");
    expect(r).toMatchObject({ verdict: "fail", kind: "crash", failure: { kind: "crash", check: HARNESS_CHECK } });
    expect(r.failure!.message).toMatch(/^the harness threw, outside the virtual world \(a bug in kmsim.*\): TypeError: x is undefined\n/);
    expect(r.shrunk!.steps).toEqual(generatedSteps(scenario, 3, 40));
  });

  it("does not stop the campaign: the seed is reported, every other seed runs (exit 1)", async () => {
    // The model throws on the 5th step it judges: in seed 1, as seeds run one by one in this thread.
    const judge = ModelFollower.prototype.judge;
    let judged = 0;
    vi.spyOn(ModelFollower.prototype, "judge").mockImplementation(function (this: ModelFollower, ...args) {
      if (++judged === 5) throw new TypeError("planted: the model met a state it does not expect");
      return judge.apply(this, args);
    });
    const out = join(dir, "thrown");
    const flags = ["--seeds", "3", "--steps", "20", "--workers", "1", "--step-timeout", "off", "--quiet", "--out", out];
    const { code, stdout } = await kmsim("fuzz", ...flags);
    expect(code).toBe(1);
    const report = summary(out);
    expect(report.totals).toMatchObject({ seeds: 3, pass: 2, fail: 1 });
    expect(report.failures).toEqual([
      expect.objectContaining({ seed: 1, kind: "crash", message: expect.stringContaining("TypeError: planted: the model met a state") }),
    ]);
    expect(report.failures[0].signature).toMatch(/^crash\/harness · — · the harness threw, outside the virtual world/);
    const repro = JSON.parse(readFileSync(join(out, report.failures[0].repro), "utf8"));
    expect(repro.steps).toHaveLength(report.results[0].steps);
    expect(stdout[0]).toMatch(/^FAIL: 2 of 3 seeds passed · 1 failure in 1 group/);
  }, 60_000);
});
