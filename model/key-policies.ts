// Key policies (spec §9.3–§9.5, §5.6): the default policy, the checks a new policy passes (size,
// JSON, statements, principals that exist, the lockout safety check), and PutKeyPolicy,
// GetKeyPolicy, ListKeyPolicies. A key has one policy, named "default"; a key policy operation is
// never cross-account and goes ahead in every key state (§5.5). Policies are kept as the text given:
// GetKeyPolicy returns it as it was put.
import type { Json } from "../protocol/step.ts";
import { elementsWellFormed, keyDecision } from "./authorize.ts";
import { conditionWellFormed } from "./conditions.ts";
import type { Branch, CallContext } from "./context.ts";
import { needKey, resolveKey } from "./keys.ts";
import { okPattern } from "../protocol/pattern.ts";
import { page, pageParams } from "./paging.ts";
import { flag, refuse, text } from "./refuse.ts";
import { requestContext } from "./request-context.ts";
import { copy, type ModelKey } from "./state.ts";

/** Spec §9.3: key policies up to 32 KB. */
const POLICY_BYTES_MAX = 32_768;

/** Spec §9.4: the policy of a key created without one [MODEL CHOICE: as compact JSON]. */
export function defaultPolicy(account: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });
}

/** Spec §9.3 well-formedness: Effect, Action/NotAction and Resource/NotResource, a well-formed Condition (model/conditions.ts), principals that exist. */
function checkStatements(ctx: CallContext, doc: Json): void {
  const malformed = () => refuse("MalformedPolicyDocumentException");
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) malformed();
  const raw = (doc as Record<string, Json>)["Statement"];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) malformed();
  const known = Object.values(ctx.world.principals).map((p) => p.arn);
  const accounts = [ctx.world.account, ctx.world.partnerAccount];
  const exists = (p: string) =>
    p === "*" || known.includes(p) || accounts.includes(p) || accounts.some((a) => p === `arn:aws:iam::${a}:root`);
  const invalidPrincipals = () =>
    refuse("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
  const named: string[] = [];
  for (const s of statements) {
    if (typeof s !== "object" || s === null || Array.isArray(s)) return malformed();
    if (s["Effect"] !== "Allow" && s["Effect"] !== "Deny") malformed();
    if (!conditionWellFormed(s["Condition"]) || !elementsWellFormed(s)) malformed();
    const principal = s["Principal"];
    if (principal === "*") continue;
    const aws = typeof principal === "object" && principal !== null && !Array.isArray(principal) ? principal["AWS"] : undefined;
    const names = typeof aws === "string" ? [aws] : Array.isArray(aws) && aws.every((x) => typeof x === "string") ? (aws as string[]) : [];
    if (names.length === 0) invalidPrincipals();
    named.push(...names);
  }
  if (!named.every(exists)) invalidPrincipals();
}

/**
 * A new key policy for `key` (one being created, in CreateKey): size (LimitExceededException), JSON
 * and statements (MalformedPolicyDocumentException), then unless bypassed the lockout check — §9.2 for
 * a later kms:PutKeyPolicy (without bypass) under the new policy [MODEL CHOICE, §9.5]. Returns the text.
 */
export function checkNewPolicy(
  ctx: CallContext,
  key: Pick<ModelKey, "arn" | "origin" | "tags">,
  policyText: string,
  bypass: boolean,
): string {
  if (new TextEncoder().encode(policyText).length > POLICY_BYTES_MAX) refuse("LimitExceededException");
  let doc: Json = null;
  try {
    doc = JSON.parse(policyText) as Json;
  } catch {
    refuse("MalformedPolicyDocumentException");
  }
  checkStatements(ctx, doc);
  const later = requestContext(ctx, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": ["false"] } });
  if (!bypass && keyDecision(ctx.caller, "kms:PutKeyPolicy", key.arn, doc, later).message !== undefined) {
    refuse("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future.");
  }
  return policyText;
}

/** A Policy parameter: 1–131,072 characters of tab, LF, CR and U+0020–U+00FF (§1). */
export function policyParam(ctx: CallContext, required: boolean): string | undefined {
  const policy = text(ctx.input, "Policy", 1, 131_072, required);
  if (policy !== undefined && !/^[\t\n\r\u0020-\u00FF]+$/.test(policy)) refuse("ValidationException");
  return policy;
}

/** PolicyName: optional, `[\w]+` of 1–128 characters (§1). */
function policyName(ctx: CallContext): string | undefined {
  const name = text(ctx.input, "PolicyName", 1, 128, false);
  if (name !== undefined && !/^[\w]+$/.test(name)) refuse("ValidationException");
  return name;
}

/** "default" is the only policy a key has [MODEL CHOICE: another name is NotFoundException]. */
function needDefault(name: string | undefined): void {
  if (name !== undefined && name !== "default") refuse("NotFoundException");
}

export function PutKeyPolicy(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const policyText = policyParam(ctx, true)!;
  const name = policyName(ctx);
  const bypass = flag(ctx.input, "BypassPolicyLockoutSafetyCheck") ?? false;
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)] } });
  needDefault(name);
  const policy = checkNewPolicy(ctx, key, policyText, bypass);
  const next = copy(ctx.state);
  next.keys.find((k) => k.arn === key.arn)!.policy = policy;
  return [{ outcome: okPattern({}), next: () => next }];
}

export function GetKeyPolicy(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const name = policyName(ctx);
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:GetKeyPolicy", key);
  needDefault(name);
  return [{ outcome: okPattern({ Policy: key.policy, PolicyName: "default" }), next: () => ctx.state }];
}

/** §5.6: always ["default"], paged like every listing. */
export function ListKeyPolicies(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const paging = pageParams(ctx, 1000, 100);
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:ListKeyPolicies", key);
  return [{ outcome: okPattern(page(["default"], paging, "PolicyNames", (name) => name)), next: () => ctx.state }];
}
