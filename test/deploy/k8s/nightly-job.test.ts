// deploy/k8s/nightly-job.yaml parses as YAML: an Indexed Job with a completion per shipped scenario (all
// but the canary) and shard its fuzz command names, a merge Job that waits for and merges every one of
// them, scenario by scenario, and a canary Job; every kmsim command in it is one the CLI accepts, for
// every completion index.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadScenario, scenarioNames } from "../../../cli/load.ts";
import { checkInvocation, kmsimCommands, words } from "../../support/kmsim-commands.ts";

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
  /** The scenarios the fuzz script names, in index order (`set -- …`), and the shards of each. */
  const scenarios = /^set -- (.+)$/m.exec(fuzzScript)![1]!.split(" ");
  /** The shell's `$((INDEX % N))`, the shard, as one word. */
  const shardWord = (t: string) => t.replaceAll(/\$\(\(INDEX % (\d+)\)\)/g, "SHARD%$1");
  const fuzz = words(kmsimCommands(fuzzScript)[0]!, shardWord);
  const shards = Number(fuzz[fuzz.indexOf("--shard") + 1]!.split("/")[1]);

  /** The fuzz script's command as the shell runs it for completion `index`. */
  const fillIndex = (index: number) => (t: string) =>
    t
      .replaceAll("$1", scenarios[Math.floor(index / shards)]!)
      .replaceAll(`$((INDEX % ${shards}))`, String(index % shards))
      .replace("/reports/$scenario/shard-*", `/reports/${scenarios[Math.floor(index / shards)]!}/shard-0`)
      .replaceAll("$scenario", scenarios[Math.floor(index / shards)]!);

  it("is an Indexed Job with a completion per scenario and shard, then a merge Job and a canary Job", () => {
    expect(jobs).toHaveLength(3);
    expect(fuzzJob!.spec.completionMode).toBe("Indexed");
    expect([...scenarios].sort()).toEqual(scenarioNames().filter((name) => loadScenario(name).canary === undefined));
    expect(fuzzScript).toContain(`shift $((INDEX / ${shards}))`);
    expect(fuzz.slice(0, 3)).toEqual(["fuzz", "--scenario", "$1"]);
    expect(fuzz[fuzz.indexOf("--shard") + 1]).toBe(`SHARD%${shards}/${shards}`);
    expect(fuzz[fuzz.indexOf("--out") + 1]).toBe(`/reports/$1/shard-SHARD%${shards}`);
    expect(fuzzJob!.spec.completions).toBe(scenarios.length * shards);
    const merge = line(mergeJob!.spec.template!.spec.containers[0]!);
    expect(kmsimCommands(merge).map((c) => words(c)[0])).toEqual(["merge"]);
    expect(merge).toContain(`for scenario in ${scenarios.join(" ")}; do`);
  });

  it("runs each completion index as its own scenario and shard, into a folder of its own", () => {
    const outs = Array.from({ length: fuzzJob!.spec.completions! }, (_, index) => {
      const argv = words(kmsimCommands(fuzzScript)[0]!, fillIndex(index));
      expect(argv[argv.indexOf("--scenario") + 1]).toBe(scenarios[Math.floor(index / shards)]);
      expect(argv[argv.indexOf("--shard") + 1]).toBe(`${index % shards}/${shards}`);
      return argv[argv.indexOf("--out") + 1];
    });
    expect(new Set(outs).size).toBe(outs.length);
  });

  it("waits for every scenario's every shard before merging", () => {
    const wait = mergeJob!.spec.template!.spec.initContainers!.map(line).join("\n");
    expect(wait).toContain(`for scenario in ${scenarios.join(" ")}; do`);
    expect(wait).toContain(`for i in ${Array.from({ length: shards }, (_, i) => i).join(" ")}; do`);
    expect(wait).toContain("/reports/$scenario/shard-$i/summary.json");
  });

  it("has only kmsim commands the CLI accepts", () => {
    const all = kmsimCommands(jobs.flatMap((j) => j.spec.template!.spec.containers.map(line)).join("\n"));
    for (let index = 0; index < fuzzJob!.spec.completions!; index++)
      expect(all.map((c) => checkInvocation(c, fillIndex(index)))).toEqual(["fuzz", "merge", "fuzz"]);
  });

  it("runs the canary once, unsharded, into a folder of its own", () => {
    expect(canaryJob!.metadata.name).toBe("kmsim-nightly-canary");
    expect(canaryJob!.spec.completionMode).toBeUndefined();
    const argv = words(kmsimCommands(canaryJob!.spec.template!.spec.containers.map(line).join("\n"))[0]!);
    expect(argv.slice(0, 3)).toEqual(["fuzz", "--scenario", "canary"]);
    expect(argv).not.toContain("--shard");
    expect(argv[argv.indexOf("--out") + 1]).toBe("/reports/canary");
  });
});
