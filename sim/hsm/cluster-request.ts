// What a CreateCluster request asks of the new cluster, as the virtual CloudHSM service reads it:
// HsmType and SubnetIds are required (CloudHSMv2's CreateClusterRequest). The type must be one AWS
// documents; the subnets ones the service has (not deleted), no two in one Availability Zone; they
// become the cluster's SubnetMapping (AZ → subnet id) exactly as given.
import type { JsonObject } from "../../protocol/step.ts";
import { Rejection, requiredString, requiredStringList } from "../wire/validate.ts";

/** "The allowed values are hsm1.medium and hsm2m.medium" (AWS API reference, CreateCluster's HsmType). */
const ALLOWED_HSM_TYPES = new Set(["hsm1.medium", "hsm2m.medium"]);

/** The type of the clusters the world starts with (a convention the model shares). */
export const WORLD_HSM_TYPE = "hsm1.medium";

export interface ClusterRequest {
  hsmType: string;
  /** Availability zone → subnet id. */
  subnetMapping: Record<string, string>;
}

/**
 * The request's HsmType and subnets, or why not. A missing or malformed member (HsmType over 32
 * characters, SubnetIds not 1–10 strings: the service model's bounds) is a ValidationException, as for
 * CreateHsm's AvailabilityZone. The rest is CloudHsmInvalidRequestException, the client error
 * CreateCluster declares [MODEL CHOICE, spec §4 silent]: a type not allowed, then a subnet unknown or
 * deleted, or a second subnet (the same one again included) in an Availability Zone already named.
 */
export function readClusterRequest(
  input: JsonObject,
  subnets: ReadonlyMap<string, { availabilityZone: string; deleted: boolean }>,
): ClusterRequest | Rejection {
  const hsmType = requiredString(input, "HsmType", 0, 32);
  if (hsmType instanceof Rejection) return hsmType;
  const ids = requiredStringList(input, "SubnetIds", 1, 10);
  if (ids instanceof Rejection) return ids;
  if (!ALLOWED_HSM_TYPES.has(hsmType))
    return new Rejection("CloudHsmInvalidRequestException", `HsmType ${hsmType} is not one of ${[...ALLOWED_HSM_TYPES].join(", ")}.`);
  const subnetMapping: Record<string, string> = {};
  for (const id of ids) {
    const subnet = subnets.get(id);
    if (subnet === undefined || subnet.deleted) return new Rejection("CloudHsmInvalidRequestException", `Subnet ${id} does not exist.`);
    const taken = subnetMapping[subnet.availabilityZone];
    if (taken !== undefined)
      return new Rejection(
        "CloudHsmInvalidRequestException",
        `Subnets ${taken} and ${id} are both in ${subnet.availabilityZone}: specify one subnet per Availability Zone.`,
      );
    subnetMapping[subnet.availabilityZone] = id;
  }
  return { hsmType, subnetMapping };
}
