// Spec §9.2, read straight off the documents every time: explicit deny anywhere wins (step 3); a key
// policy statement naming the caller allows (step 4; cross-account also needs the caller's IAM);
// one naming the caller's account delegates to the caller's identity policies (step 5); a grant
// (step 6, decided by model/grants.ts and passed in); otherwise implicit deny (step 7). A statement
// counts only when its Condition holds for the request context (§9.6, model/conditions.ts); the
// IAM-only condition keys (aws:ResourceTag/*, kms:ResourceAliases, §9.6) are not in the context a
// key policy sees [MODEL CHOICE: absent there]. The root user's identity is allowed everything
// [MODEL CHOICE]. A verdict carries AWS's AccessDeniedException message and the decision as data:
// the statement or grant that decided (protocol/decision.ts).
import type { Decision, StatementRef } from "../protocol/decision.ts";
import type { Json } from "../protocol/step.ts";
import { conditionHolds, type RequestContext } from "./conditions.ts";
import { globMatch } from "./glob.ts";
import { NO_POLICIES, remembered } from "./remembered-decisions.ts";

/** Spec §9.1: only these actions take effect across accounts. */
const CROSS_ACCOUNT = [
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
];

/** Spec §9.6: condition keys that work only in IAM policies. */
const IAM_ONLY_KEYS = /^(aws:resourcetag\/|kms:resourcealiases$)/i;

type Statement = { [key: string]: Json };

/** `message` (AWS's AccessDeniedException text) is set iff the call is denied; `decision` says what decided. */
export interface Verdict {
  message?: string;
  decision: Decision;
}

function list(v: Json | undefined): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** A policy document's statements (as objects), read once per document. */
const statementsOf = new WeakMap<object, Statement[]>();

function statements(policy: Json): Statement[] {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) return [];
  let found = statementsOf.get(policy);
  if (found === undefined) {
    const s = policy["Statement"];
    const all = Array.isArray(s) ? s : s === undefined ? [] : [s];
    found = all.filter((x): x is Statement => typeof x === "object" && x !== null && !Array.isArray(x));
    statementsOf.set(policy, found);
  }
  return found;
}

function principalsOf(s: Statement): string[] {
  const p = s["Principal"];
  if (p === "*") return ["*"];
  if (typeof p === "object" && p !== null && !Array.isArray(p)) return list(p["AWS"]);
  return [];
}

/** Action (or NotAction), Resource (or NotResource): does the element `name` of `s` cover `value`? */
function element(s: Statement, name: "Action" | "Resource", value: string): boolean {
  const ignoreCase = name === "Action";
  if (s[name] !== undefined) return list(s[name]).some((p) => globMatch(p, value, ignoreCase));
  if (s[`Not${name}`] !== undefined) return !list(s[`Not${name}`]).some((p) => globMatch(p, value, ignoreCase));
  return false; // §9.3: a statement without it is accepted and never matches
}

/**
 * §9.3 for Action/NotAction and Resource/NotResource: each a string or a list of strings, and not both
 * of a pair in one statement [MODEL CHOICE: else MalformedPolicyDocumentException].
 */
export function elementsWellFormed(s: Statement): boolean {
  const strings = (v: Json | undefined) =>
    v === undefined || typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
  return (
    ["Action", "NotAction", "Resource", "NotResource"].every((k) => strings(s[k])) &&
    !(s["Action"] !== undefined && s["NotAction"] !== undefined) &&
    !(s["Resource"] !== undefined && s["NotResource"] !== undefined)
  );
}

/** A request context, or how to build it when a Condition first asks (most statements have none). */
export type ContextSource = RequestContext | (() => RequestContext);

/** `source` built at most once, on first use. */
function lazily(source: ContextSource): () => RequestContext {
  if (typeof source !== "function") return () => source;
  let built: RequestContext | undefined;
  return () => (built ??= source());
}

function covers(s: Statement, effect: "Allow" | "Deny", action: string, resource: string, context: () => RequestContext): boolean {
  return (
    s["Effect"] === effect &&
    element(s, "Action", action) &&
    element(s, "Resource", resource) &&
    (s["Condition"] === undefined || conditionHolds(s["Condition"], context()))
  );
}

/** A statement as a decision names it (protocol/decision.ts): its policy, Sid and place. */
function ref(policyName: string, policy: Json, s: Statement): StatementRef {
  return {
    kind: "statement",
    policy: policyName,
    ...(typeof s["Sid"] === "string" ? { sid: s["Sid"] } : {}),
    index: statements(policy).indexOf(s),
  };
}

const ROOT_USER: StatementRef = { kind: "statement", policy: "root user", index: 0 };

/** The account field of an ARN (arn:partition:service:region:account:…), or "" when it has none. */
export function accountOf(arn: string): string {
  let start = 0;
  for (let colons = 0; colons < 4; colons++) {
    const colon = arn.indexOf(":", start);
    if (colon < 0) return "";
    start = colon + 1;
  }
  const end = arn.indexOf(":", start);
  return arn.slice(start, end < 0 ? arn.length : end);
}

const isRootUser = (arn: string): boolean => /^arn:aws:iam::\d{12}:root$/.test(arn);

export interface Caller {
  arn: string;
  policies?: Readonly<Record<string, Json>>;
  /** Principal tags (aws:PrincipalTag/*), TagKey → TagValue. */
  tags?: Record<string, string>;
}

/** The first identity-policy statement of `caller` with `effect` that covers the request. */
function identity(
  caller: Caller,
  effect: "Allow" | "Deny",
  action: string,
  resource: string,
  context: () => RequestContext,
): StatementRef | undefined {
  if (isRootUser(caller.arn)) return effect === "Allow" ? ROOT_USER : undefined;
  for (const name in caller.policies) {
    const doc = caller.policies[name]!;
    const s = statements(doc).find((x) => covers(x, effect, action, resource, context));
    if (s !== undefined) return ref(`identity policy ${name}`, doc, s);
  }
  return undefined;
}

function refusal(caller: Caller, resource: string, why: string, decision: Decision): Verdict {
  return { message: `User: ${caller.arn} is not authorized to perform: ${decision.action} on resource: ${resource} ${why}`, decision };
}

/**
 * Decides `action` on the key `keyArn` with key policy `keyPolicy` for a request with `context`.
 * `grant`: the id of a grant on the key that allows it — step 6, after every explicit deny, in any account.
 * Remembered per key policy and identity policies (model/remembered-decisions.ts).
 */
export function keyDecision(
  caller: Caller,
  action: string,
  keyArn: string,
  keyPolicy: Json,
  contextSource: ContextSource,
  grant?: string,
): Verdict {
  const context = lazily(contextSource);
  if (typeof keyPolicy !== "object" || keyPolicy === null) return decideKey(caller, action, keyArn, keyPolicy, context, grant);
  const question = { caller: caller.arn, action, resource: keyArn, grant: grant ?? "" };
  return remembered(keyPolicy, caller.policies ?? NO_POLICIES, question, context, (reading) =>
    decideKey(caller, action, keyArn, keyPolicy, reading, grant),
  );
}

function decideKey(
  caller: Caller,
  action: string,
  keyArn: string,
  keyPolicy: Json,
  context: () => RequestContext,
  grant: string | undefined,
): Verdict {
  const account = accountOf(caller.arn);
  const keyContext = lazily(() => Object.fromEntries(Object.entries(context()).filter(([k]) => !IAM_ONLY_KEYS.test(k))));
  const namesCaller = (s: Statement) => principalsOf(s).some((p) => p === "*" || p === caller.arn);
  const namesAccount = (s: Statement) => principalsOf(s).some((p) => p === `arn:aws:iam::${account}:root` || p === account);
  const find = (effect: "Allow" | "Deny", names: (s: Statement) => boolean): StatementRef | undefined => {
    const s = statements(keyPolicy).find((x) => covers(x, effect, action, keyArn, keyContext) && names(x));
    return s === undefined ? undefined : ref("key policy", keyPolicy, s);
  };
  const decided = (effect: Decision["effect"], by: Decision["by"], delegation?: StatementRef): Decision => ({
    action,
    effect,
    by,
    scope: "key",
    ...(delegation !== undefined ? { delegation } : {}),
  });
  const keyDeny = find("Deny", (s) => namesCaller(s) || namesAccount(s));
  if (keyDeny !== undefined) return refusal(caller, keyArn, "with an explicit deny in a resource-based policy", decided("Deny", keyDeny));
  const iamDeny = identity(caller, "Deny", action, keyArn, context);
  if (iamDeny !== undefined) return refusal(caller, keyArn, "with an explicit deny in an identity-based policy", decided("Deny", iamDeny));
  if (grant !== undefined) return { decision: decided("Allow", { kind: "grant", grantId: grant }) };
  const direct = find("Allow", namesCaller);
  const delegated = find("Allow", namesAccount);
  const iamAllow = identity(caller, "Allow", action, keyArn, context);
  const noResource = (): Verdict =>
    refusal(caller, keyArn, `because no resource-based policy allows the ${action} action`, decided("Deny", { kind: "none" }));
  // The key policy statement that allows (directly or by delegation) still needs the caller's IAM.
  const withIam = (s: StatementRef): Verdict =>
    iamAllow !== undefined
      ? { decision: decided("Allow", s, iamAllow) }
      : refusal(caller, keyArn, `because no identity-based policy allows the ${action} action`, decided("Deny", { kind: "none" }, s));
  if (account === accountOf(keyArn)) {
    if (direct !== undefined) return { decision: decided("Allow", direct) };
    return delegated !== undefined ? withIam(delegated) : noResource();
  }
  const allowing = direct ?? delegated;
  return !CROSS_ACCOUNT.includes(action) || allowing === undefined ? noResource() : withIam(allowing);
}

/** Decides an IAM-only action (spec §9.1): identity policies alone. Remembered per identity policies. */
export function iamDecision(caller: Caller, action: string, contextSource: ContextSource, resource = "*"): Verdict {
  const question = { caller: caller.arn, action, resource, grant: "" };
  return remembered(caller.policies ?? NO_POLICIES, NO_POLICIES, question, lazily(contextSource), (context) =>
    decideIam(caller, action, context, resource),
  );
}

function decideIam(caller: Caller, action: string, context: () => RequestContext, resource: string): Verdict {
  const decided = (effect: Decision["effect"], by: Decision["by"]): Decision => ({ action, effect, by, scope: "iam" });
  const deny = identity(caller, "Deny", action, resource, context);
  if (deny !== undefined) return refusal(caller, resource, "with an explicit deny in an identity-based policy", decided("Deny", deny));
  const allow = identity(caller, "Allow", action, resource, context);
  if (allow === undefined)
    return refusal(caller, resource, `because no identity-based policy allows the ${action} action`, decided("Deny", { kind: "none" }));
  return { decision: decided("Allow", allow) };
}
