// The CloudHSM control plane (cloudhsmv2:*, spec §4) and an operator's actions inside a cluster
// (hsm:*): mostly on the world's own cluster, sometimes on one made since; the clusters, HSMs and
// backups they make are kept for later steps to refer to.
import fc from "fast-check";
import { dropUndefined, member, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";
import type { JsonObject } from "../../protocol/step.ts";
import { ref } from "./inputs.ts";

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
    () => fc.oneof({ weight: 4, arbitrary: fc.record({ SourceBackupId: ref("backup") }) }, { weight: 1, arbitrary: fc.constant({}) }),
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
