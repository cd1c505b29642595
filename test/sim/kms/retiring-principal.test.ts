// ListRetirableGrants' RetiringPrincipal (spec §9.7; the [MODEL CHOICE] of model/retiring-principal.ts
// and sim/kms/retiring-principal.ts) through both sides: not an IAM principal's ARN is
// InvalidArnException before authorization; another account's principal, or one that does not exist,
// NotFoundException after it; a principal of the caller's account lists its grants on any key.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { principals, account, partnerAccount, region } = scenario.world;
const app = principals["app"]!.arn;
const fails = (name: string) => ({ ok: false, error: { name } });
const retirable = (RetiringPrincipal: string, expected: JsonObject, as = "admin"): Step => ({
  call: "ListRetirableGrants",
  as,
  input: { RetiringPrincipal },
  expect: expected,
});

describe("ListRetirableGrants' RetiringPrincipal (§9.7) on both sides", () => {
  it("InvalidArnException for what is not an IAM principal's ARN, NotFoundException for one not of the caller's account", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      {
        call: "CreateGrant",
        as: "admin",
        input: { KeyId: "${k.KeyMetadata.Arn}", GranteePrincipal: app, RetiringPrincipal: app, Operations: ["Encrypt"] },
      },
      retirable(app, { ok: true, output: { Grants: [{ RetiringPrincipal: app }], Truncated: false } }),
      retirable(`arn:aws:iam::${account}:root`, { ok: true, output: { Grants: [], Truncated: false } }),
      retirable("App", fails("InvalidArnException")),
      retirable(account, fails("InvalidArnException")),
      retirable(`arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, fails("InvalidArnException")),
      retirable(`arn:aws:iam::${account}:group/Admins`, fails("InvalidArnException")),
      retirable(principals["partner"]!.arn, fails("NotFoundException")),
      retirable(`arn:aws:iam::${partnerAccount}:root`, fails("NotFoundException")),
      retirable(`arn:aws:iam::${account}:role/Nobody`, fails("NotFoundException")),
      retirable(`arn:aws:sts::${account}:assumed-role/App/session`, fails("NotFoundException")),
      // The partner's principals are found by its own account's callers; the shape is checked before IAM decides, the account after.
      retirable(principals["partner"]!.arn, { ok: true, output: { Grants: [], Truncated: false } }, "partneradmin"),
      retirable(app, fails("NotFoundException"), "partneradmin"),
      retirable("App", fails("InvalidArnException"), "partner"),
      retirable(app, fails("AccessDeniedException"), "partner"),
    ];
    const result = executeSteps(scenario, "kmsim:retiring-principal", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});
