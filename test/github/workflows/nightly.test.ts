// .github/workflows/nightly.yml parses as YAML, its matrix covers every shard its fuzz command names,
// the canary runs as a job of its own, and every kmsim command in it is one the CLI accepts (checked
// by the CLI's own flag parsing, which also checks the canary's mutant against the catalogue).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fuzzPlan } from "../../../cli/fuzz.ts";
import { checkInvocation, kmsimCommands, words } from "../../support/kmsim-commands.ts";

interface Step {
  run?: string;
  uses?: string;
  with?: { path?: string };
}
interface Workflow {
  jobs: Record<string, { needs?: string; if?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

const workflow = parse(readFileSync(".github/workflows/nightly.yml", "utf8")) as Workflow;

describe("the nightly GitHub Actions workflow", () => {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ""));
  const commands = kmsimCommands(runs.join("\n"));

  it("runs a fuzz shard per matrix entry and then one merge", () => {
    expect(commands.map((c) => words(c)[0])).toEqual(["fuzz", "merge", "fuzz"]);
    const fuzz = words(commands[0]!, (t) => t.replaceAll("${{ matrix.shard }}", "I"));
    const shard = fuzz[fuzz.indexOf("--shard") + 1]!;
    const count = Number(shard.split("/")[1]);
    expect(workflow.jobs["fuzz"]!.strategy!.matrix.shard).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(workflow.jobs["merge"]).toMatchObject({ needs: "fuzz", if: "always()" });
  });

  it("has only kmsim commands the CLI accepts", () => {
    for (const shard of workflow.jobs["fuzz"]!.strategy!.matrix.shard) {
      const fill = (t: string) =>
        t.replaceAll("${{ matrix.shard }}", String(shard)).replace("reports/shards/shard-*", "reports/shards/shard-0");
      expect(commands.map((c) => checkInvocation(c, fill))).toEqual(["fuzz", "merge", "fuzz"]);
    }
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
    expect(paths).toEqual(["reports/shard-${{ matrix.shard }}", "!reports/shard-${{ matrix.shard }}/journal.jsonl"]);
  });

  it("writes the job summary and uploads the merged report even when the merge fails", () => {
    const merge = workflow.jobs["merge"]!.steps;
    expect(merge.some((s) => s.run?.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
    expect(merge.filter((s) => s.uses?.startsWith("actions/upload-artifact"))).toHaveLength(1);
  });
});
