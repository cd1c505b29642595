// The model's UntagResource alone (model/tags.ts, spec §7): a TagKey under "aws:" in any case is a
// TagException [MODEL CHOICE] and leaves the key's tags as they were; other keys, known or not, go.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState } from "../../model/state.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { modelKey, modelKeyArn } from "../support/model-key.ts";

const world = modelWorld(loadScenario("default"));
const KEY_ID = "1234abcd-12ab-44cd-a6ef-1234567890ab";
const ARN = modelKeyArn(world, KEY_ID);

function tagged(): ModelState {
  return changed(initialState(world), (state) => {
    state.keys = [modelKey(world, KEY_ID, { tags: { team: "blue", env: "prod" } })];
  });
}

function untag(TagKeys: string[]) {
  const branches = modelStep(world, tagged(), { call: "UntagResource", as: "admin", input: { KeyId: ARN, TagKeys } }, 0);
  expect(branches).toHaveLength(1);
  const { outcome } = branches[0]!;
  return { answer: outcome.ok ? "ok" : outcome.error.name, tags: branches[0]!.next({ ok: true, output: {} }).keys[0]!.tags };
}

describe("the model's UntagResource", () => {
  it("refuses a TagKey under aws: in any case, whatever else the request names", () => {
    for (const reserved of ["aws:team", "AWS:team", "Aws:x"]) expect(untag(["team", reserved]).answer).toBe("TagException");
  });

  it("removes the named keys and ignores unknown ones", () => {
    const { answer, tags } = untag(["team", "awsteam", "nope"]);
    expect(answer).toBe("ok");
    expect(tags).toEqual({ env: "prod" });
  });
});
