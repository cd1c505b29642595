// IAM steps (spec §9.2 step 5, §9.6, §10): inline identity policies of roles and users — iam:PutRolePolicy,
// iam:PutUserPolicy, iam:DeleteRolePolicy, iam:DeleteUserPolicy —, principal tags — iam:TagRole,
// iam:TagUser, iam:UntagRole, iam:UntagUser: at most 50, "aws:" keys reserved (InvalidInput), keys
// case-sensitive [MODEL CHOICE] — and the service-linked role's asynchronous deletion
// (iam:DeleteServiceLinkedRole, iam:GetServiceLinkedRoleDeletionStatus). Errors are IAM's
// query-protocol codes as its service model declares them; a denied call is AccessDenied. The
// service-linked role's policies are AWS's only (UnmodifiableEntity), but it can be tagged (IAM's
// TagRole declares no UnmodifiableEntity); its deletion task fails while a CloudHSM key store of the
// account exists [MODEL CHOICE: the task ends within the call that starts it, with the reason below].
// One principal's inline policies total at most 10,240 characters as given [MODEL CHOICE].
import { any, okPattern } from "../protocol/pattern.ts";
import type { Json } from "../protocol/step.ts";
import { needIam } from "./access.ts";
import { accountOf, elementsWellFormed } from "./authorize.ts";
import { conditionWellFormed } from "./conditions.ts";
import { goesAhead, type Branch, type CallContext } from "./context.ts";
import { refuse, type Check } from "./refusal.ts";
import { callerStores } from "./key-lookup.ts";
import { changed } from "./state-change.ts";

const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
const INLINE_CHARS_MAX = 10_240;
const TAGS_MAX = 50;
/** IAM's tagKeyType, in TagRole and TagUser and in UntagRole and UntagUser alike: 1–128 letters, digits, spaces and _.:/=+-@. */
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
/** IAM's tagValueType: up to 256 of the same characters. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
/** IAM's policyDocumentType: one or more of tab, line feed, carriage return and U+0020–U+00FF (up to 131,072). */
const POLICY_TEXT = /^[\t\n\r\u0020-\u00ff]+$/;

function* name(ctx: CallContext, param: string, max: number): Check<string> {
  const v = ctx.input[param];
  if (typeof v !== "string" || v.length < 1 || v.length > max || !/^[\w+=,.@-]+$/.test(v)) return yield* refuse("ValidationError");
  return v;
}

/** GetServiceLinkedRoleDeletionStatus's Reason for a failed deletion [MODEL CHOICE]. */
const SLR_IN_USE = "The service-linked role is in use by AWS KMS custom key stores in this account.";

const slrArn = (ctx: CallContext): string => `arn:aws:iam::${accountOf(ctx.caller.arn)}:role/aws-service-role/cks.kms.amazonaws.com/${SLR}`;
const isSlr = (ctx: CallContext, kind: "role" | "user", entityName: string): boolean =>
  kind === "role" && entityName === SLR && ctx.state.serviceLinkedRole;

/** The caller's account's role or user, as an ARN that names a principal, or NoSuchEntity. */
function* entity(ctx: CallContext, kind: "role" | "user", entityName: string): Check<string> {
  if (isSlr(ctx, kind, entityName)) return yield* refuse("UnmodifiableEntity"); // §10: only AWS changes its policies
  const arn = `arn:aws:iam::${accountOf(ctx.caller.arn)}:${kind}/${entityName}`;
  return ctx.state.identityPolicies[arn] !== undefined ? arn : yield* refuse("NoSuchEntity");
}

/** Like `entity`, but the service-linked role may be tagged (its ARN, with its path). */
function* taggable(ctx: CallContext, kind: "role" | "user", entityName: string): Check<string> {
  return isSlr(ctx, kind, entityName) ? slrArn(ctx) : yield* entity(ctx, kind, entityName);
}

/** An identity policy: JSON with statements of Effect Allow or Deny, no Principal, a well-formed Condition if any. */
function wellFormed(text: string): boolean {
  let doc: Json;
  try {
    doc = JSON.parse(text) as Json;
  } catch {
    return false; // not JSON: the caller's document, answered as malformed
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

const entityParam = (kind: "role" | "user") => (kind === "role" ? "RoleName" : "UserName");
/**
 * The longest name of the role or user an operation names: RoleName is IAM's roleNameType (1–64);
 * UserName, in every operation here, its existingUserNameType (1–128), where a 65-character name is
 * well formed and only not found.
 */
const entityNameMax = (kind: "role" | "user") => (kind === "role" ? 64 : 128);

function* putPolicy(ctx: CallContext, kind: "role" | "user"): Check<Branch[]> {
  const entityName = yield* name(ctx, entityParam(kind), entityNameMax(kind));
  const policyName = yield* name(ctx, "PolicyName", 128);
  const text = ctx.input["PolicyDocument"];
  if (typeof text !== "string" || text.length > 131_072 || !POLICY_TEXT.test(text)) return yield* refuse("ValidationError");
  const arn = yield* entity(ctx, kind, entityName);
  yield* needIam(ctx, kind === "role" ? "iam:PutRolePolicy" : "iam:PutUserPolicy", { resource: arn, errorName: "AccessDenied" });
  if (!wellFormed(text)) return yield* refuse("MalformedPolicyDocument");
  const others = Object.entries(ctx.state.identityPolicies[arn]!).filter(([n]) => n !== policyName);
  if (others.reduce((sum, [, t]) => sum + t.length, text.length) > INLINE_CHARS_MAX) return yield* refuse("LimitExceeded");
  return goesAhead(ctx, okPattern({}), () =>
    changed(
      ctx.state,
      (next) => void (next.identityPolicies = { ...next.identityPolicies, [arn]: { ...next.identityPolicies[arn], [policyName]: text } }),
    ),
  );
}

function* deletePolicy(ctx: CallContext, kind: "role" | "user"): Check<Branch[]> {
  const entityName = yield* name(ctx, entityParam(kind), entityNameMax(kind));
  const policyName = yield* name(ctx, "PolicyName", 128);
  const arn = yield* entity(ctx, kind, entityName);
  yield* needIam(ctx, kind === "role" ? "iam:DeleteRolePolicy" : "iam:DeleteUserPolicy", { resource: arn, errorName: "AccessDenied" });
  if (ctx.state.identityPolicies[arn]![policyName] === undefined) return yield* refuse("NoSuchEntity");
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => {
      const { [policyName]: _gone, ...kept } = next.identityPolicies[arn]!;
      next.identityPolicies = { ...next.identityPolicies, [arn]: kept };
    }),
  );
}

export const PutRolePolicy = (ctx: CallContext): Check<Branch[]> => putPolicy(ctx, "role");
export const PutUserPolicy = (ctx: CallContext): Check<Branch[]> => putPolicy(ctx, "user");
export const DeleteRolePolicy = (ctx: CallContext): Check<Branch[]> => deletePolicy(ctx, "role");
export const DeleteUserPolicy = (ctx: CallContext): Check<Branch[]> => deletePolicy(ctx, "user");

/** Tags: 1–50 of {Key: 1–128 letters, digits, spaces and _.:/=+-@; Value: 0–256 characters}. */
function* tagsParam(ctx: CallContext): Check<[string, string][]> {
  const raw = ctx.input["Tags"];
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > TAGS_MAX) return yield* refuse("ValidationError");
  const pairs: [string, string][] = [];
  for (const t of raw) {
    const o = typeof t === "object" && t !== null && !Array.isArray(t) ? t : {};
    const k = o["Key"];
    const v = o["Value"];
    if (typeof k !== "string" || !TAG_KEY.test(k) || typeof v !== "string" || !TAG_VALUE.test(v)) {
      return yield* refuse("ValidationError");
    }
    pairs.push([k, v]);
  }
  return pairs;
}

function* tag(ctx: CallContext, kind: "role" | "user"): Check<Branch[]> {
  const entityName = yield* name(ctx, entityParam(kind), entityNameMax(kind));
  const pairs = yield* tagsParam(ctx);
  const arn = yield* taggable(ctx, kind, entityName);
  yield* needIam(ctx, kind === "role" ? "iam:TagRole" : "iam:TagUser", { resource: arn, errorName: "AccessDenied" });
  if (pairs.some(([k]) => k.startsWith("aws:"))) return yield* refuse("InvalidInput");
  const tags = { ...ctx.state.principalTags[arn], ...Object.fromEntries(pairs) };
  if (Object.keys(tags).length > TAGS_MAX) return yield* refuse("LimitExceeded");
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => void (next.principalTags = { ...next.principalTags, [arn]: tags })),
  );
}

function* untag(ctx: CallContext, kind: "role" | "user"): Check<Branch[]> {
  const entityName = yield* name(ctx, entityParam(kind), entityNameMax(kind));
  const keys = ctx.input["TagKeys"];
  if (!Array.isArray(keys) || keys.length > TAGS_MAX || keys.some((k) => typeof k !== "string" || !TAG_KEY.test(k))) {
    return yield* refuse("ValidationError");
  }
  const arn = yield* taggable(ctx, kind, entityName);
  yield* needIam(ctx, kind === "role" ? "iam:UntagRole" : "iam:UntagUser", { resource: arn, errorName: "AccessDenied" });
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => {
      const kept = Object.fromEntries(Object.entries(next.principalTags[arn] ?? {}).filter(([k]) => !(keys as string[]).includes(k)));
      next.principalTags = { ...next.principalTags, [arn]: kept };
    }),
  );
}

export const TagRole = (ctx: CallContext): Check<Branch[]> => tag(ctx, "role");
export const TagUser = (ctx: CallContext): Check<Branch[]> => tag(ctx, "user");
export const UntagRole = (ctx: CallContext): Check<Branch[]> => untag(ctx, "role");
export const UntagUser = (ctx: CallContext): Check<Branch[]> => untag(ctx, "user");

/**
 * §10: starts the role's deletion task, answering its DeletionTaskId (learnt from the answer): the role
 * goes, or — while a CloudHSM key store of the account exists — stays and the task fails.
 */
export function* DeleteServiceLinkedRole(ctx: CallContext): Check<Branch[]> {
  const roleName = yield* name(ctx, "RoleName", 64);
  yield* needIam(ctx, "iam:DeleteServiceLinkedRole", { resource: slrArn(ctx), errorName: "AccessDenied" });
  if (roleName !== SLR || !ctx.state.serviceLinkedRole) return yield* refuse("NoSuchEntity");
  const inUse = callerStores(ctx).length > 0;
  return goesAhead(ctx, okPattern({ DeletionTaskId: any("string") }), (actual) => {
    const id = actual.ok ? actual.output["DeletionTaskId"] : undefined;
    if (typeof id !== "string") throw new Error("model: DeleteServiceLinkedRole matched without a DeletionTaskId");
    return changed(ctx.state, (next) => {
      next.slrDeletionTasks = { ...next.slrDeletionTasks, [id]: inUse ? "FAILED" : "SUCCEEDED" };
      if (inUse) return;
      next.serviceLinkedRole = false;
      const { [slrArn(ctx)]: _gone, ...kept } = next.principalTags;
      next.principalTags = kept;
    });
  });
}

/** §10: a deletion task's status; a failed one names its reason. An id not of IAM's form is InvalidInput [MODEL CHOICE]. */
export function* GetServiceLinkedRoleDeletionStatus(ctx: CallContext): Check<Branch[]> {
  const id = ctx.input["DeletionTaskId"];
  if (typeof id !== "string" || id.length < 1 || id.length > 1000) return yield* refuse("ValidationError");
  yield* needIam(ctx, "iam:GetServiceLinkedRoleDeletionStatus", { resource: slrArn(ctx), errorName: "AccessDenied" });
  if (!id.startsWith("task/aws-service-role/")) return yield* refuse("InvalidInput");
  const status = ctx.state.slrDeletionTasks?.[id] ?? (yield* refuse("NoSuchEntity"));
  return goesAhead(ctx, okPattern(status === "FAILED" ? { Status: status, Reason: { Reason: SLR_IN_USE } } : { Status: status }));
}
