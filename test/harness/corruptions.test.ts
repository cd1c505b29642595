// The generator's malformed members (harness/corruptions.ts): one place of an input replaced — at any
// depth, never inside a reference, the rest left as it was —, about one call in CORRUPTION_ODDS of a KMS
// operation, none of another service's, in about one seed's swarm in MALFORMED_SWARM_ODDS (drawn last, the
// rest of the swarm as before); and, through both sides, every replacement at every place of a few inputs
// with lists, maps and structures inside lists, and of drawn inputs of every KMS operation the generator
// makes, is answered as the model allows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { CORRUPTION_ODDS, corrupted, MALFORMED_SWARM_ODDS, REPLACEMENTS, withCorruptions } from "../../harness/corruptions.ts";
import { drawSwarm } from "../../harness/generate.ts";
import { executeSteps } from "../../harness/execute.ts";
import { scenarioArbitraries } from "../../harness/scenario-arbitraries.ts";
import { KMS_MODEL } from "../../protocol/aws/service-model.ts";
import { worldSeed } from "../../harness/seed.ts";
import { Prng } from "../../sim/kernel/prng.ts";
import type { Json, JsonObject, Step } from "../../protocol/step.ts";

const tagged: JsonObject = {
  KeyId: { ref: "key", index: 0 },
  Tags: [
    { TagKey: "team", TagValue: "blue" },
    { TagKey: "env", TagValue: "prod" },
  ],
};

/** Every input `corrupted` makes of `input`, one per place (by the first replacement kind that differs from the value there). */
function everyPlace(input: JsonObject, kind: number): JsonObject[] {
  const seen = new Set<string>();
  for (let pick = 0; pick < 64; pick++) seen.add(JSON.stringify(corrupted(input, pick, kind)));
  return [...seen].map((text) => JSON.parse(text) as JsonObject);
}

/** Of `inputs`, in turn, each that has a top-level member none before it had: together they have every member any of them has. */
function widening(inputs: JsonObject[]): JsonObject[] {
  const seen = new Set<string>();
  return inputs.filter((input) => {
    const fresh = Object.keys(input).filter((name) => !seen.has(name));
    fresh.forEach((name) => seen.add(name));
    return fresh.length > 0;
  });
}

describe("malformed members in the generator", () => {
  it("replaces one place at any depth — a member, a list's item, a member of a structure in a list —, a reference whole, never inside it", () => {
    const made = everyPlace(tagged, 0); // 42 at each place
    // KeyId (a reference, replaced whole); Tags; each of its two items; each item's two members.
    expect(made).toHaveLength(8);
    expect(made).toContainEqual({ ...tagged, KeyId: 42 });
    expect(made).toContainEqual({ ...tagged, Tags: 42 });
    expect(made).toContainEqual({ ...tagged, Tags: [42, { TagKey: "env", TagValue: "prod" }] });
    expect(made).toContainEqual({
      ...tagged,
      Tags: [
        { TagKey: "team", TagValue: 42 },
        { TagKey: "env", TagValue: "prod" },
      ],
    });
    for (const input of made) expect([42, { ref: "key", index: 0 }]).toContainEqual(input["KeyId"]);
    expect(tagged["Tags"]).toEqual([
      { TagKey: "team", TagValue: "blue" },
      { TagKey: "env", TagValue: "prod" },
    ]);
  });

  it("leaves an input with no place to replace as it is, and a reference's inside alone", () => {
    expect(corrupted({}, 3, 1)).toEqual({});
    expect(corrupted({ KeyId: { ref: "key", index: 2 } }, 3, 1)).toEqual({ KeyId: 1.5 });
  });

  it("malforms about one call in CORRUPTION_ODDS of a KMS operation, and none of IAM's", () => {
    const input = fc.constant<JsonObject>({ KeyId: "k", Plaintext: "AAEC" });
    expect(withCorruptions("iam:TagRole", input)).toBe(input);
    const runs = 4000;
    const drawn = fc.sample(withCorruptions("Encrypt", input), { seed: 3, numRuns: runs });
    const changed = drawn.filter((i) => JSON.stringify(i) !== JSON.stringify({ KeyId: "k", Plaintext: "AAEC" })).length;
    expect(changed).toBeGreaterThan(runs / CORRUPTION_ODDS / 2);
    expect(changed).toBeLessThan((2 * runs) / CORRUPTION_ODDS);
  });

  it("malforms about one seed's swarm in MALFORMED_SWARM_ODDS, drawn after all the rest of it", () => {
    const scenario = loadScenario("default");
    const seeds = Array.from({ length: 800 }, (_, i) => i + 1);
    const malformed = seeds.filter((seed) => drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm")).malformed).length;
    expect(malformed).toBeGreaterThan(seeds.length / MALFORMED_SWARM_ODDS / 2);
    expect(malformed).toBeLessThan((2 * seeds.length) / MALFORMED_SWARM_ODDS);
  });

  it("is answered through both sides as the model allows, every replacement at every place", () => {
    const scenario = loadScenario("authz");
    const createKey: Step = { call: "CreateKey", as: "admin", input: {} };
    const inputs: [string, JsonObject][] = [
      ["TagResource", tagged],
      ["Encrypt", { KeyId: { ref: "key", index: 0 }, Plaintext: "AAEC", EncryptionContext: { purpose: "test" }, GrantTokens: ["t"] }],
      [
        "CreateGrant",
        {
          KeyId: { ref: "keyArn", index: 0 },
          GranteePrincipal: scenario.world.principals["app"]!.arn,
          Operations: ["Encrypt", "Decrypt"],
          Constraints: { EncryptionContextSubset: { purpose: "test" } },
        },
      ],
    ];
    let calls = 0;
    for (const [call, input] of inputs)
      for (let kind = 0; kind < REPLACEMENTS.length; kind++)
        for (const malformed of everyPlace(input, kind)) {
          const result = executeSteps(scenario, worldSeed(1), [createKey, { call, as: "admin", input: malformed as Json as JsonObject }]);
          expect(result.failure, `${call} ${JSON.stringify(malformed).slice(0, 200)}`).toBeUndefined();
          calls++;
        }
    expect(calls).toBeGreaterThan(100);
  });

  it("is answered through both sides as the model allows for every KMS operation the generator makes, every replacement at every place", () => {
    // A campaign lands a given replacement on a given member of a given operation rarely (one seed in
    // four malforms, one call in ten, one place, one kind of twelve): here each is tried once, on drawn
    // inputs of each operation that between them have every member it was drawn with in 200 draws.
    const scenario = loadScenario("authz");
    const createKey: Step = { call: "CreateKey", as: "admin", input: {} };
    let calls = 0;
    for (const [call, arbitrary] of scenarioArbitraries(scenario).inputs) {
      if (KMS_MODEL.operations[call] === undefined) continue;
      for (const input of widening(fc.sample(arbitrary, { seed: 5, numRuns: 200 })))
        for (let kind = 0; kind < REPLACEMENTS.length; kind++)
          for (const malformed of everyPlace(input, kind)) {
            const result = executeSteps(scenario, worldSeed(1), [createKey, createKey, { call, as: "admin", input: malformed }]);
            expect(result.failure, `${call} ${JSON.stringify(malformed).slice(0, 200)}`).toBeUndefined();
            calls++;
          }
    }
    expect(calls).toBeGreaterThan(1000);
  });
});
