// The model's rule for ListRetirableGrants' RetiringPrincipal alone (model/retiring-principal.ts,
// [MODEL CHOICE] of spec §9.7): the shape before authorization, the account and existence after.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { initialState } from "../../model/initial-state.ts";
import { modelWorld } from "../../harness/model-world.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const { account, partnerAccount } = scenario.world;

function answer(as: string, RetiringPrincipal: string): string {
  const branches = modelStep(world, initialState(world), { call: "ListRetirableGrants", as, input: { RetiringPrincipal } }, 0);
  expect(branches).toHaveLength(1);
  const outcome = branches[0]!.outcome;
  return outcome.ok ? "ok" : outcome.error.name;
}

describe("the model's ListRetirableGrants RetiringPrincipal", () => {
  it("takes the caller's account's root, users, roles and no one else's", () => {
    expect(answer("admin", `arn:aws:iam::${account}:root`)).toBe("ok");
    expect(answer("admin", `arn:aws:iam::${account}:user/alice`)).toBe("ok");
    expect(answer("admin", `arn:aws:iam::${account}:user/bob`)).toBe("NotFoundException");
    expect(answer("admin", `arn:aws:iam::${partnerAccount}:role/Partner`)).toBe("NotFoundException");
    expect(answer("partneradmin", `arn:aws:iam::${partnerAccount}:role/Partner`)).toBe("ok");
  });

  it("refuses what is not an IAM principal's ARN before IAM decides, and another account's after", () => {
    for (const notArn of ["alice", account, `arn:aws:iam::${account}:policy/P`, `arn:aws:s3:::bucket`])
      expect([notArn, answer("app", notArn)]).toEqual([notArn, "InvalidArnException"]);
    expect(answer("app", `arn:aws:iam::${partnerAccount}:role/Partner`)).toBe("AccessDeniedException");
    expect(answer("app", `arn:aws:sts::${account}:assumed-role/App/s`)).toBe("AccessDeniedException");
  });
});
