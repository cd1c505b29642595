// The virtual CloudHSM service's reading of CreateCluster's HsmType and SubnetIds alone
// (sim/hsm/cluster-request.ts): the subnets given become the SubnetMapping as given; a deleted subnet is
// as unknown as one never there; missing members are ValidationException naming the member.
import { describe, expect, it } from "vitest";
import { readClusterRequest } from "../../../sim/hsm/cluster-request.ts";
import { Rejection } from "../../../sim/wire/validate.ts";
import type { JsonObject } from "../../../protocol/step.ts";

const subnets = new Map([
  ["subnet-00000001", { availabilityZone: "az-a", deleted: false }],
  ["subnet-00000002", { availabilityZone: "az-b", deleted: false }],
  ["subnet-00000003", { availabilityZone: "az-a", deleted: false }],
  ["subnet-00000004", { availabilityZone: "az-c", deleted: true }],
]);
const read = (input: JsonObject) => {
  const r = readClusterRequest(input, subnets);
  return r instanceof Rejection ? r.error.name : r;
};

describe("the virtual CloudHSM service's CreateCluster request", () => {
  it("maps exactly the subnets given, by zone, of either documented type", () => {
    expect(read({ HsmType: "hsm2m.medium", SubnetIds: ["subnet-00000002", "subnet-00000003"] })).toEqual({
      hsmType: "hsm2m.medium",
      subnetMapping: { "az-b": "subnet-00000002", "az-a": "subnet-00000003" },
    });
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000001"] })).toEqual({
      hsmType: "hsm1.medium",
      subnetMapping: { "az-a": "subnet-00000001" },
    });
  });

  it("refuses missing or malformed members with a ValidationException naming the member", () => {
    const missing = readClusterRequest({ HsmType: "hsm9.huge" }, subnets);
    expect(missing instanceof Rejection && missing.error).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("'subnetIds'"),
    });
    expect(read({ SubnetIds: ["subnet-00000001"] })).toBe("ValidationException");
    expect(read({ HsmType: "hsm9.huge", SubnetIds: [] })).toBe("ValidationException");
    expect(read({ HsmType: "hsm1.medium", SubnetIds: [1] })).toBe("ValidationException");
    expect(read({ HsmType: "hsm1.medium", SubnetIds: Array.from({ length: 11 }, () => "subnet-00000001") })).toBe("ValidationException");
  });

  it("refuses an undocumented type, an unknown or deleted subnet, two subnets in one zone: CloudHsmInvalidRequestException", () => {
    const refused = "CloudHsmInvalidRequestException";
    expect(read({ HsmType: "hsm1.large", SubnetIds: ["subnet-00000001"] })).toBe(refused);
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000009"] })).toBe(refused);
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000002", "subnet-00000004"] })).toBe(refused);
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000001", "subnet-00000003"] })).toBe(refused);
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000002", "subnet-00000002"] })).toBe(refused);
  });
});
