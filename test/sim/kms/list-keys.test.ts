// ListKeys (spec §5.6) through both sides: the account's keys in creation order, a page at a time;
// IAM decides who may list.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:key-states", steps);
}

describe("ListKeys (§5.6) on both sides", () => {
  it("pages through the account's keys in creation order; IAM decides who may list", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "a", input: {} },
      { call: "CreateKey", as: "admin", save: "b", input: {} },
      { call: "CreateKey", as: "admin", save: "c", input: {} },
      {
        call: "ListKeys",
        as: "admin",
        save: "p",
        input: { Limit: 2 },
        expect: {
          ok: true,
          output: { Keys: [{ KeyId: "${a.KeyMetadata.KeyId}" }, { KeyId: "${b.KeyMetadata.KeyId}" }], Truncated: true, NextMarker: "2" },
        },
      },
      {
        call: "ListKeys",
        as: "admin",
        input: { Limit: 2, Marker: "${p.NextMarker}" },
        expect: { ok: true, output: { Keys: [{ KeyArn: "${c.KeyMetadata.Arn}" }], Truncated: false } },
      },
      { call: "ListKeys", as: "partner", input: {}, expect: { ok: false, error: { name: "AccessDeniedException" } } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
