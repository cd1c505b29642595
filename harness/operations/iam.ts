// IAM steps (spec §9.2 step 5, §9.6, §10): identity policies from templates (harness/policies.ts) put
// on and deleted from the world's roles and users, principal tags for ABAC, and the service-linked role.
import fc from "fast-check";
import type { Json } from "../../protocol/step.ts";
import { MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";
import { ref } from "./inputs.ts";

const iam = (name: string, input: OperationDescriptor["input"], makes?: OperationDescriptor["makes"]): OperationDescriptor => ({
  name: `iam:${name}`,
  kind: "iam",
  callers: MOSTLY_ADMIN,
  input,
  ...(makes !== undefined ? { makes } : {}),
});

export const IAM_OPERATIONS: OperationDescriptor[] = [
  iam("PutRolePolicy", (i) => fc.record({ RoleName: i.roleName, PolicyName: i.inlineName, PolicyDocument: i.identityPolicies() })),
  iam("PutUserPolicy", (i) => fc.record({ UserName: i.userName, PolicyName: i.inlineName, PolicyDocument: i.identityPolicies() })),
  iam("DeleteRolePolicy", (i) => fc.record({ RoleName: i.roleName, PolicyName: i.inlineName })),
  iam("DeleteUserPolicy", (i) => fc.record({ UserName: i.userName, PolicyName: i.inlineName })),
  iam("TagRole", (i) => fc.record({ RoleName: i.roleName, Tags: i.principalTags })),
  iam("TagUser", (i) => fc.record({ UserName: i.userName, Tags: i.principalTags })),
  iam("UntagRole", (i) => fc.record({ RoleName: i.roleName, TagKeys: i.principalTagKeys })),
  iam("UntagUser", (i) => fc.record({ UserName: i.userName, TagKeys: i.principalTagKeys })),
  iam(
    "DeleteServiceLinkedRole",
    () => fc.constant({ RoleName: "AWSServiceRoleForKeyManagementServiceCustomKeyStores" }),
    (output) => ({ deletionTask: output["DeletionTaskId"] ?? null }),
  ),
  // Rarely an id not of IAM's deletion-task form (InvalidInput).
  iam("GetServiceLinkedRoleDeletionStatus", () =>
    fc.record({
      DeletionTaskId: fc.oneof(
        { weight: 12, arbitrary: ref("deletionTask") },
        { weight: 1, arbitrary: fc.constant<Json>("task/not-a-role") },
      ),
    }),
  ),
];
