// .github/workflows/nightly.yml parses as YAML, its matrix covers every shipped scenario (all but the
// canary) and every shard its fuzz command names, each scenario is merged on its own, every shard of a
// run starts at the same first seed and the next run at another (the fuzz step run by bash, npx a
// stand-in), the canary runs as a job of its own, and every kmsim command in it is one the CLI accepts
// (checked by the CLI's own flag parsing, which also checks the canary's mutant against the catalogue).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fuzzPlan } from "../../../cli/fuzz.ts";
import { campaignScenarios, checkInvocation, flagValue, kmsimCommands, runWithStandInNpx, words } from "../../support/kmsim-commands.ts";

interface Step {
  run?: string;
  uses?: string;
  with?: { path?: string };
}
interface Workflow {
  jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { scenario?: string[]; shard?: number[] } }; steps: Step[] }>;
}

/** A command's matrix placeholders as single words (each is three words as written). */
const symbolic = (t: string) =>
  t.replaceAll("${{ matrix.scenario }}", "SCENARIO").replaceAll("${{ matrix.shard }}", "I").replaceAll("${{ github.run_number }}", "RUN");

/** A step's script as GitHub hands it to bash for one run of one matrix entry. */
const filled = (script: string, scenario: string, shard: number, runNumber: number) =>
  script
    .replaceAll("${{ matrix.scenario }}", scenario)
    .replaceAll("${{ matrix.shard }}", String(shard))
    .replaceAll("${{ github.run_number }}", String(runNumber));

const workflow = parse(readFileSync(".github/workflows/nightly.yml", "utf8")) as Workflow;

describe("the nightly GitHub Actions workflow", () => {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
  const commands = kmsimCommands(runs.join("\n"));

  it("runs a fuzz shard per scenario and shard, then one merge per scenario of that scenario's shards", () => {
    expect(commands.map((c) => words(c)[0])).toEqual(["fuzz", "merge", "fuzz"]);
    const fuzzMatrix = workflow.jobs["fuzz"]!.strategy!.matrix;
    expect([...fuzzMatrix.scenario!].sort()).toEqual(campaignScenarios());
    const fuzz = words(commands[0]!, symbolic);
    expect(fuzz.slice(1, 3)).toEqual(["--scenario", "SCENARIO"]);
    const count = Number(flagValue(fuzz, "--shard")!.split("/")[1]);
    expect(fuzzMatrix.shard).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(workflow.jobs["merge"]).toMatchObject({ needs: "fuzz", if: "always()" });
    expect(workflow.jobs["merge"]!.strategy!.matrix.scenario).toEqual(fuzzMatrix.scenario);
    // Each merge downloads and reads its own scenario's shards only: no pattern of one takes another's ("keys-" is not "keystores-").
    const download = workflow.jobs["merge"]!.steps.find((s) => s.uses?.startsWith("actions/download-artifact"))!;
    const pattern = (download.with as { pattern: string }).pattern;
    for (const scenario of fuzzMatrix.scenario!)
      for (const other of fuzzMatrix.scenario!) {
        const artifact = `${other}-shard-0`;
        const glob = new RegExp(`^${pattern.replaceAll("${{ matrix.scenario }}", scenario).replace("*", ".*")}$`);
        expect(glob.test(artifact)).toBe(other === scenario);
      }
    expect(commands[1]).toContain("reports/shards/${{ matrix.scenario }}-shard-*");
  });

  const fuzzStep = workflow.jobs["fuzz"]!.steps.find((s) => s.run?.includes("npx kmsim fuzz"))!.run!;
  /** The fuzz command bash runs for one run of one matrix entry (arithmetic and all), as kmsim reads it. */
  const fuzzArgv = (scenario: string, shard: number, runNumber: number) => {
    const { commands: ran, exitCode } = runWithStandInNpx("bash", filled(fuzzStep, scenario, shard, runNumber));
    expect(exitCode).toBe(0);
    expect(ran).toHaveLength(1);
    return words(ran[0]!);
  };

  it("has only kmsim commands the CLI accepts", () => {
    const { scenario: scenarios, shard: shards } = workflow.jobs["fuzz"]!.strategy!.matrix;
    for (const scenario of scenarios!)
      for (const shard of shards!) {
        for (const runNumber of [1, 1999, 2000, 4321]) fuzzPlan(fuzzArgv(scenario, shard, runNumber).slice(1));
        const fill = (t: string) =>
          filled(t, scenario, shard, 1).replace(`reports/shards/${scenario}-shard-*`, `reports/shards/${scenario}-shard-0`);
        expect(commands.slice(1).map((c) => checkInvocation(c, fill))).toEqual(["merge", "fuzz"]);
      }
  });

  it("runs a million seeds not run the night before, from the same first seed in every shard of a run", () => {
    const { scenario: scenarios, shard: shards } = workflow.jobs["fuzz"]!.strategy!.matrix;
    const ranges = [1, 2, 3, 1998, 1999, 2000, 2001].map((runNumber) => {
      const firsts = new Set(
        scenarios!.flatMap((scenario) =>
          shards!.map((shard) => {
            const argv = fuzzArgv(scenario, shard, runNumber);
            expect(flagValue(argv, "--seeds")).toBe("1000000");
            return Number(flagValue(argv, "--first"));
          }),
        ),
      );
      expect(firsts.size).toBe(1);
      return [...firsts][0]!;
    });
    expect(ranges).toEqual([1_000_001, 2_000_001, 3_000_001, 1_998_000_001, 1_999_000_001, 1, 1_000_001]);
  });

  it("runs the canary as a job of its own, outside the matrix and the merge, with its summary and report", () => {
    const canary = workflow.jobs["canary"]!;
    expect(canary.needs).toBeUndefined();
    expect(canary.strategy).toBeUndefined();
    const [command] = kmsimCommands(canary.steps.map((s) => s.run ?? "").join("\n"));
    const argv = words(command!);
    expect(argv.slice(0, 3)).toEqual(["fuzz", "--scenario", "canary"]);
    expect(argv).not.toContain("--shard");
    expect(fuzzPlan(argv.slice(1)).spec.canary).toMatchObject({ mutant: expect.any(String), expectedKind: "mismatch" });
    expect(canary.steps.some((s) => s.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    expect(canary.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact"))).toHaveLength(1);
  });

  it("uploads each shard's reports without its journal (only --resume on the runner reads it; ~2.3 KB a seed)", () => {
    const upload = workflow.jobs["fuzz"]!.steps.filter((s) => s.uses?.startsWith("actions/upload-artifact"));
    expect(upload).toHaveLength(1);
    const paths = upload[0]!
      .with!.path!.trim()
      .split("\n")
      .map((p) => p.trim());
    const fuzz = words(commands[0]!, symbolic);
    const out = flagValue(fuzz, "--out");
    expect(out).toBe("reports/SCENARIO-shard-I");
    expect(paths.map(symbolic)).toEqual([out, `!${out}/journal.jsonl`]);
  });

  it("writes the job summary and uploads the merged report even when the merge fails", () => {
    const merge = workflow.jobs["merge"]!.steps;
    expect(merge.some((s) => s.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    expect(merge.filter((s) => s.uses?.startsWith("actions/upload-artifact"))).toHaveLength(1);
  });
});
