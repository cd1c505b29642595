// A scenario file is held to its shape: unknown fields, weights that could leave a seed with no step
// to draw, values past the limits, malformed probe expectations and a malformed canary are bad input
// naming the field; a canary's mutant is kept as a name the harness does not look up.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODEL_OPERATIONS } from "../../model/model.ts";
import { parseScenario } from "../../harness/scenario.ts";
import type { Json, JsonObject } from "../../protocol/step.ts";

const base = JSON.parse(readFileSync("scenarios/default.json", "utf8")) as JsonObject;
const world = JSON.parse(readFileSync("scenarios/worlds/default.json", "utf8")) as Json;

function parsed(change: (doc: JsonObject) => void) {
  const doc = structuredClone({ ...base, world }) as JsonObject;
  change(doc);
  return () => parseScenario(doc, "x.json", Object.keys(MODEL_OPERATIONS));
}
const at = (doc: JsonObject, key: string) => doc[key] as JsonObject;

describe("parseScenario", () => {
  it("reads the shipped default scenario with its probe expectations", () => {
    const scenario = parsed(() => undefined)();
    expect(scenario.campaign.probesExpected.length).toBeGreaterThan(10);
    expect(scenario.canary).toBeUndefined();
  });

  it("keeps a canary's mutant as an opaque name (the command line, not the harness, knows the catalogue)", () => {
    const scenario = parsed((d) => void (d["canary"] = { mutant: "any-name-at-all" }))();
    expect(scenario.canary).toEqual({ mutant: "any-name-at-all" });
  });

  const cases: [string, (doc: JsonObject) => void, RegExp][] = [
    ["an unknown top-level field", (d) => void (d["campaing"] = {}), /^x\.json: campaing: unknown field/],
    ["an unknown nested field", (d) => void (at(d, "timing")["connectDelayMS"] = 5), /^x\.json: timing\.connectDelayMS: unknown field/],
    [
      "weights that can draw no step",
      (d) => {
        const g = at(d, "generator");
        for (const k of Object.keys(at(g, "callWeights"))) at(g, "callWeights")[k] = 0;
        for (const k of Object.keys(at(g, "faultWeights"))) at(g, "faultWeights")[k] = 0;
        g["advanceWeight"] = 0;
      },
      /^x\.json: generator: some seeds could draw no step/,
    ],
    [
      "a step default past the limit",
      (d) => void (at(d, "campaign")["stepsDefault"] = 100_000_000),
      /campaign\.stepsDefault: must be an integer from 1 to 10000/,
    ],
    [
      "a pause below the generator's floor",
      (d) => void (at(d, "generator")["advanceMsMax"] = 10),
      /generator\.advanceMsMax: must be an integer from 1000/,
    ],
    [
      "a timing value past a day",
      (d) => void (at(d, "timing")["connectDelayMs"] = 9007199254740991),
      /timing\.connectDelayMs: must be an integer from 1 to/,
    ],
    [
      "a probe of an unknown kind",
      (d) => void (at(d, "campaign")["probesExpected"] = ["weather:sunny"]),
      /campaign\.probesExpected\.0: 'weather:sunny' is not kind:detail/,
    ],
    ["a probe of an unknown call", (d) => void (at(d, "campaign")["probesExpected"] = ["call:Frobnicate:ok"]), /names no known operation/],
    [
      "a canary without its mutant's name",
      (d) => void (d["canary"] = { mutant: "" }),
      /^x\.json: canary\.mutant: must be a non-empty string/,
    ],
    [
      "a canary with a misspelt field",
      (d) => void (d["canary"] = { mutnt: "x" }),
      /^x\.json: canary\.mutnt: unknown field \(known: mutant\)/,
    ],
    ["a canary that is a bare name", (d) => void (d["canary"] = "decrypt-ignores-key-id"), /^x\.json: canary: must be an object/],
    [
      "another cluster with the world cluster's id",
      (d) => {
        const others = at(at(d, "world"), "otherClusters") as unknown as JsonObject[];
        others[0]!["clusterId"] = at(at(d, "world"), "cluster")["clusterId"]!;
      },
      /^x\.json: world: cluster ids must be distinct/,
    ],
    [
      "an uninitialized cluster id that is not one",
      (d) => void (at(d, "world")["uninitializedClusterIds"] = ["cluster-1"]),
      /world\.uninitializedClusterIds\.0: not a cluster id/,
    ],
    [
      "another cluster's subnet in a second Availability Zone",
      (d) => {
        const other = (at(at(d, "world"), "otherClusters") as unknown as JsonObject[])[0]!;
        (other["hsms"] as JsonObject[])[0]!["subnetId"] = "subnet-0a1b2c3d4e5f60002";
      },
      /otherClusters\.0\.hsms\.0\.subnetId: subnet subnet-0a1b2c3d4e5f60002 is in us-east-1b elsewhere/,
    ],
    [
      "a stores quota of 0",
      (d) => void (at(d, "quotas")["customKeyStoresPerAccount"] = 0),
      /quotas\.customKeyStoresPerAccount: must be an integer from 1/,
    ],
  ];
  for (const [what, change, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(parsed(change)).toThrow(message);
    });
  }
});
