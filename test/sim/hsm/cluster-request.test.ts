// The virtual CloudHSM service's reading of CreateCluster's HsmType and SubnetIds alone
// (sim/hsm/cluster-request.ts): the subnets given become the SubnetMapping as given; a deleted subnet is
// as unknown as one never there; missing members are ValidationException naming the member.
import { describe, expect, it } from "vitest";
import { readClusterRequest } from "../../../sim/hsm/cluster-request.ts";
import { Rejection } from "../../../sim/wire/validate.ts";
import type { JsonObject } from "../../../protocol/step.ts";
import { ACCEPTED, CASE_SUBNETS, INVALID_REQUEST_REFUSED, VALIDATION_REFUSED } from "../../support/cluster-request-cases.ts";

const subnets = new Map(CASE_SUBNETS.map(({ subnetId, ...subnet }) => [subnetId, subnet]));
const read = (input: JsonObject) => {
  const r = readClusterRequest(input, subnets);
  return r instanceof Rejection ? r.error.name : r;
};

describe("the virtual CloudHSM service's CreateCluster request", () => {
  it("maps exactly the subnets given, by zone, of either documented type", () => {
    for (const { input, read: wanted } of ACCEPTED) expect(read(input), JSON.stringify(input)).toEqual(wanted);
  });

  it("refuses missing or malformed members with a ValidationException naming the member", () => {
    const missing = readClusterRequest({ HsmType: "hsm9.huge" }, subnets);
    expect(missing instanceof Rejection && missing.error).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("'subnetIds'"),
    });
    for (const input of VALIDATION_REFUSED) expect(read(input), JSON.stringify(input)).toBe("ValidationException");
  });

  it("refuses an undocumented type, an unknown or deleted subnet, two subnets in one zone: CloudHsmInvalidRequestException", () => {
    for (const input of INVALID_REQUEST_REFUSED) expect(read(input), JSON.stringify(input)).toBe("CloudHsmInvalidRequestException");
  });
});
