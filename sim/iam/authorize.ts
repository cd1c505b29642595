// The virtual KMS's authorization decision (spec §9.2): explicit deny anywhere wins; a key policy
// allowing the caller directly; a key policy allowing the caller's account, which delegates to the
// caller's identity policies; cross-account calls need both sides. IAM-only operations (§9.1) are
// decided by identity policies alone. A statement counts only when its compiled Condition holds for
// the request context; a key policy does not see the IAM-only keys aws:ResourceTag/* and
// kms:ResourceAliases (§9.6). A decision carries AWS's message (§9.2) and its reason, and is
// logged in the directory's decision log for the run's reports. A key decision builds its request
// context only if a Condition needs it: on the crypto path a condition-free policy costs none.
// Decisions are cached (decision-cache.ts) when no Condition could change them.
import type { RequestContext } from "./conditions.ts";
import { IamDirectory } from "./iam.ts";
import { matching, type CompiledStatement } from "./policy.ts";

export type Decision = { allowed: true; reason: string } | { allowed: false; message: string; reason: string };

/** Operations whose permission takes effect across accounts (spec §9.1). */
const CROSS_ACCOUNT_ACTIONS = new Set([
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:DescribeKey",
  "kms:CreateGrant",
  "kms:ListGrants",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:GetKeyRotationStatus",
  "kms:GetPublicKey",
]);

const IAM_ONLY_CONDITION_KEY = (name: string) => name.startsWith("aws:resourcetag/") || name === "kms:resourcealiases";

function denied(caller: string, action: string, resource: string, why: string, reason: string): Decision {
  return { allowed: false, message: `User: ${caller} is not authorized to perform: ${action} on resource: ${resource} ${why}`, reason };
}

const ROOT_IDENTITY: CompiledStatement[] = [];

/** `make`, called at most once, on first use. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

function identityMatch(
  iam: IamDirectory,
  caller: string,
  action: string,
  resource: string,
  context: () => RequestContext,
): { allow?: string; deny?: string } {
  if (IamDirectory.isRootUser(caller)) return { allow: "the root user's identity" };
  return matching(iam.identityStatements(caller), [], action, resource, context);
}

/**
 * Authorizes `action` by `caller` on the key `keyArn` whose policy is `keyPolicy`, for a request whose
 * context `makeContext` builds (if needed); `grant` is the GrantId of a grant on the key that allows
 * it (§9.2 step 6: after every explicit deny, in any account).
 */
export function authorizeKeyAction(
  iam: IamDirectory,
  caller: string,
  action: string,
  keyArn: string,
  keyPolicy: CompiledStatement[],
  makeContext: () => RequestContext,
  grant?: string,
): Decision {
  let built: RequestContext | undefined;
  const context = () => (built ??= makeContext());
  const identity = IamDirectory.isRootUser(caller) ? ROOT_IDENTITY : iam.identityStatements(caller);
  const request = `${caller}|${action}|${keyArn}|${grant ?? ""}`;
  const decision = iam.decisionCache.decide(keyPolicy, identity, action, request, () =>
    decideKeyAction(iam, caller, action, keyArn, keyPolicy, context, grant),
  );
  iam.decisionLog.push(`${action}: ${decision.reason}`);
  if (built !== undefined) iam.conditionLog.push(...built.evaluated);
  return decision;
}

function decideKeyAction(
  iam: IamDirectory,
  caller: string,
  action: string,
  keyArn: string,
  keyPolicy: CompiledStatement[],
  context: () => RequestContext,
  grant: string | undefined,
): Decision {
  const callerAccount = IamDirectory.accountOf(caller);
  const keyAccount = IamDirectory.accountOf(keyArn);
  const keyContext = once(() => context().without(IAM_ONLY_CONDITION_KEY));
  const direct = matching(keyPolicy, [caller], action, keyArn, keyContext);
  const viaAccount = matching(keyPolicy, [`arn:aws:iam::${callerAccount}:root`, callerAccount], action, keyArn, keyContext);
  const identity = identityMatch(iam, caller, action, keyArn, context);

  const keyDeny = direct.deny ?? viaAccount.deny;
  if (keyDeny !== undefined)
    return denied(caller, action, keyArn, "with an explicit deny in a resource-based policy", `key policy statement ${keyDeny} denies`);
  if (identity.deny !== undefined)
    return denied(caller, action, keyArn, "with an explicit deny in an identity-based policy", `${identity.deny} denies`);
  if (grant !== undefined) return { allowed: true, reason: `grant ${grant} allows` };
  const noResourcePolicy = denied(
    caller,
    action,
    keyArn,
    `because no resource-based policy allows the ${action} action`,
    "no key policy statement allows",
  );
  const keyAllow = direct.allow ?? viaAccount.allow;
  const noIdentityPolicy = denied(
    caller,
    action,
    keyArn,
    `because no identity-based policy allows the ${action} action`,
    `key policy statement ${keyAllow} needs the caller's IAM, and no identity policy allows`,
  );
  const withIdentity: Decision = { allowed: true, reason: `key policy statement ${keyAllow} and ${identity.allow} allow` };
  if (callerAccount === keyAccount) {
    if (direct.allow !== undefined) return { allowed: true, reason: `key policy statement ${direct.allow} allows` };
    if (viaAccount.allow !== undefined) return identity.allow !== undefined ? withIdentity : noIdentityPolicy;
    return noResourcePolicy;
  }
  if (!CROSS_ACCOUNT_ACTIONS.has(action) || keyAllow === undefined) return noResourcePolicy;
  return identity.allow !== undefined ? withIdentity : noIdentityPolicy;
}

/** Authorizes an IAM-only action (resource `*` unless given): identity policies alone decide. */
export function authorizeIamAction(iam: IamDirectory, caller: string, action: string, context: RequestContext, resource = "*"): Decision {
  const identity = identityMatch(iam, caller, action, resource, () => context);
  const decision: Decision =
    identity.deny !== undefined
      ? denied(caller, action, resource, "with an explicit deny in an identity-based policy", `${identity.deny} denies`)
      : identity.allow === undefined
        ? denied(caller, action, resource, `because no identity-based policy allows the ${action} action`, "no identity policy allows")
        : { allowed: true, reason: `${identity.allow} allows` };
  iam.decisionLog.push(`${action}: ${decision.reason}`);
  iam.conditionLog.push(...context.evaluated);
  return decision;
}
