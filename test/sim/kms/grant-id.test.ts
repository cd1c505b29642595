// A GrantId's form (spec §9.7; the [MODEL CHOICE] of model/grant-id.ts and sim/kms/grant-id.ts) through
// both sides: RevokeGrant, RetireGrant by KeyId and GrantId, and ListGrants' filter answer
// InvalidGrantIdException for a GrantId that is not 64 lowercase hex digits, before the key is looked up;
// a well-formed id no grant has is NotFoundException (an empty list for the filter), as on real AWS.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const app = scenario.world.principals["app"]!.arn;
const keyArn = "${k.KeyMetadata.Arn}";
const noKey = `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const fails = (name: string) => ({ ok: false, error: { name } });
const call = (name: string, input: JsonObject, expected: JsonObject): Step => ({ call: name, as: "admin", input, expect: expected });
const WELL_FORMED_NO_GRANT = "9665f33deb53dae5c4cf44ae98561b5fe291cfbb2ba15defec5905e3924e854b";

describe("GrantId's form (§9.7) on both sides", () => {
  it("InvalidGrantIdException for a GrantId not of a grant id's form; NotFoundException for a well-formed unknown one", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { call: "CreateGrant", as: "admin", save: "g", input: { KeyId: keyArn, GranteePrincipal: app, Operations: ["Encrypt"] } },
      call("RevokeGrant", { KeyId: keyArn, GrantId: "grant-1" }, fails("InvalidGrantIdException")),
      call("RevokeGrant", { KeyId: keyArn, GrantId: WELL_FORMED_NO_GRANT.toUpperCase() }, fails("InvalidGrantIdException")),
      call("RevokeGrant", { KeyId: noKey, GrantId: "grant-1" }, fails("InvalidGrantIdException")), // before the key
      call("RevokeGrant", { KeyId: keyArn, GrantId: "a".repeat(129) }, fails("ValidationException")),
      call("RevokeGrant", { KeyId: keyArn, GrantId: WELL_FORMED_NO_GRANT }, fails("NotFoundException")),
      call("RetireGrant", { KeyId: keyArn, GrantId: WELL_FORMED_NO_GRANT.slice(1) }, fails("InvalidGrantIdException")),
      call("RetireGrant", { KeyId: keyArn, GrantId: WELL_FORMED_NO_GRANT }, fails("NotFoundException")),
      call("ListGrants", { KeyId: keyArn, GrantId: "grant-1" }, fails("InvalidGrantIdException")),
      call("ListGrants", { KeyId: keyArn, GrantId: WELL_FORMED_NO_GRANT }, { ok: true, output: { Grants: [], Truncated: false } }),
      call("ListGrants", { KeyId: keyArn, GrantId: "${g.GrantId}" }, { ok: true, output: { Grants: [{ GrantId: "${g.GrantId}" }] } }),
      call("RevokeGrant", { KeyId: keyArn, GrantId: "${g.GrantId}" }, { ok: true }),
    ];
    const result = executeSteps(scenario, "kmsim:grant-id", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});
