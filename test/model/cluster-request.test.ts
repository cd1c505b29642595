// The model's reading of CreateCluster's HsmType and SubnetIds alone (model/cluster-request.ts): the
// subnets given become the SubnetMapping as given; a deleted subnet is as unknown as one never there;
// the checks come in their order (parameters, type, subnets), and every refusal is one error.
import { describe, expect, it } from "vitest";
import { clusterRequest, HSM_TYPES } from "../../model/cluster-request.ts";
import { settleCheck } from "../../model/refusal.ts";
import type { JsonObject } from "../../protocol/step.ts";
import { ACCEPTED, CASE_SUBNETS, INVALID_REQUEST_REFUSED, VALIDATION_REFUSED } from "../support/cluster-request-cases.ts";

const subnets = CASE_SUBNETS;
const read = (input: JsonObject) => {
  const r = settleCheck(clusterRequest(input, subnets));
  return r.done ? r.value : r.refusal.outcome.ok ? "ok?" : r.refusal.outcome.error.name;
};

describe("the model's CreateCluster request", () => {
  it("maps exactly the subnets given, by zone, of either documented type", () => {
    expect(HSM_TYPES).toEqual(["hsm1.medium", "hsm2m.medium"]);
    for (const { input, read: wanted } of ACCEPTED) expect(read(input), JSON.stringify(input)).toEqual(wanted);
  });

  it("refuses missing or malformed members with ValidationException, before the type and subnets are judged", () => {
    for (const input of VALIDATION_REFUSED) expect(read(input), JSON.stringify(input)).toBe("ValidationException");
  });

  it("refuses an undocumented type, an unknown or deleted subnet, two subnets in one zone: CloudHsmInvalidRequestException", () => {
    for (const input of INVALID_REQUEST_REFUSED) expect(read(input), JSON.stringify(input)).toBe("CloudHsmInvalidRequestException");
  });
});
