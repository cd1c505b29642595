// Spec §9.2, read straight off the documents every time: explicit deny anywhere wins (step 3); a key
// policy statement naming the caller allows (step 4; cross-account also needs the caller's IAM);
// one naming the caller's account delegates to the caller's identity policies (step 5); otherwise
// implicit deny (step 7). The root user's identity is allowed everything [MODEL CHOICE]. Grants
// (step 6) and conditions arrive with issue 5. Returns AWS's AccessDeniedException message.
import type { Json } from "../sim/step.ts";

/** Spec §9.1: only these actions take effect across accounts. */
const CROSS_ACCOUNT = [
  "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants",
  "kms:RetireGrant", "kms:RevokeGrant", "kms:GetKeyRotationStatus", "kms:GetPublicKey",
];

type Statement = { [key: string]: Json };

function list(v: Json | undefined): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function statements(policy: Json): Statement[] {
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) return [];
  const s = policy["Statement"];
  const all = Array.isArray(s) ? s : s === undefined ? [] : [s];
  return all.filter((x): x is Statement => typeof x === "object" && x !== null && !Array.isArray(x));
}

/** IAM wildcard match: `*` any run, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === v.length;
    if (p[i] === "*") return go(i + 1, j) || (j < v.length && go(i, j + 1));
    return j < v.length && (p[i] === "?" || p[i] === v[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

function principalsOf(s: Statement): string[] {
  const p = s["Principal"];
  if (p === "*") return ["*"];
  if (typeof p === "object" && p !== null && !Array.isArray(p)) return list(p["AWS"]);
  return [];
}

function covers(s: Statement, effect: "Allow" | "Deny", action: string, resource: string): boolean {
  return s["Effect"] === effect &&
    list(s["Action"]).some((a) => globMatch(a, action, true)) &&
    list(s["Resource"]).some((r) => globMatch(r, resource, false));
}

export function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

const isRootUser = (arn: string): boolean => /^arn:aws:iam::\d{12}:root$/.test(arn);

export interface Caller {
  arn: string;
  policies?: Record<string, Json>;
}

function identity(caller: Caller, effect: "Allow" | "Deny", action: string, resource: string): boolean {
  if (isRootUser(caller.arn)) return effect === "Allow";
  return Object.values(caller.policies ?? {}).some((doc) => statements(doc).some((s) => covers(s, effect, action, resource)));
}

function refusal(caller: Caller, action: string, resource: string, why: string): string {
  return `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/**
 * Decides `action` on the key `keyArn` with key policy `keyPolicy`; `undefined` means allowed.
 * `grantAllows`: a grant on the key allows it — step 6, after every explicit deny, in any account.
 */
export function keyDecision(caller: Caller, action: string, keyArn: string, keyPolicy: Json, grantAllows = false): string | undefined {
  const account = accountOf(caller.arn);
  const names = (s: Statement) => principalsOf(s);
  const namesCaller = (s: Statement) => names(s).some((p) => p === "*" || p === caller.arn);
  const namesAccount = (s: Statement) => names(s).some((p) => p === `arn:aws:iam::${account}:root` || p === account);
  const key = statements(keyPolicy);
  if (key.some((s) => covers(s, "Deny", action, keyArn) && (namesCaller(s) || namesAccount(s)))) {
    return refusal(caller, action, keyArn, "with an explicit deny in a resource-based policy");
  }
  if (identity(caller, "Deny", action, keyArn)) return refusal(caller, action, keyArn, "with an explicit deny in an identity-based policy");
  if (grantAllows) return undefined;
  const direct = key.some((s) => covers(s, "Allow", action, keyArn) && namesCaller(s));
  const delegated = key.some((s) => covers(s, "Allow", action, keyArn) && namesAccount(s));
  const iamAllows = identity(caller, "Allow", action, keyArn);
  const noResource = refusal(caller, action, keyArn, `because no resource-based policy allows the ${action} action`);
  const noIdentity = refusal(caller, action, keyArn, `because no identity-based policy allows the ${action} action`);
  if (account === accountOf(keyArn)) {
    if (direct) return undefined;
    if (delegated) return iamAllows ? undefined : noIdentity;
    return noResource;
  }
  if (!CROSS_ACCOUNT.includes(action) || !(direct || delegated)) return noResource;
  return iamAllows ? undefined : noIdentity;
}

/** Decides an IAM-only action (spec §9.1): identity policies alone; `undefined` means allowed. */
export function iamDecision(caller: Caller, action: string, resource = "*"): string | undefined {
  if (identity(caller, "Deny", action, resource)) return refusal(caller, action, resource, "with an explicit deny in an identity-based policy");
  if (!identity(caller, "Allow", action, resource)) return refusal(caller, action, resource, `because no identity-based policy allows the ${action} action`);
  return undefined;
}
