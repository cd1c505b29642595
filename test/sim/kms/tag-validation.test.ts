// Tags as AWS validates them (spec §7), through both sides: a request naming a tag key twice, carrying
// more than 50 tags, or a key under "aws:" in any case is a TagException — on CreateKey as on
// TagResource, and for UntagResource's keys too [MODEL CHOICE] — with AWS's texts (LocalStack's KMS provider, localstack-core/localstack/services/kms/
// models.py add_tags and utils.py validate_tag, whose tests are validated against real AWS); more than
// 50 on the key after a TagResource is a LimitExceededException. The model states the texts.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Json, JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const tags = (n: number, prefix = "t"): Json[] => Array.from({ length: n }, (_, i) => ({ TagKey: `${prefix}${i}`, TagValue: "v" }));
const tagException = (message: string) => ({ ok: false, error: { name: "TagException", message } });

//   what, the input of CreateKey or TagResource, the answer
const CASES: [string, JsonObject, JsonObject][] = [
  ["a tag key named twice", { Tags: [...tags(2), { TagKey: "t0", TagValue: "w" }] }, tagException("Duplicate tag keys")],
  ["51 tags in one request", { Tags: tags(51) }, tagException("Too many tags")],
  ["a key starting aws:", { Tags: [{ TagKey: "aws:team", TagValue: "v" }] }, tagException("Tags beginning with aws: are reserved")],
  [
    "a key starting AWS: in capitals",
    { Tags: [{ TagKey: "AWS:team", TagValue: "v" }] },
    tagException("Tags beginning with aws: are reserved"),
  ],
  ["50 tags", { Tags: tags(50) }, { ok: true }],
];

function run(steps: Step[]) {
  const result = executeSteps(scenario, "kmsim:tag-validation", steps);
  expect(result.failure).toBeUndefined();
  return result;
}

describe("tags as AWS validates them (§7) on both sides", () => {
  for (const [what, input, expected] of CASES) {
    it(`CreateKey with ${what}: ${expected["ok"] ? "created" : "TagException"}`, () => {
      run([{ call: "CreateKey", as: "admin", input, expect: expected }]);
    });
    it(`TagResource with ${what}: ${expected["ok"] ? "tagged" : "TagException"}`, () => {
      run([
        { call: "CreateKey", as: "admin", save: "k", input: {} },
        { call: "TagResource", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", ...input }, expect: expected },
      ]);
    });
  }

  it("a TagResource that would leave more than 50 tags on the key is LimitExceededException; overwriting is not", () => {
    const key = { KeyId: "${k.KeyMetadata.KeyId}" };
    const { records } = run([
      { call: "CreateKey", as: "admin", save: "k", input: { Tags: tags(30) } },
      {
        call: "TagResource",
        as: "admin",
        input: { ...key, Tags: tags(21, "u") },
        expect: { ok: false, error: { name: "LimitExceededException" } },
      },
      { call: "TagResource", as: "admin", input: { ...key, Tags: [...tags(20), ...tags(20, "u")] }, expect: { ok: true } },
      { call: "ListResourceTags", as: "admin", input: key, expect: { ok: true } },
    ]);
    const listed = records.at(-1)!.sut;
    expect(listed.ok && Array.isArray(listed.output["Tags"]) ? listed.output["Tags"].length : -1).toBe(50);
  });

  it("UntagResource with a key under aws: in any case is a TagException [MODEL CHOICE], after authorization; unknown keys are ignored", () => {
    const key = { KeyId: "${k.KeyMetadata.KeyId}" };
    const tagException = { ok: false, error: { name: "TagException" } };
    run([
      { call: "CreateKey", as: "admin", save: "k", input: { Tags: tags(2) } },
      { call: "UntagResource", as: "admin", input: { ...key, TagKeys: ["t0", "aws:team"] }, expect: tagException },
      { call: "UntagResource", as: "admin", input: { ...key, TagKeys: ["AWS:team"] }, expect: tagException },
      {
        call: "UntagResource",
        as: "app",
        input: { ...key, TagKeys: ["aws:team"] },
        expect: { ok: false, error: { name: "AccessDeniedException" } },
      },
      { call: "ListResourceTags", as: "admin", input: key, expect: { ok: true, output: { Tags: [{ TagKey: "t0" }, { TagKey: "t1" }] } } },
      { call: "UntagResource", as: "admin", input: { ...key, TagKeys: ["t0", "nope", "awsteam"] }, expect: { ok: true } },
      { call: "ListResourceTags", as: "admin", input: key, expect: { ok: true, output: { Tags: [{ TagKey: "t1" }] } } },
    ]);
  });
});
