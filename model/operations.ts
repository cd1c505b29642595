// The model's rules by operation, as a step names them: KMS's operations by AWS's names, the
// CloudHSM service's (cloudhsmv2:…, hsm:…) and IAM's (iam:…). A test holds this list equal to the
// simulated world's and the harness's. Every KMS and cloudhsmv2 rule runs behind AWS's request
// validation (model/validation.ts), which comes before anything else (§16 step 1).
import * as aliases from "./aliases.ts";
import * as cloudhsm from "./cloudhsm.ts";
import type { Rule } from "./context.ts";
import * as crypto from "./crypto.ts";
import * as grants from "./grants.ts";
import * as iam from "./iam.ts";
import * as keyPolicies from "./key-policies.ts";
import * as keys from "./keys.ts";
import * as rotation from "./rotation.ts";
import * as stores from "./keystores.ts";
import * as tags from "./tags.ts";
import type { JsonObject } from "../protocol/step.ts";
import { refuseWith, type Refusal } from "./refusal.ts";
import { requestRefusal } from "./validation.ts";
import { CLOUDHSMV2_MODEL, KMS_MODEL, type ServiceModelData } from "../protocol/aws/service-model.ts";

const CLOUDHSMV2 = "cloudhsmv2:";

/**
 * The validation layer's answer to the last input it was asked about: it depends on the input alone
 * (never changed once made), and a step's rule runs for each state and branch the model follows back
 * to back, on the one input object — so one remembered answer serves all but the first (a WeakMap by
 * input cost a hash to make and a lookup on every call).
 */
let lastValidated: { operation: string; input: JsonObject; refusal: Refusal | undefined } | undefined;
function inputRefusal(operation: string, input: JsonObject, service: ServiceModelData): Refusal | undefined {
  if (lastValidated?.input !== input || lastValidated.operation !== operation)
    lastValidated = { operation, input, refusal: requestRefusal(operation, input, service) };
  return lastValidated.refusal;
}

/**
 * `rule` behind the validation layer of `service` for `operation`: the layer's refusal, or the rule
 * itself (not a generator delegating to it: that was one more generator to make and resume on every call).
 */
function validated(operation: string, rule: Rule, service: ServiceModelData): Rule {
  return (ctx) => {
    const refusal = inputRefusal(operation, ctx.input, service);
    return refusal !== undefined ? refuseWith(refusal) : rule(ctx);
  };
}

const RULES: Record<string, Rule> = {
  CreateCustomKeyStore: stores.CreateCustomKeyStore,
  ConnectCustomKeyStore: stores.ConnectCustomKeyStore,
  DisconnectCustomKeyStore: stores.DisconnectCustomKeyStore,
  UpdateCustomKeyStore: stores.UpdateCustomKeyStore,
  DeleteCustomKeyStore: stores.DeleteCustomKeyStore,
  DescribeCustomKeyStores: stores.DescribeCustomKeyStores,
  CreateKey: keys.CreateKey,
  DescribeKey: keys.DescribeKey,
  EnableKey: keys.EnableKey,
  DisableKey: keys.DisableKey,
  ScheduleKeyDeletion: keys.ScheduleKeyDeletion,
  CancelKeyDeletion: keys.CancelKeyDeletion,
  ListKeys: keys.ListKeys,
  EnableKeyRotation: rotation.EnableKeyRotation,
  DisableKeyRotation: rotation.DisableKeyRotation,
  GetKeyRotationStatus: rotation.GetKeyRotationStatus,
  UpdateKeyDescription: tags.UpdateKeyDescription,
  TagResource: tags.TagResource,
  UntagResource: tags.UntagResource,
  ListResourceTags: tags.ListResourceTags,
  CreateAlias: aliases.CreateAlias,
  UpdateAlias: aliases.UpdateAlias,
  DeleteAlias: aliases.DeleteAlias,
  ListAliases: aliases.ListAliases,
  Encrypt: crypto.Encrypt,
  Decrypt: crypto.Decrypt,
  GenerateDataKey: crypto.GenerateDataKey,
  GenerateDataKeyWithoutPlaintext: crypto.GenerateDataKeyWithoutPlaintext,
  ReEncrypt: crypto.ReEncrypt,
  GenerateRandom: crypto.GenerateRandom,
  PutKeyPolicy: keyPolicies.PutKeyPolicy,
  GetKeyPolicy: keyPolicies.GetKeyPolicy,
  ListKeyPolicies: keyPolicies.ListKeyPolicies,
  CreateGrant: grants.CreateGrant,
  ListGrants: grants.ListGrants,
  RevokeGrant: grants.RevokeGrant,
  RetireGrant: grants.RetireGrant,
  ListRetirableGrants: grants.ListRetirableGrants,
  "cloudhsmv2:DescribeClusters": cloudhsm.DescribeClusters,
  "cloudhsmv2:CreateCluster": cloudhsm.CreateCluster,
  "cloudhsmv2:DeleteCluster": cloudhsm.DeleteCluster,
  "cloudhsmv2:CreateHsm": cloudhsm.CreateHsm,
  "cloudhsmv2:DeleteHsm": cloudhsm.DeleteHsm,
  "hsm:Login": cloudhsm.OperatorLogin,
  "hsm:Logout": cloudhsm.OperatorLogout,
  "hsm:ChangePassword": cloudhsm.OperatorChangePassword,
  "hsm:CreateUser": cloudhsm.OperatorCreateUser,
  "hsm:DeleteUser": cloudhsm.OperatorDeleteUser,
  "hsm:DeleteKey": cloudhsm.OperatorDeleteKey,
  "hsm:CreateBackup": cloudhsm.CreateBackup,
  "iam:PutRolePolicy": iam.PutRolePolicy,
  "iam:PutUserPolicy": iam.PutUserPolicy,
  "iam:DeleteRolePolicy": iam.DeleteRolePolicy,
  "iam:DeleteUserPolicy": iam.DeleteUserPolicy,
  "iam:TagRole": iam.TagRole,
  "iam:TagUser": iam.TagUser,
  "iam:UntagRole": iam.UntagRole,
  "iam:UntagUser": iam.UntagUser,
  "iam:DeleteServiceLinkedRole": iam.DeleteServiceLinkedRole,
  "iam:GetServiceLinkedRoleDeletionStatus": iam.GetServiceLinkedRoleDeletionStatus,
};

/**
 * KMS operations, and the CloudHSM control plane's (cloudhsmv2:*), behind their API's validation layer
 * [MODEL CHOICE for cloudhsmv2: validation before authorization, as for the KMS (spec §16) and IAM]; IAM
 * checks its own members (model/iam.ts), and the operator's hsm:* actions have no AWS API.
 */
export const MODEL_OPERATIONS: Record<string, Rule> = Object.fromEntries(
  Object.entries(RULES).map(([name, rule]) => {
    if (!name.includes(":")) return [name, validated(name, rule, KMS_MODEL)];
    if (name.startsWith(CLOUDHSMV2)) return [name, validated(name.slice(CLOUDHSMV2.length), rule, CLOUDHSMV2_MODEL)];
    return [name, rule];
  }),
);
