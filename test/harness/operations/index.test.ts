// One operation list for the whole house: the model's rules, the simulated world's handlers and the
// harness's descriptors name the same operations, so a missing one fails here and not mid-run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { OPERATION_NAMES, OPERATIONS } from "../../../harness/operations/index.ts";
import { inputsFor } from "../../../harness/operations/inputs.ts";
import { MODEL_OPERATIONS } from "../../../model/model.ts";
import { WORLD_OPERATIONS } from "../../../sim/operations.ts";

const sorted = (names: Iterable<string>) => [...names].sort();

describe("the operation lists", () => {
  it("are the same set on the model, the world and the harness", () => {
    expect(OPERATION_NAMES.length).toBeGreaterThan(50);
    expect(sorted(Object.keys(MODEL_OPERATIONS))).toEqual(sorted(OPERATION_NAMES));
    expect(sorted(WORLD_OPERATIONS)).toEqual(sorted(OPERATION_NAMES));
  });

  it("name each operation once, outside KMS with its service's prefix, and each with a kind that fits", () => {
    expect(new Set(WORLD_OPERATIONS).size).toBe(WORLD_OPERATIONS.length);
    for (const d of OPERATIONS.values()) {
      const prefix = d.name.includes(":") ? d.name.slice(0, d.name.indexOf(":")) : "kms";
      const kinds = { kms: ["crypto", "store", "management"], cloudhsmv2: ["cloudhsm"], hsm: ["operator"], iam: ["iam"] }[prefix];
      expect(kinds, d.name).toContain(d.kind);
      expect(d.callers.length, d.name).toBeGreaterThan(0);
    }
  });

  it("give every operation an input generator that makes JSON objects", () => {
    const inputs = inputsFor(loadScenario("authz"));
    for (const d of OPERATIONS.values()) {
      const [sample] = fc.sample(d.input(inputs), { seed: 1, numRuns: 1 });
      expect(typeof sample === "object" && sample !== null && !Array.isArray(sample), d.name).toBe(true);
    }
  });
});
