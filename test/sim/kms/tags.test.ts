// Tags (spec §7) through both sides: adding, overwriting, removing, paging in TagKey order, reserved
// keys refused, and who may list them.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const key = { KeyId: "${k.KeyMetadata.KeyId}" };

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:key-states", steps);
}

describe("tags (§7) on both sides", () => {
  it("adds, overwrites, removes, pages in TagKey order, and refuses reserved keys", () => {
    const tag = (TagKey: string, TagValue: string) => ({ TagKey, TagValue });
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: { Tags: [tag("team", "blue")] } },
      {
        call: "TagResource",
        as: "admin",
        input: { ...key, Tags: [tag("env", "prod"), tag("team", "red"), tag("cost", "")] },
        expect: { ok: true },
      },
      {
        call: "TagResource",
        as: "admin",
        input: { ...key, Tags: [tag("aws:owner", "x")] },
        expect: { ok: false, error: { name: "TagException" } },
      },
      { call: "UntagResource", as: "admin", input: { ...key, TagKeys: ["cost", "nope"] }, expect: { ok: true } },
      {
        call: "ListResourceTags",
        as: "admin",
        save: "p1",
        input: { ...key, Limit: 1 },
        expect: { ok: true, output: { Tags: [tag("env", "prod")], Truncated: true, NextMarker: "1" } },
      },
      {
        call: "ListResourceTags",
        as: "admin",
        input: { ...key, Limit: 1, Marker: "${p1.NextMarker}" },
        expect: { ok: true, output: { Tags: [tag("team", "red")], Truncated: false } },
      },
      {
        call: "ListResourceTags",
        as: "admin",
        input: { ...key, Marker: "x" },
        expect: { ok: false, error: { name: "InvalidMarkerException" } },
      },
      { call: "ListResourceTags", as: "app", input: key, expect: { ok: false, error: { name: "AccessDeniedException" } } },
      { call: "CreateKey", as: "storeadmin", input: { Tags: [tag("team", "blue")] }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
