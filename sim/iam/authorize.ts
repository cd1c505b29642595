// The virtual KMS's authorization decision (spec §9.2): explicit deny anywhere wins; a key policy
// allowing the caller directly; a key policy allowing the caller's account, which delegates to the
// caller's identity policies; cross-account calls need both sides. IAM-only operations (§9.1) are
// decided by identity policies alone. A denial carries AWS's message (§9.2).
import { IamDirectory } from "./iam.ts";
import { matching, type CompiledStatement } from "./policy.ts";

export type Decision = { allowed: true } | { allowed: false; message: string };

/** Operations whose permission takes effect across accounts (spec §9.1). */
const CROSS_ACCOUNT_ACTIONS = new Set([
  "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants",
  "kms:RetireGrant", "kms:RevokeGrant", "kms:GetKeyRotationStatus", "kms:GetPublicKey",
]);

function denied(caller: string, action: string, resource: string, why: string): Decision {
  return { allowed: false, message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} ${why}` };
}

function identityAllows(iam: IamDirectory, caller: string, action: string, resource: string): { allow: boolean; deny: boolean } {
  if (IamDirectory.isRootUser(caller)) return { allow: true, deny: false };
  return matching(iam.identityStatements(caller), [], action, resource);
}

/**
 * Authorizes `action` by `caller` on the key `keyArn` whose policy is `keyPolicy`; `grantAllows`
 * says a grant on the key allows it (§9.2 step 6: after every explicit deny, in any account).
 */
export function authorizeKeyAction(
  iam: IamDirectory,
  caller: string,
  action: string,
  keyArn: string,
  keyPolicy: CompiledStatement[],
  grantAllows = false,
): Decision {
  const callerAccount = IamDirectory.accountOf(caller);
  const keyAccount = IamDirectory.accountOf(keyArn);
  const direct = matching(keyPolicy, [caller], action, keyArn);
  const viaAccount = matching(keyPolicy, [`arn:aws:iam::${callerAccount}:root`, callerAccount], action, keyArn);
  const identity = identityAllows(iam, caller, action, keyArn);

  if (direct.deny || viaAccount.deny) return denied(caller, action, keyArn, "with an explicit deny in a resource-based policy");
  if (identity.deny) return denied(caller, action, keyArn, "with an explicit deny in an identity-based policy");
  if (grantAllows) return { allowed: true };
  const noResourcePolicy = denied(caller, action, keyArn, `because no resource-based policy allows the ${action} action`);
  const noIdentityPolicy = denied(caller, action, keyArn, `because no identity-based policy allows the ${action} action`);
  if (callerAccount === keyAccount) {
    if (direct.allow) return { allowed: true };
    if (viaAccount.allow) return identity.allow ? { allowed: true } : noIdentityPolicy;
    return noResourcePolicy;
  }
  if (!CROSS_ACCOUNT_ACTIONS.has(action) || !(direct.allow || viaAccount.allow)) return noResourcePolicy;
  return identity.allow ? { allowed: true } : noIdentityPolicy;
}

/** Authorizes an IAM-only action (resource `*`): identity policies alone decide. */
export function authorizeIamAction(iam: IamDirectory, caller: string, action: string, resource = "*"): Decision {
  const identity = identityAllows(iam, caller, action, resource);
  if (identity.deny) return denied(caller, action, resource, "with an explicit deny in an identity-based policy");
  if (!identity.allow) return denied(caller, action, resource, `because no identity-based policy allows the ${action} action`);
  return { allowed: true };
}
