// The CloudHSM control plane (cloudhsmv2:*, spec §4) and an operator's actions inside a cluster
// (hsm:*): mostly on the world's own cluster, sometimes on one made since; the clusters, HSMs and
// backups they make are kept for later steps to refer to.
import fc from "fast-check";
import { dropUndefined, member, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";
import type { JsonObject } from "../../protocol/step.ts";
import { ref } from "./inputs.ts";
import type { WorldSpec } from "../../sim/config.ts";
import { HSM_TYPE, onePerZone, worldSubnets } from "../world-clusters.ts";

/** A subnet id no world has (CloudHSMv2's SubnetId pattern). */
const UNKNOWN_SUBNET = "subnet-0ffffffffffff0000";

/**
 * CreateCluster's HsmType and SubnetIds (both required). Mostly a type AWS offers and one subnet per zone:
 * every zone of the world; the world cluster's zones, where generated CreateHsm calls go; or two zones at
 * random, so CreateHsm now and then names a zone the cluster has no subnet in. One call in 12 asks for
 * what CloudHsmInvalidRequestException answers: a type AWS does not offer, a subnet the world does not
 * have, or two subnets in one zone (the same one twice where the world has one a zone).
 */
function clusterRequest(world: WorldSpec): fc.Arbitrary<JsonObject> {
  const subnets = worldSubnets(world);
  // At most 10 subnets (SubnetIds' max), even in a world of more zones.
  const every = onePerZone(subnets).slice(0, 10);
  const own = onePerZone(world.cluster.hsms).slice(0, 9);
  const twoInAZone = subnets.filter((s, i) => subnets.findIndex((t) => t.availabilityZone === s.availabilityZone) !== i);
  const sameZone = twoInAZone[0] !== undefined ? [every[0]!, twoInAZone[0].subnetId] : [every[0]!, every[0]!];
  const subnetIds = fc.oneof(
    { weight: 6, arbitrary: fc.constant(every) },
    { weight: 3, arbitrary: fc.constant(own) },
    ...(every.length > 2 ? [{ weight: 2, arbitrary: fc.shuffledSubarray(every, { minLength: 2, maxLength: 2 }) }] : []),
  );
  const valid = fc.record({ HsmType: fc.constantFrom(HSM_TYPE, HSM_TYPE, "hsm2m.medium"), SubnetIds: subnetIds });
  const invalid = fc.constantFrom<JsonObject>(
    { HsmType: "hsm9.huge", SubnetIds: every },
    { HsmType: HSM_TYPE, SubnetIds: [...own, UNKNOWN_SUBNET] },
    { HsmType: HSM_TYPE, SubnetIds: sameZone },
  );
  return fc.oneof({ weight: 11, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

const control = (name: string, input: OperationDescriptor["input"], makes?: OperationDescriptor["makes"]): OperationDescriptor => ({
  name: `cloudhsmv2:${name}`,
  kind: "cloudhsm",
  callers: MOSTLY_ADMIN,
  input,
  ...(makes !== undefined ? { makes } : {}),
});

const operator = (name: string, input: OperationDescriptor["input"], makes?: OperationDescriptor["makes"]): OperationDescriptor => ({
  name: `hsm:${name}`,
  kind: "operator",
  callers: MOSTLY_ADMIN,
  input,
  ...(makes !== undefined ? { makes } : {}),
});

export const CLOUDHSM_OPERATIONS: OperationDescriptor[] = [
  // Mostly every cluster at once; now and then a page of one, a later page, or a page by a token
  // never issued (CloudHsmInvalidRequestException).
  control("DescribeClusters", () =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constant({}) },
      { weight: 2, arbitrary: fc.constant({ MaxResults: 1 }) },
      { weight: 1, arbitrary: fc.constantFrom<JsonObject>({ MaxResults: 1, NextToken: "1" }, { NextToken: "2" }, { NextToken: "next" }) },
    ),
  ),
  control(
    "CreateCluster",
    ({ scenario }) =>
      fc
        .tuple(
          fc.oneof({ weight: 4, arbitrary: fc.record({ SourceBackupId: ref("backup") }) }, { weight: 1, arbitrary: fc.constant({}) }),
          clusterRequest(scenario.world),
        )
        .map(([source, request]) => ({ ...source, ...request })),
    (output) => ({ cluster: member(output["Cluster"], "ClusterId") }),
  ),
  control("DeleteCluster", (i) => fc.record({ ClusterId: i.clusterRef })),
  control(
    "CreateHsm",
    // Rarely on a cluster there never was (CloudHsmResourceNotFoundException): a deleted one lingers
    // DELETE_IN_PROGRESS, where CreateHsm is CloudHsmInvalidRequestException.
    (i) =>
      fc.record({
        ClusterId: fc.oneof({ weight: 12, arbitrary: i.clusterRef }, { weight: 1, arbitrary: fc.constant("cluster-doesnotexist2") }),
        AvailabilityZone: fc.constantFrom(...i.zones),
      }),
    (output) => ({ hsm: member(output["Hsm"], "HsmId") }),
  ),
  // Rarely naming no HSM at all (CloudHsmInvalidRequestException).
  control("DeleteHsm", (i) =>
    fc
      .record({
        ClusterId: i.clusterRef,
        HsmId: fc.oneof({ weight: 12, arbitrary: ref("hsm") }, { weight: 1, arbitrary: fc.constant(undefined) }),
      })
      .map(dropUndefined),
  ),
  operator("Login", (i) => fc.record({ ClusterId: i.clusterRef, Username: i.kmsuser, Password: i.passwords })),
  operator("Logout", (i) => fc.record({ ClusterId: i.clusterRef, Username: i.kmsuser })),
  operator("ChangePassword", (i) => fc.record({ ClusterId: i.clusterRef, Username: i.kmsuser, NewPassword: i.passwords })),
  operator("CreateUser", (i) => fc.record({ ClusterId: i.clusterRef, Username: i.kmsuser, Password: i.passwords })),
  operator("DeleteUser", (i) => fc.record({ ClusterId: i.clusterRef, Username: i.kmsuser })),
  operator("DeleteKey", (i) => fc.record({ ClusterId: i.clusterRef, Label: ref("keyArn") })),
  // A backup taken now, as the service takes them (CloudHSMv2 has no CreateBackup operation).
  operator(
    "CreateBackup",
    (i) => fc.record({ ClusterId: i.clusterRef }),
    (output) => ({ backup: member(output["Backup"], "BackupId") }),
  ),
];
