// deploy/k8s/nightly-job.yaml parses as YAML: an Indexed Job with a completion per shipped scenario (all
// but the canary) and shard its fuzz command names, a merge Job that waits for and merges every one of
// them, scenario by scenario, and a canary Job; every kmsim command in it is one the CLI accepts, for
// every completion index.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { campaignScenarios, checkInvocation, flagValue, kmsimCommands, runWithStandInNpx, words } from "../../support/kmsim-commands.ts";

interface Container {
  name: string;
  command: string[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: { completionMode?: string; completions?: number; template?: { spec: { containers: Container[]; initContainers?: Container[] } } };
}

const documents = parseAllDocuments(readFileSync("deploy/k8s/nightly-job.yaml", "utf8"));
const manifests = documents.map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Manifest;
});

describe("the nightly Kubernetes Job", () => {
  const jobs = manifests.filter((m) => m.kind === "Job");
  const [fuzzJob, mergeJob, canaryJob] = jobs;
  /** A container's command as one line: an `sh -c` script, or the words joined. */
  const line = (c: Container) => (c.command[0] === "sh" ? c.command[2]! : c.command.join(" "));

  const fuzzScript = line(fuzzJob!.spec.template!.spec.containers[0]!);
  const mergeScript = line(mergeJob!.spec.template!.spec.containers[0]!);
  /** The scenarios the fuzz script names, in index order (`set -- …`). */
  const scenarios = /^set -- (.+)$/m.exec(fuzzScript)![1]!.split(" ");
  const JOB_UIDS = ["6f1c2b8e-4d3a-4e7b-9a51-0c2d9e8f7a61", "0b9e7d55-21c4-4f0e-8d3b-7e6a5c4b3a29"];

  /** The fuzz command a pod of completion `index` runs (sh, as the container does), as kmsim reads it. */
  const fuzzArgv = (index: number, jobUid = JOB_UIDS[0]!) => {
    const { commands, exitCode } = runWithStandInNpx("sh", fuzzScript, { INDEX: String(index), JOB_UID: jobUid });
    expect(exitCode).toBe(0);
    expect(commands).toHaveLength(1);
    return words(commands[0]!);
  };

  it("is an Indexed Job with a completion per scenario and shard, then a merge Job and a canary Job", () => {
    expect(jobs).toHaveLength(3);
    expect(fuzzJob!.spec.completionMode).toBe("Indexed");
    expect([...scenarios].sort()).toEqual(campaignScenarios());
    const shards = Number(flagValue(fuzzArgv(0), "--shard")!.split("/")[1]);
    expect(fuzzJob!.spec.completions).toBe(scenarios.length * shards);
    expect(kmsimCommands(mergeScript).map((c) => words(c)[0])).toEqual(["merge"]);
  });

  it("runs each completion index as its own scenario and shard, into a folder of its own, with commands the CLI accepts", () => {
    const completions = fuzzJob!.spec.completions!;
    const shards = completions / scenarios.length;
    const outs = Array.from({ length: completions }, (_, index) => {
      const argv = fuzzArgv(index);
      expect(flagValue(argv, "--scenario")).toBe(scenarios[Math.floor(index / shards)]);
      expect(flagValue(argv, "--shard")).toBe(`${index % shards}/${shards}`);
      expect(checkInvocation(argv.join(" "), (t) => t)).toBe("fuzz");
      return flagValue(argv, "--out");
    });
    expect(new Set(outs).size).toBe(completions);
    expect(outs.filter((out) => out!.startsWith("/reports/default/"))).toHaveLength(shards);
  });

  it("runs a million seeds picked by the Job's id: one first seed for all of a Job's pods, another for another Job", () => {
    const firsts = JOB_UIDS.map((uid) => {
      const ofJob = new Set(
        Array.from({ length: fuzzJob!.spec.completions! }, (_, index) => {
          const argv = fuzzArgv(index, uid);
          expect(flagValue(argv, "--seeds")).toBe("1000000");
          return Number(flagValue(argv, "--first"));
        }),
      );
      expect(ofJob.size).toBe(1);
      const [first] = ofJob;
      expect((first! - 1) % 1_000_000).toBe(0);
      return first;
    });
    expect(firsts[0]).not.toBe(firsts[1]);
  });

  it("waits for every scenario's every shard before merging", () => {
    const wait = mergeJob!.spec.template!.spec.initContainers!.map(line).join("\n");
    const shards = fuzzJob!.spec.completions! / scenarios.length;
    expect(wait).toContain(`for scenario in ${scenarios.join(" ")}; do`);
    expect(wait).toContain(`for i in ${Array.from({ length: shards }, (_, i) => i).join(" ")}; do`);
    expect(wait).toContain("/reports/$scenario/shard-$i/summary.json");
  });

  it("merges every scenario's shards into a folder of its own, and fails when any merge does, after all have run", () => {
    const passing = runWithStandInNpx("sh", mergeScript);
    expect(passing.exitCode).toBe(0);
    expect(passing.commands.map((c) => words(c).slice(0, 2))).toEqual(scenarios.map((s) => ["merge", `/reports/${s}/shard-*`]));
    for (const command of passing.commands) expect(checkInvocation(command, (t) => t)).toBe("merge");
    expect(new Set(passing.commands.map((c) => flagValue(words(c), "--out"))).size).toBe(scenarios.length);
    const oneFails = runWithStandInNpx("sh", mergeScript, {}, `/reports/${scenarios[1]}/`);
    expect(oneFails.commands).toHaveLength(scenarios.length);
    expect(oneFails.exitCode).toBe(1);
  });

  it("runs the canary once, unsharded, into a folder of its own", () => {
    expect(canaryJob!.metadata.name).toBe("kmsim-nightly-canary");
    expect(canaryJob!.spec.completionMode).toBeUndefined();
    const argv = words(kmsimCommands(canaryJob!.spec.template!.spec.containers.map(line).join("\n"))[0]!);
    expect(argv.slice(0, 3)).toEqual(["fuzz", "--scenario", "canary"]);
    expect(argv).not.toContain("--shard");
    expect(flagValue(argv, "--out")).toBe("/reports/canary");
  });
});
