// CreateCluster's HsmType and SubnetIds as both sides must read them, one set of cases for each (the
// model's model/cluster-request.ts and the virtual CloudHSM's sim/hsm/cluster-request.ts are tested apart,
// by the same cases): four subnets, one of them deleted, two in one zone; the requests refused, and with
// which error.
import type { JsonObject } from "../../protocol/step.ts";

/** The subnets the cases are read against: subnet-00000004 deleted, subnet-00000001 and -3 in one zone. */
export const CASE_SUBNETS = [
  { subnetId: "subnet-00000001", availabilityZone: "az-a", deleted: false },
  { subnetId: "subnet-00000002", availabilityZone: "az-b", deleted: false },
  { subnetId: "subnet-00000003", availabilityZone: "az-a", deleted: false },
  { subnetId: "subnet-00000004", availabilityZone: "az-c", deleted: true },
] as const;

/** Requests both sides accept, with what they read from each: the type, and exactly the subnets given, by zone. */
export const ACCEPTED: readonly { input: JsonObject; read: { hsmType: string; subnetMapping: Record<string, string> } }[] = [
  {
    input: { HsmType: "hsm2m.medium", SubnetIds: ["subnet-00000002", "subnet-00000003"] },
    read: { hsmType: "hsm2m.medium", subnetMapping: { "az-b": "subnet-00000002", "az-a": "subnet-00000003" } },
  },
  {
    input: { HsmType: "hsm1.medium", SubnetIds: ["subnet-00000001"] },
    read: { hsmType: "hsm1.medium", subnetMapping: { "az-a": "subnet-00000001" } },
  },
];

/** A member missing or malformed: ValidationException, before the type and subnets are judged. */
export const VALIDATION_REFUSED: readonly JsonObject[] = [
  { SubnetIds: ["subnet-00000001"] },
  { HsmType: "hsm9.huge" },
  { HsmType: "hsm9.huge", SubnetIds: [] },
  { HsmType: "hsm1.medium", SubnetIds: [1] },
  { HsmType: "hsm1.medium", SubnetIds: Array.from({ length: 11 }, () => "subnet-00000001") },
];

/** An undocumented type, an unknown or deleted subnet, two subnets in one zone: CloudHsmInvalidRequestException. */
export const INVALID_REQUEST_REFUSED: readonly JsonObject[] = [
  { HsmType: "hsm1.large", SubnetIds: ["subnet-00000001"] },
  { HsmType: "hsm1.medium", SubnetIds: ["subnet-00000009"] },
  { HsmType: "hsm1.medium", SubnetIds: ["subnet-00000002", "subnet-00000004"] },
  { HsmType: "hsm1.medium", SubnetIds: ["subnet-00000001", "subnet-00000003"] },
  { HsmType: "hsm1.medium", SubnetIds: ["subnet-00000002", "subnet-00000002"] },
];
