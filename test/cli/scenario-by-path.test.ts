// A campaign of a scenario given by path, not shipped in scenarios/: its repro names the file
// (scenarioFile), so `kmsim replay` reads the world from it wherever it is run, and the command that
// re-runs the seed names the path. A repro whose scenario file is gone, or holds another world, is one
// line, exit 2; promote refuses such a repro, since a regression test finds only shipped worlds.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { canaryVariant } from "../support/canary-variant.ts";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("kmsim-by-path-");

describe("a scenario given by path", () => {
  afterEach(() => vi.restoreAllMocks());

  it("gives repros that replay from its file and a command that re-runs the seed", async () => {
    mkdirSync(join(dir, "my scenarios"));
    const scenario = canaryVariant(join(dir, "my scenarios"), "mine", (doc) => void (doc["name"] = "mine"));
    const out = join(dir, "out");
    const flags = ["--scenario", scenario, "--seeds", "6", "--steps", "40", "--fail-fast", "--workers", "1", "--quiet", "--out", out];
    expect((await kmsim("fuzz", ...flags)).code).toBe(0); // a canary: its bug was caught
    const [failure] = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")).failures;
    const reproPath = join(out, failure.repro);
    const repro = JSON.parse(readFileSync(reproPath, "utf8"));
    expect(repro).toMatchObject({ world: "mine", scenarioFile: scenario });
    expect(repro.command).toBe(`npx kmsim run --seed ${failure.seed} --scenario '${scenario}' --steps 40`);
    expect(failure.command).toBe(repro.command);

    const replay = await kmsim("replay", reproPath);
    expect(replay.code).toBe(1);
    expect(replay.stdout.at(-2)).toMatch(/^FAIL \(mismatch\)/);
    const rerun = await kmsim("run", "--seed", String(failure.seed), "--scenario", scenario, "--steps", "40", "--out", join(dir, "rerun"));
    expect(rerun.code).toBe(1);

    const moved = join(dir, "moved.json");
    copyFileSync(scenario, moved);
    rmSync(scenario);
    const gone = await kmsim("replay", reproPath);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toEqual([
      `${reproPath}: scenarioFile: no scenario file at ${JSON.stringify(scenario)} (the campaign's --scenario)`,
    ]);
    writeFileSync(reproPath, JSON.stringify({ ...repro, scenarioFile: moved, world: "other" }));
    expect((await kmsim("replay", reproPath)).stderr).toEqual([
      `${reproPath}: world: "other", but the scenario in ${moved} is named "mine"`,
    ]);

    // A scenario of its own, no canary: promote refuses its repro all the same.
    const plain = canaryVariant(dir, "plain", (doc) => void Object.assign(doc, { name: "plain", canary: undefined }));
    writeFileSync(reproPath, JSON.stringify({ ...repro, scenarioFile: plain, world: "plain" }));
    const promoted = await kmsim("promote", reproPath, "--dir", join(dir, "regressions"));
    expect(promoted.code).toBe(2);
    expect(promoted.stderr).toEqual([
      `kmsim promote: ${reproPath}: its scenario is the file ${plain}, not one of scenarios/, where the regression test finds its worlds on any machine; add it there and promote a repro of it by name`,
    ]);
  }, 120_000);
});
