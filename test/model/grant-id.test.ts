// The model's GrantId form rule alone (model/grant-id.ts, [MODEL CHOICE] of spec §9.7): not 64 lowercase
// hex digits is InvalidGrantIdException, before the key is looked up; a well-formed id goes on to it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { initialState } from "../../model/initial-state.ts";
import { modelWorld } from "../../harness/model-world.ts";
import type { JsonObject } from "../../protocol/step.ts";

const world = modelWorld(loadScenario("default"));
const noKey = `arn:aws:kms:${world.region}:${world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function answer(call: string, input: JsonObject): string {
  const branches = modelStep(world, initialState(world), { call, as: "admin", input }, 0);
  expect(branches).toHaveLength(1);
  const outcome = branches[0]!.outcome;
  return outcome.ok ? "ok" : outcome.error.name;
}

describe("the model's GrantId form", () => {
  const good = "0123456789abcdef".repeat(4);
  it.each(["RevokeGrant", "RetireGrant", "ListGrants"])(
    "%s: InvalidGrantIdException before the key, NotFoundException for the key after",
    (call) => {
      for (const bad of ["g1", good.toUpperCase(), good.slice(1), `${good}0`, good.replace("a", "g")])
        expect([bad, answer(call, { KeyId: noKey, GrantId: bad })]).toEqual([bad, "InvalidGrantIdException"]);
      expect(answer(call, { KeyId: noKey, GrantId: good })).toBe("NotFoundException");
    },
  );

  it("RetireGrant by token does not read GrantId's form", () => {
    expect(answer("RetireGrant", { GrantToken: "AQIDBAUGBwgJCgsMDQ4PEA==", GrantId: "g1" })).toBe("InvalidGrantTokenException");
  });
});
