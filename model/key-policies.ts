// Key policies (spec §9.3–§9.5, §5.6): the default policy, the checks a new policy passes (size,
// JSON, statements, principal ARNs well formed and of principals that exist, the lockout safety check), and PutKeyPolicy,
// GetKeyPolicy, ListKeyPolicies. A key has one policy, named "default"; a key policy operation is
// never cross-account and goes ahead in every key state (§5.5). Policies are kept as the text given:
// GetKeyPolicy returns it as it was put.
import { errorPattern, okPattern } from "../protocol/pattern.ts";
import type { Json } from "../protocol/step.ts";
import { needKey, policyDocument } from "./access.ts";
import { elementsWellFormed, keyDecision } from "./authorize.ts";
import { conditionWellFormed } from "./conditions.ts";
import { goesAhead, type Branch, type CallContext } from "./context.ts";
import { resolveKey } from "./key-lookup.ts";
import { page, pageParams } from "./paging.ts";
import { flag, optionalText, Refusal, refuse, refuseWith, requiredText, type Check } from "./refusal.ts";
import { requestContext } from "./request-context.ts";
import { isPrincipalArn } from "./retiring-principal.ts";
import type { ModelKey, ModelWorld } from "./state.ts";
import { withKey } from "./state-change.ts";

/** Spec §9.3: key policies up to 32 KB. */
const POLICY_BYTES_MAX = 32_768;

/** Spec §9.4: the policy of a key created without one [MODEL CHOICE: as compact JSON]. */
export function defaultPolicy(account: string): string {
  // Byte for byte as GetKeyPolicy returns it (§9.4, from recorded answers): `" : "`, two-space indent,
  // `[ {` and `} ]`, no newline at the end.
  return [
    "{",
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:aws:iam::${account}:root"`,
    "    },",
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    "  } ]",
    "}",
  ].join("\n");
}

/**
 * Spec §9.3 well-formedness: Effect, Action/NotAction and Resource/NotResource, a well-formed Condition
 * (model/conditions.ts), principals that exist. A function of the document and the world's principals
 * alone, so worked out once per (parsed, shared: model/access.ts) document and world.
 */
function* checkStatements(ctx: CallContext, doc: Json): Check<void> {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return yield* refuse("MalformedPolicyDocumentException");
  let byWorld = statementRefusals.get(doc);
  if (byWorld === undefined) statementRefusals.set(doc, (byWorld = new WeakMap()));
  let refusal = byWorld.get(ctx.world);
  if (refusal === undefined) byWorld.set(ctx.world, (refusal = statementsRefusal(ctx.world, doc) ?? null));
  if (refusal !== null) yield* refuseWith(refusal);
}

/** What `checkStatements` found wrong with a document in a world (null: nothing). */
const statementRefusals = new WeakMap<object, WeakMap<ModelWorld, Refusal | null>>();

function statementsRefusal(world: ModelWorld, doc: { [key: string]: Json }): Refusal | undefined {
  const malformed = new Refusal(errorPattern("MalformedPolicyDocumentException"));
  const invalidPrincipals = new Refusal(
    errorPattern("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals."),
  );
  const raw = doc["Statement"];
  const statements = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (statements.length === 0) return malformed;
  const known = Object.values(world.principals).map((p) => p.arn);
  const accounts = [world.account, world.partnerAccount];
  const exists = (p: string) =>
    p === "*" || known.includes(p) || accounts.includes(p) || accounts.some((a) => p === `arn:aws:iam::${a}:root`);
  const named: string[] = [];
  for (const s of statements) {
    if (typeof s !== "object" || s === null || Array.isArray(s)) return malformed;
    if (s["Effect"] !== "Allow" && s["Effect"] !== "Deny") return malformed;
    if (!conditionWellFormed(s["Condition"]) || !elementsWellFormed(s)) return malformed;
    const principal = s["Principal"];
    if (principal === "*") continue;
    const aws = typeof principal === "object" && principal !== null && !Array.isArray(principal) ? principal["AWS"] : undefined;
    const names = typeof aws === "string" ? [aws] : Array.isArray(aws) && aws.every((x) => typeof x === "string") ? (aws as string[]) : [];
    if (names.length === 0) return invalidPrincipals;
    named.push(...names);
  }
  // An ARN that cannot name a principal at all, unlike one of no principal the world has: InvalidArnException,
  // as AWS answers "An ARN in the specified key policy is invalid." (§13: "an ARN in a key policy") [MODEL CHOICE:
  // the principal kinds §9.3 lists, shaped as ListRetirableGrants reads them; a name that is not an ARN stays an
  // invalid principal].
  if (named.some((p) => p.startsWith("arn:") && !isPrincipalArn(p))) return new Refusal(errorPattern("InvalidArnException"));
  if (!named.every(exists)) return invalidPrincipals;
  return undefined;
}

/**
 * A new key policy for `key` (one being created, in CreateKey): size (LimitExceededException), JSON
 * and statements (MalformedPolicyDocumentException), then unless bypassed the lockout check — §9.2 for
 * a later kms:PutKeyPolicy (without bypass) under the new policy [MODEL CHOICE, §9.5]. Returns the text.
 */
export function* checkNewPolicy(
  ctx: CallContext,
  key: Pick<ModelKey, "arn" | "origin" | "tags">,
  policyText: string,
  bypass: boolean,
): Check<string> {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: only a text that long can be over the limit.
  if (policyText.length * 3 > POLICY_BYTES_MAX && new TextEncoder().encode(policyText).length > POLICY_BYTES_MAX)
    return yield* refuse("LimitExceededException");
  let doc: Json;
  try {
    doc = policyDocument(policyText); // parsed once per text
  } catch {
    return yield* refuse("MalformedPolicyDocumentException"); // not JSON: the user's document, not a model error
  }
  yield* checkStatements(ctx, doc);
  const later = () => requestContext(ctx, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": ["false"] } });
  if (!bypass && keyDecision(ctx.caller, "kms:PutKeyPolicy", key.arn, doc, later).message !== undefined) {
    return yield* refuse(
      "MalformedPolicyDocumentException",
      "The new key policy will not allow you to update the key policy in the future.",
    );
  }
  return policyText;
}

/** A Policy parameter: 1–131,072 characters of tab, LF, CR and U+0020–U+00FF (§1). */
export function* policyParam(ctx: CallContext, required: boolean): Check<string | undefined> {
  const policy = required ? yield* requiredText(ctx.input, "Policy", 1, 131_072) : yield* optionalText(ctx.input, "Policy", 1, 131_072);
  if (policy !== undefined && !/^[\t\n\r\u0020-\u00FF]+$/.test(policy)) return yield* refuse("ValidationException");
  return policy;
}

/** PolicyName: optional, `[\w]+` of 1–128 characters (§1). */
function* policyName(ctx: CallContext): Check<string | undefined> {
  const name = yield* optionalText(ctx.input, "PolicyName", 1, 128);
  if (name !== undefined && !/^[\w]+$/.test(name)) return yield* refuse("ValidationException");
  return name;
}

/** "default" is the only policy a key has [MODEL CHOICE: another name is NotFoundException]. */
function* needDefault(name: string | undefined): Check<void> {
  if (name !== undefined && name !== "default") yield* refuse("NotFoundException");
}

export function* PutKeyPolicy(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const policyText = (yield* policyParam(ctx, true))!;
  const name = yield* policyName(ctx);
  const bypass = (yield* flag(ctx.input, "BypassPolicyLockoutSafetyCheck")) ?? false;
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)] } });
  yield* needDefault(name);
  const policy = yield* checkNewPolicy(ctx, key, policyText, bypass);
  return goesAhead(ctx, okPattern({}), () => withKey(ctx.state, key.arn, (k) => (k.policy = policy)));
}

export function* GetKeyPolicy(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const name = yield* policyName(ctx);
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:GetKeyPolicy", key);
  yield* needDefault(name);
  return goesAhead(ctx, okPattern({ Policy: key.policy, PolicyName: "default" }));
}

/** §5.6: always ["default"], paged like every listing. */
export function* ListKeyPolicies(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const paging = yield* pageParams(ctx, 1000, 100);
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:ListKeyPolicies", key);
  return goesAhead(ctx, okPattern(yield* page(["default"], paging, "PolicyNames", (name) => name)));
}
