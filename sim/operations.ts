// Every operation the simulated world answers, by step name: the virtual KMS's (AWS's names), the
// CloudHSM service's (cloudhsmv2:… control plane, hsm:… operator actions) and IAM's (iam:…).
import { CLOUDHSM_OPERATIONS } from "./hsm/operations.ts";
import { IAM_OPERATIONS } from "./iam/service.ts";
import { KMS_OPERATIONS } from "./kms/operations.ts";

export const WORLD_OPERATIONS: readonly string[] = [...Object.keys(KMS_OPERATIONS), ...CLOUDHSM_OPERATIONS, ...IAM_OPERATIONS];
