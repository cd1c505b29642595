// deploy/k8s/nightly-job.yaml parses as YAML: an Indexed Job whose completions match the shard count
// its fuzz command names, a merge Job and a canary Job; every kmsim command in it is one the CLI accepts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
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

  it("is an Indexed Job with a completion per shard, then a merge Job and a canary Job", () => {
    expect(jobs).toHaveLength(3);
    expect(fuzzJob!.spec.completionMode).toBe("Indexed");
    const fuzz = words(kmsimCommands(fuzzJob!.spec.template!.spec.containers.map(line).join("\n"))[0]!);
    const shard = fuzz[fuzz.indexOf("--shard") + 1]!;
    expect(shard).toBe(`$(SHARD)/${fuzzJob!.spec.completions}`);
    expect(kmsimCommands(mergeJob!.spec.template!.spec.containers.map(line).join("\n")).map((c) => words(c)[0])).toEqual(["merge"]);
  });

  it("waits for every shard before merging", () => {
    const wait = mergeJob!.spec.template!.spec.initContainers!.map(line).join("\n");
    expect(wait).toContain(`for i in ${Array.from({ length: fuzzJob!.spec.completions! }, (_, i) => i).join(" ")}; do`);
  });

  it("has only kmsim commands the CLI accepts", () => {
    const all = kmsimCommands(jobs.flatMap((j) => j.spec.template!.spec.containers.map(line)).join("\n"));
    for (let index = 0; index < fuzzJob!.spec.completions!; index++) {
      const fill = (t: string) => t.replaceAll("$(SHARD)", String(index)).replace("/reports/shard-*", "/reports/shard-0");
      expect(all.map((c) => checkInvocation(c, fill))).toEqual(["fuzz", "merge", "fuzz"]);
    }
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
