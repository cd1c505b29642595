// The virtual KMS's authorization decision (spec §9.2): explicit deny anywhere wins; a key policy
// allowing the caller directly; a key policy allowing the caller's account, which delegates to the
// caller's identity policies; cross-account calls need both sides. IAM-only operations (§9.1) are
// decided by identity policies alone. A statement counts only when its compiled Condition holds for
// the request context; a key policy does not see the IAM-only keys aws:ResourceTag/* and
// kms:ResourceAliases (§9.6). A verdict carries the decision as data and AWS's message, and the
// decision is logged in the directory's decision log for the run's checks and reports. A key decision
// builds its request context only if a Condition needs it: on the crypto path a condition-free policy
// costs none. Decisions are cached (decision-cache.ts) when no Condition could change them.
import type { Decision, StatementRef } from "../../protocol/decision.ts";
import type { RequestContext } from "./conditions.ts";
import { IamDirectory } from "./iam.ts";
import { matching, type CompiledStatement } from "./policy.ts";
import { allowed, denied, ROOT_USER, type Verdict } from "./verdict.ts";

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
): { allow?: StatementRef; deny?: StatementRef } {
  if (IamDirectory.isRootUser(caller)) return { allow: ROOT_USER };
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
): Verdict {
  const identity = IamDirectory.isRootUser(caller) ? ROOT_IDENTITY : iam.identityStatements(caller);
  const cached = iam.decisionCache.slot(keyPolicy, identity, action, caller, keyArn);
  const grantId = grant ?? "";
  const hit = cached?.get(grantId);
  if (hit !== undefined) {
    iam.decisionLog.push(hit.decision); // cached: no Condition was asked, so none is logged
    return hit;
  }
  let built: RequestContext | undefined;
  const context = () => (built ??= makeContext());
  const verdict = decideKeyAction(iam, caller, action, keyArn, keyPolicy, context, grant);
  cached?.set(grantId, verdict);
  iam.decisionLog.push(verdict.decision);
  if (built !== undefined) iam.conditionLog.push(...built.evaluated);
  return verdict;
}

function decideKeyAction(
  iam: IamDirectory,
  caller: string,
  action: string,
  keyArn: string,
  keyPolicy: CompiledStatement[],
  context: () => RequestContext,
  grant: string | undefined,
): Verdict {
  const callerAccount = IamDirectory.accountOf(caller);
  const keyAccount = IamDirectory.accountOf(keyArn);
  const keyContext = once(() => context().without(IAM_ONLY_CONDITION_KEY));
  const direct = matching(keyPolicy, [caller], action, keyArn, keyContext);
  const viaAccount = matching(keyPolicy, [`arn:aws:iam::${callerAccount}:root`, callerAccount], action, keyArn, keyContext);
  const identity = identityMatch(iam, caller, action, keyArn, context);
  const decision = (effect: Decision["effect"], by: Decision["by"], delegation?: StatementRef): Decision => ({
    action,
    effect,
    by,
    scope: "key",
    ...(delegation !== undefined ? { delegation } : {}),
  });

  const keyDeny = direct.deny ?? viaAccount.deny;
  if (keyDeny !== undefined) return denied(caller, keyArn, "with an explicit deny in a resource-based policy", decision("Deny", keyDeny));
  if (identity.deny !== undefined) {
    return denied(caller, keyArn, "with an explicit deny in an identity-based policy", decision("Deny", identity.deny));
  }
  if (grant !== undefined) return allowed(decision("Allow", { kind: "grant", grantId: grant }));
  const noResourcePolicy = denied(
    caller,
    keyArn,
    `because no resource-based policy allows the ${action} action`,
    decision("Deny", { kind: "none" }),
  );
  const keyAllow = direct.allow ?? viaAccount.allow;
  if (callerAccount === keyAccount && direct.allow !== undefined) return allowed(decision("Allow", direct.allow));
  if (keyAllow === undefined || (callerAccount !== keyAccount && !CROSS_ACCOUNT_ACTIONS.has(action))) return noResourcePolicy;
  // The key policy allows the caller's account (or, across accounts, the caller): the caller's IAM must allow too.
  if (identity.allow !== undefined) return allowed(decision("Allow", keyAllow, identity.allow));
  return denied(
    caller,
    keyArn,
    `because no identity-based policy allows the ${action} action`,
    decision("Deny", { kind: "none" }, keyAllow),
  );
}

/** Authorizes an IAM-only action (resource `*` unless given): identity policies alone decide. */
export function authorizeIamAction(iam: IamDirectory, caller: string, action: string, context: RequestContext, resource = "*"): Verdict {
  const identity = identityMatch(iam, caller, action, resource, () => context);
  const decision = (effect: Decision["effect"], by: Decision["by"]): Decision => ({ action, effect, by, scope: "iam" });
  const verdict =
    identity.deny !== undefined
      ? denied(caller, resource, "with an explicit deny in an identity-based policy", decision("Deny", identity.deny))
      : identity.allow === undefined
        ? denied(caller, resource, `because no identity-based policy allows the ${action} action`, decision("Deny", { kind: "none" }))
        : allowed(decision("Allow", identity.allow));
  iam.decisionLog.push(verdict.decision);
  iam.conditionLog.push(...context.evaluated);
  return verdict;
}
