// What a call to the virtual KMS needs to be allowed (spec §9.1, §9.2): a permission on a key — its
// compiled key policy, the caller's identity policies and a grant that allows it — or an IAM-only
// permission. Each answers undefined (allowed) or a Rejection with AWS's AccessDeniedException
// message. Handlers call them through `access`.
import { authorizeIamAction, authorizeKeyAction } from "../iam/authorize.ts";
import { compilePolicy } from "../iam/policy.ts";
import { Rejection } from "../wire/validate.ts";
import { allowingGrant } from "./grant-authority.ts";
import type { VirtualKms } from "./kms.ts";
import { kmsRequestContext } from "./request-context.ts";
import type { AccessRequest, KeyRecord } from "./state.ts";

/** §9.2 for `action` on `key`, grants and conditions included (`request`: what the request brings). */
function authorizeKey(kms: VirtualKms, caller: string, action: string, key: KeyRecord, request: AccessRequest = {}): Rejection | undefined {
  const policy = compilePolicy(key.policy, true);
  if (!policy.ok) throw new Error(`kms: stored policy of ${key.Arn} does not parse`);
  const context = () => kmsRequestContext(kms, caller, action, key, request);
  const verdict = authorizeKeyAction(
    kms.ctx.iam,
    caller,
    action,
    key.Arn,
    policy.statements,
    context,
    allowingGrant(kms, caller, action, key, request),
  );
  return verdict.allowed ? undefined : new Rejection("AccessDeniedException", verdict.message);
}

/** An IAM-only permission (§9.1) for a request with the operation's own condition keys `conditions`. */
function authorizeIam(
  kms: VirtualKms,
  caller: string,
  action: string,
  resource = "*",
  conditions: Record<string, string[]> = {},
): Rejection | undefined {
  const verdict = authorizeIamAction(
    kms.ctx.iam,
    caller,
    action,
    kmsRequestContext(kms, caller, action, undefined, { conditions }),
    resource,
  );
  return verdict.allowed ? undefined : new Rejection("AccessDeniedException", verdict.message);
}

/** The checks the handlers call, as one object, so that a planted bug (mutants/) can stand in for one. */
export const access = { authorizeKey, authorizeIam };
