// The model's reading of CreateCluster's HsmType and SubnetIds alone (model/cluster-request.ts): the
// subnets given become the SubnetMapping as given; a deleted subnet is as unknown as one never there;
// the checks come in their order (parameters, type, subnets), and every refusal is one error.
import { describe, expect, it } from "vitest";
import { clusterRequest, HSM_TYPES } from "../../model/cluster-request.ts";
import { settleCheck } from "../../model/refusal.ts";
import type { JsonObject } from "../../protocol/step.ts";

const subnets = [
  { subnetId: "subnet-00000001", availabilityZone: "az-a", deleted: false },
  { subnetId: "subnet-00000002", availabilityZone: "az-b", deleted: false },
  { subnetId: "subnet-00000003", availabilityZone: "az-a", deleted: false },
  { subnetId: "subnet-00000004", availabilityZone: "az-c", deleted: true },
];
const read = (input: JsonObject) => {
  const r = settleCheck(clusterRequest(input, subnets));
  return r.done ? r.value : r.refusal.outcome.ok ? "ok?" : r.refusal.outcome.error.name;
};

describe("the model's CreateCluster request", () => {
  it("maps exactly the subnets given, by zone, of either documented type", () => {
    expect(HSM_TYPES).toEqual(["hsm1.medium", "hsm2m.medium"]);
    expect(read({ HsmType: "hsm2m.medium", SubnetIds: ["subnet-00000002", "subnet-00000003"] })).toEqual({
      hsmType: "hsm2m.medium",
      subnetMapping: { "az-b": "subnet-00000002", "az-a": "subnet-00000003" },
    });
    expect(read({ HsmType: "hsm1.medium", SubnetIds: ["subnet-00000001"] })).toEqual({
      hsmType: "hsm1.medium",
      subnetMapping: { "az-a": "subnet-00000001" },
    });
  });

  it("refuses missing or malformed members with ValidationException, before the type and subnets are judged", () => {
    expect(read({ SubnetIds: ["subnet-00000001"] })).toBe("ValidationException");
    expect(read({ HsmType: "hsm9.huge" })).toBe("ValidationException");
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
