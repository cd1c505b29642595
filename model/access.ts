// What a call needs to be allowed (spec §9.1, §9.2): an IAM-only permission, or a permission on a key
// from its key policy, the caller's identity policies and grants. Each decision is recorded in the
// call's context for a mismatch report; a denial refuses with AWS's AccessDeniedException message.
import type { Json } from "../protocol/step.ts";
import { iamDecision, keyDecision } from "./authorize.ts";
import type { RequestContext } from "./conditions.ts";
import type { CallContext } from "./context.ts";
import { allowingGrant } from "./grant-authority.ts";
import { refuse, type Check } from "./refusal.ts";
import { requestContext, type AccessRequest } from "./request-context.ts";
import type { ModelKey } from "./state.ts";

/** How an IAM-only permission is asked for: on what, with which operation keys, refused under which name. */
export interface IamNeed {
  /** The resource the action is on (default `*`). */
  resource?: string;
  /** The operation's own condition keys (§9.6). */
  conditions?: RequestContext;
  /** The error a refusal carries: KMS's AccessDeniedException unless the service names it otherwise. */
  errorName?: string;
}

/** An IAM-only permission (spec §9.1); refuses with AWS's message. */
export function* needIam(
  ctx: CallContext,
  action: string,
  { resource = "*", conditions = {}, errorName = "AccessDeniedException" }: IamNeed = {},
): Check<void> {
  const verdict = iamDecision(ctx.caller, action, () => requestContext(ctx, action, undefined, { conditions }), resource);
  ctx.decisions.push(verdict.decision);
  if (verdict.message !== undefined) yield* refuse(errorName, verdict.message);
}

/** Parsed key policies by text: the model reads each document as written, and parses each text once. */
const parsed = new Map<string, Json>();
const PARSED_MAX = 512;

export function policyDocument(text: string): Json {
  let doc = parsed.get(text);
  if (doc === undefined) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    doc = JSON.parse(text) as Json;
    parsed.set(text, doc);
  }
  return doc;
}

/** §9.2 for `action` on `key`, grants and conditions included (`request`: what the request brings). */
export function* needKey(ctx: CallContext, action: string, key: ModelKey, request: AccessRequest = {}): Check<void> {
  const verdict = keyDecision(
    ctx.caller,
    action,
    key.arn,
    policyDocument(key.policy),
    () => requestContext(ctx, action, key, request),
    allowingGrant(ctx, action, key, request),
  );
  ctx.decisions.push(verdict.decision);
  if (verdict.message !== undefined) yield* refuse("AccessDeniedException", verdict.message);
}
