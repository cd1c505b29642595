// IAM steps (spec §9.2 step 5, §9.6, §10): inline identity policies of roles and users — iam:PutRolePolicy,
// iam:PutUserPolicy, iam:DeleteRolePolicy, iam:DeleteUserPolicy —, principal tags — iam:TagRole,
// iam:TagUser, iam:UntagRole, iam:UntagUser: at most 50, "aws:" keys reserved (InvalidInputException),
// keys case-sensitive [MODEL CHOICE] — and iam:DeleteServiceLinkedRole.
// IAM's own error names; a denied call is AccessDenied. The service-linked role is unmodifiable and
// cannot be deleted while a CloudHSM key store exists [MODEL CHOICE: DeleteConflictException at once].
// One principal's inline policies total at most 10,240 characters as given [MODEL CHOICE].
import type { Json } from "../protocol/step.ts";
import { accountOf, elementsWellFormed } from "./authorize.ts";
import { conditionWellFormed } from "./conditions.ts";
import { needIam, type Branch, type CallContext } from "./context.ts";
import { any, okPattern } from "../protocol/pattern.ts";
import { refuse } from "./refuse.ts";
import { copy } from "./state.ts";

const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
const INLINE_CHARS_MAX = 10_240;
const TAGS_MAX = 50;

function name(ctx: CallContext, param: string, max: number): string {
  const v = ctx.input[param];
  if (typeof v !== "string" || v.length < 1 || v.length > max || !/^[\w+=,.@-]+$/.test(v)) return refuse("ValidationError");
  return v;
}

/** The caller's account's role or user, as an ARN that names a principal, or NoSuchEntityException. */
function entity(ctx: CallContext, kind: "role" | "user", entityName: string): string {
  if (kind === "role" && entityName === SLR && ctx.state.serviceLinkedRole) refuse("UnmodifiableEntityException"); // §10: only AWS modifies it
  const arn = `arn:aws:iam::${accountOf(ctx.caller.arn)}:${kind}/${entityName}`;
  return ctx.state.identityPolicies[arn] !== undefined ? arn : refuse("NoSuchEntityException");
}

/** An identity policy: JSON with statements of Effect Allow or Deny, no Principal, a well-formed Condition if any. */
function wellFormed(text: string): boolean {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return false;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return false;
  const raw = doc["Statement"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return (
    list.length > 0 &&
    list.every(
      (s) =>
        typeof s === "object" &&
        s !== null &&
        !Array.isArray(s) &&
        (s["Effect"] === "Allow" || s["Effect"] === "Deny") &&
        conditionWellFormed(s["Condition"]) &&
        elementsWellFormed(s) &&
        s["Principal"] === undefined &&
        s["NotPrincipal"] === undefined,
    )
  );
}

function putPolicy(ctx: CallContext, kind: "role" | "user"): Branch[] {
  const entityName = name(ctx, kind === "role" ? "RoleName" : "UserName", 64);
  const policyName = name(ctx, "PolicyName", 128);
  const text = ctx.input["PolicyDocument"];
  if (typeof text !== "string" || text.length < 1 || text.length > 131_072) refuse("ValidationError");
  const arn = entity(ctx, kind, entityName);
  needIam(ctx, kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy", { resource: arn, errorName: "AccessDenied" });
  if (!wellFormed(text)) refuse("MalformedPolicyDocumentException");
  const others = Object.entries(ctx.state.identityPolicies[arn]!).filter(([n]) => n !== policyName);
  if (others.reduce((sum, [, t]) => sum + t.length, text.length) > INLINE_CHARS_MAX) refuse("LimitExceededException");
  const next = copy(ctx.state);
  next.identityPolicies[arn]![policyName] = text;
  return [{ outcome: okPattern({}), next: () => next }];
}

function deletePolicy(ctx: CallContext, kind: "role" | "user"): Branch[] {
  const entityName = name(ctx, kind === "role" ? "RoleName" : "UserName", 64);
  const policyName = name(ctx, "PolicyName", 128);
  const arn = entity(ctx, kind, entityName);
  needIam(ctx, kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy", { resource: arn, errorName: "AccessDenied" });
  if (ctx.state.identityPolicies[arn]![policyName] === undefined) refuse("NoSuchEntityException");
  const next = copy(ctx.state);
  delete next.identityPolicies[arn]![policyName];
  return [{ outcome: okPattern({}), next: () => next }];
}

export const PutRolePolicy = (ctx: CallContext): Branch[] => putPolicy(ctx, "role");
export const PutUserPolicy = (ctx: CallContext): Branch[] => putPolicy(ctx, "user");
export const DeleteRolePolicy = (ctx: CallContext): Branch[] => deletePolicy(ctx, "role");
export const DeleteUserPolicy = (ctx: CallContext): Branch[] => deletePolicy(ctx, "user");

/** Tags: 1–50 of {Key: 1–128 letters, digits, spaces and _.:/=+-@; Value: 0–256 characters}. */
function tagsParam(ctx: CallContext): [string, string][] {
  const raw = ctx.input["Tags"];
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > TAGS_MAX) return refuse("ValidationError");
  return raw.map((t) => {
    const o = typeof t === "object" && t !== null && !Array.isArray(t) ? t : {};
    const k = o["Key"];
    const v = o["Value"];
    if (typeof k !== "string" || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(k) || typeof v !== "string" || v.length > 256)
      return refuse("ValidationError");
    return [k, v];
  });
}

function tag(ctx: CallContext, kind: "role" | "user"): Branch[] {
  const entityName = name(ctx, kind === "role" ? "RoleName" : "UserName", 64);
  const pairs = tagsParam(ctx);
  const arn = entity(ctx, kind, entityName);
  needIam(ctx, kind === "role" ? "iam:TagRole" : "iam:TagUser", { resource: arn, errorName: "AccessDenied" });
  if (pairs.some(([k]) => k.startsWith("aws:"))) refuse("InvalidInputException");
  const tags = { ...ctx.state.principalTags[arn], ...Object.fromEntries(pairs) };
  if (Object.keys(tags).length > TAGS_MAX) refuse("LimitExceededException");
  const next = copy(ctx.state);
  next.principalTags[arn] = tags;
  return [{ outcome: okPattern({}), next: () => next }];
}

function untag(ctx: CallContext, kind: "role" | "user"): Branch[] {
  const entityName = name(ctx, kind === "role" ? "RoleName" : "UserName", 64);
  const keys = ctx.input["TagKeys"];
  if (!Array.isArray(keys) || keys.length > TAGS_MAX || keys.some((k) => typeof k !== "string" || k.length < 1 || k.length > 128))
    refuse("ValidationError");
  const arn = entity(ctx, kind, entityName);
  needIam(ctx, kind === "role" ? "iam:UntagRole" : "iam:UntagUser", { resource: arn, errorName: "AccessDenied" });
  const next = copy(ctx.state);
  for (const k of keys as string[]) delete next.principalTags[arn]![k];
  return [{ outcome: okPattern({}), next: () => next }];
}

export const TagRole = (ctx: CallContext): Branch[] => tag(ctx, "role");
export const TagUser = (ctx: CallContext): Branch[] => tag(ctx, "user");
export const UntagRole = (ctx: CallContext): Branch[] => untag(ctx, "role");
export const UntagUser = (ctx: CallContext): Branch[] => untag(ctx, "user");

/** §10: refused while a CloudHSM key store exists (every store here is one). */
export function DeleteServiceLinkedRole(ctx: CallContext): Branch[] {
  const roleName = name(ctx, "RoleName", 64);
  needIam(ctx, "iam:DeleteServiceLinkedRole", {
    resource: `arn:aws:iam::${accountOf(ctx.caller.arn)}:role/aws-service-role/cks.kms.amazonaws.com/${SLR}`,
    errorName: "AccessDenied",
  });
  if (roleName !== SLR || !ctx.state.serviceLinkedRole) refuse("NoSuchEntityException");
  if (ctx.state.stores.length > 0) refuse("DeleteConflictException");
  const next = copy(ctx.state);
  next.serviceLinkedRole = false;
  return [{ outcome: okPattern({ DeletionTaskId: any("string") }), next: () => next }];
}
