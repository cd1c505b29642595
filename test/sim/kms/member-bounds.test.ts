// Each KMS handler reads its members again after the service model's checks, by bounds written by hand
// on each side (sim/wire/validate.ts's readers, model/refusal.ts's): a bound one side gets wrong inside
// the shape's own bounds changes an answer only for a value at that bound, which a campaign rarely
// sends on a request valid in every other way — the flip samples found such bounds unseen again and
// again (GenerateRandom's CustomKeyStoreId of one character, on 1 December 2026). Here, for every KMS
// operation the generator makes, each top-level string, integer or blob member with bounds in its shape is
// set to its shape's least and greatest value — and a list's first item, or each field of a list's first
// structure, as UntagResource's TagKeys and Tags' TagKey and TagValue — on a drawn input the service otherwise takes past its validation layer, and sent through
// both sides: the model must allow what the virtual KMS answers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { scenarioArbitraries } from "../../../harness/scenario-arbitraries.ts";
import { worldSeed } from "../../../harness/seed.ts";
import { KMS_MODEL, type ShapeData } from "../../../protocol/aws/service-model.ts";
import type { Json, JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("authz");
const createKey: Step = { call: "CreateKey", as: "admin", input: {} };
const run = (call: string, input: JsonObject) => executeSteps(scenario, worldSeed(1), [createKey, createKey, { call, as: "admin", input }]);

/** Did the service take `input` past its validation layer (an answer other than its two refusals)? */
function pastValidation(call: string, input: JsonObject): boolean {
  const record = run(call, input).records[2];
  if (record === undefined) return false;
  return record.sut.ok || (record.sut.error.name !== "ValidationException" && record.sut.error.name !== "SerializationException");
}

/**
 * The least and greatest values `shape` takes, where it bounds them: integers; blobs as that many bytes
 * in base64; strings of one letter, when its pattern takes them.
 */
function boundValues(shape: ShapeData): Json[] {
  if (shape.type === "integer" || shape.type === "long") return [shape.min, shape.max].filter((n): n is number => n !== undefined);
  if (shape.type === "blob")
    return [shape.min ?? 1, shape.max].filter((n): n is number => n !== undefined).map((n) => Buffer.alloc(n, 7).toString("base64"));
  if (shape.type !== "string" || shape.enum !== undefined) return [];
  const pattern = shape.pattern === undefined ? undefined : new RegExp(`^(?:${shape.pattern})$`, "u");
  return [shape.min ?? 1, shape.max]
    .filter((n): n is number => n !== undefined && n <= 8192)
    .map((n) => "x".repeat(n))
    .filter((text) => pattern === undefined || pattern.test(text));
}

/**
 * The values to try for member `name` (of shape `shapeName`) of `base`: its own bounds; for a list
 * `base` holds, its first item at its bounds, or for a list of structures with each field at its bounds.
 */
function memberValues(base: JsonObject, name: string, shapeName: string): Json[] {
  const shape = KMS_MODEL.shapes[shapeName]!;
  const own = boundValues(shape);
  const items = base[name];
  const item = shape.type === "list" && Array.isArray(items) ? items[0] : undefined;
  const itemShape = shape.member === undefined ? undefined : KMS_MODEL.shapes[shape.member];
  if (item === undefined || itemShape === undefined) return own;
  if (itemShape.type !== "structure") return [...own, ...boundValues(itemShape).map((value) => [value, ...(items as Json[]).slice(1)])];
  if (typeof item !== "object" || item === null || Array.isArray(item)) return own;
  const nested = Object.entries(itemShape.members ?? {}).flatMap(([field, fieldShape]) =>
    boundValues(KMS_MODEL.shapes[fieldShape]!).map((value) => [{ ...item, [field]: value }, ...(items as Json[]).slice(1)]),
  );
  return [...own, ...nested];
}

describe("the handlers' bounds inside the service model's, on both sides", () => {
  it("answers each member at its shape's least and greatest value as the model allows, for every KMS operation drawn", () => {
    let calls = 0;
    const members = new Set<string>();
    for (const [call, arbitrary] of scenarioArbitraries(scenario).inputs) {
      const op = KMS_MODEL.operations[call];
      if (op?.input === undefined || op.input === null) continue;
      const inputShape = KMS_MODEL.shapes[op.input]!;
      const drawn = fc.sample(arbitrary, { seed: 11, numRuns: 150 });
      for (const [name, shapeName] of Object.entries(inputShape.members ?? {})) {
        // A drawn input with the member, or without it where it is optional, that the service takes past validation.
        const base =
          drawn.find((input) => input[name] !== undefined && pastValidation(call, input)) ??
          drawn.find((input) => pastValidation(call, input));
        if (base === undefined) continue;
        const values = memberValues(base, name, shapeName);
        if (values.length > 0) members.add(`${call}.${name}`);
        for (const value of values) {
          const input = { ...base, [name]: value };
          const result = run(call, input);
          expect(result.failure, `${call} ${JSON.stringify(input).slice(0, 200)}`).toBeUndefined();
          calls++;
        }
      }
    }
    // The members the flip samples found unseen are among those tried.
    for (const member of [
      "GenerateRandom.CustomKeyStoreId",
      "UpdateCustomKeyStore.CustomKeyStoreId",
      "CreateKey.Description",
      "TagResource.Tags",
      "UntagResource.TagKeys",
    ])
      expect(members).toContain(member);
    expect(calls).toBeGreaterThan(100);
  });
});
