// What a CreateCluster request asks of the new cluster (spec §4; CloudHSMv2's CreateClusterRequest
// requires HsmType and SubnetIds): an HSM type AWS documents, and subnets the world has, at most one per
// Availability Zone, which become the cluster's SubnetMapping (AZ → subnet id) as given. The spec is
// silent on these checks; the choices are marked where they are made.
import type { JsonObject } from "../protocol/step.ts";
import { refuse, requiredText, textList, type Check } from "./refusal.ts";

/** The HSM types CreateCluster accepts: "The allowed values are hsm1.medium and hsm2m.medium" (AWS API reference). */
export const HSM_TYPES: readonly string[] = ["hsm1.medium", "hsm2m.medium"];

/** A subnet as the request is checked against it. */
interface KnownSubnet {
  subnetId: string;
  availabilityZone: string;
  deleted: boolean;
}

export interface ClusterRequest {
  hsmType: string;
  subnetMapping: Record<string, string>;
}

/**
 * Reads HsmType and SubnetIds. Missing or malformed (not text, HsmType over 32 characters, SubnetIds not
 * 1–10 strings, the service model's bounds) is a ValidationException, as CreateHsm's missing
 * AvailabilityZone is. [MODEL CHOICE, spec silent; the client error CreateCluster declares,
 * CloudHsmInvalidRequestException:] an HsmType outside HSM_TYPES; a subnet the world does not have, or
 * one deleted; two subnets in one Availability Zone, the same subnet named twice included ("only one
 * subnet per Availability Zone"). Checked in that order, before the backup a restore names.
 */
export function* clusterRequest(input: JsonObject, subnets: readonly KnownSubnet[]): Check<ClusterRequest> {
  const hsmType = yield* requiredText(input, "HsmType", 0, 32);
  const subnetIds = yield* textList(input, "SubnetIds", 1, 10);
  if (!HSM_TYPES.includes(hsmType)) return yield* refuse("CloudHsmInvalidRequestException");
  const subnetMapping: Record<string, string> = {};
  for (const id of subnetIds) {
    const subnet = subnets.find((s) => s.subnetId === id && !s.deleted);
    if (subnet === undefined || subnetMapping[subnet.availabilityZone] !== undefined)
      return yield* refuse("CloudHsmInvalidRequestException");
    subnetMapping[subnet.availabilityZone] = subnet.subnetId;
  }
  return { hsmType, subnetMapping };
}
