// Key policies of the virtual KMS (spec §9.3–§9.5, §5.6): the default policy, the checks a new one
// passes (size, JSON and statements, principal ARNs well formed and of principals that exist, the lockout safety check), PutKeyPolicy,
// GetKeyPolicy and ListKeyPolicies. A key has one policy, "default"; these operations are never
// cross-account and go ahead in every key state. The policy is kept as the text given.
import type { Proc } from "../kernel/process.ts";
import { boundedMemo } from "../../protocol/bounded-memo.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { authorizeKeyAction } from "../iam/authorize.ts";
import { compilePolicy } from "../iam/policy.ts";
import { optionalBoolean, optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { page, pageParams } from "./paging.ts";
import { access } from "./access.ts";
import { isPrincipalArn } from "./retiring-principal.ts";
import type { VirtualKms } from "./kms.ts";
import { kmsRequestContext, type KeyFacts } from "./request-context.ts";

/** Key policy size quota, in bytes (spec §9.3, §11.1). */
export const KEY_POLICY_BYTES_MAX = 32_768;

/**
 * The policy of a key created without one (spec §9.4), in the layout GetKeyPolicy returns it: JSON
 * pretty-printed with `" : "` between name and value, arrays of objects opened `[ {` and closed `} ]`.
 */
export function defaultPolicy(account: string): string {
  return defaultPolicies(account);
}

/** Default policy texts by account, made once each (a world has a few accounts; bounded all the same). */
const DEFAULT_POLICIES_MAX = 64;
const defaultPolicies = boundedMemo(DEFAULT_POLICIES_MAX, defaultPolicyText);

function defaultPolicyText(account: string): string {
  const statement = {
    Sid: "Enable IAM User Permissions",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: "kms:*",
    Resource: "*",
  };
  return layout({ Version: "2012-10-17", Id: "key-default-1", Statement: [statement] }, "");
}

/** KMS's stored-policy layout for the values the default policy holds (strings, objects, arrays of objects). */
function layout(value: unknown, indent: string): string {
  if (typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[ ${value.map((v) => layout(v, indent)).join(", ")} ]`;
  const members = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)} : ${layout(v, inner)}`);
  return `{\n${members.join(",\n")}\n${indent}}`;
}

/** Reads a Policy parameter: 1–131,072 characters of tab, LF, CR and U+0020–U+00FF (spec §1). */
export function policyParam(input: JsonObject, required: boolean): string | undefined | Rejection {
  const policy = required ? requiredString(input, "Policy", 1, 131_072) : optionalString(input, "Policy", 1, 131_072);
  if (policy instanceof Rejection) return policy;
  if (policy !== undefined && !/^[\t\n\r\u0020-\u00FF]+$/.test(policy)) {
    return new Rejection(
      "ValidationException",
      "1 validation error detected: Value at 'Policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    );
  }
  return policy;
}

/**
 * Checks a caller-supplied key policy for `key` (or the key CreateKey is making) (spec §9.3, §9.5);
 * unless bypassed, the lockout check: would the new policy let the caller call PutKeyPolicy again?
 */
export function checkNewPolicy(kms: VirtualKms, caller: string, key: KeyFacts, text: string, bypass: boolean): Rejection | undefined {
  if (Buffer.byteLength(text, "utf8") > KEY_POLICY_BYTES_MAX) {
    return new Rejection("LimitExceededException", `The key policy is larger than ${KEY_POLICY_BYTES_MAX} bytes.`);
  }
  const parsed = compilePolicy(text, true);
  if (!parsed.ok) return new Rejection("MalformedPolicyDocumentException", parsed.message);
  // KMS tells an ARN no principal could have from one of a principal that does not exist (spec §13, InvalidArnException: "an ARN
  // in a key policy"); AWS's message, as recorded. The shape is ListRetirableGrants' principal ARN; a principal named otherwise
  // than by an ARN is simply invalid [MODEL CHOICE].
  if (parsed.statements.some((s) => s.named.some((p) => p.startsWith("arn:") && !isPrincipalArn(p)))) {
    return new Rejection("InvalidArnException", "An ARN in the specified key policy is invalid.");
  }
  if (!parsed.statements.every((s) => s.named.every((p) => kms.ctx.iam.principalExists(p)))) {
    return new Rejection("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
  }
  if (bypass) return undefined;
  const later = () =>
    kmsRequestContext(kms, caller, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": ["false"] } });
  if (!authorizeKeyAction(kms.ctx.iam, caller, "kms:PutKeyPolicy", key.Arn, parsed.statements, later).allowed) {
    return new Rejection(
      "MalformedPolicyDocumentException",
      "The new key policy will not allow you to update the key policy in the future.",
    );
  }
  return undefined;
}

/** Reads PolicyName: `[\w]+`, 1–128 characters (spec §1). */
function policyName(input: JsonObject): string | undefined | Rejection {
  const name = optionalString(input, "PolicyName", 1, 128);
  if (name instanceof Rejection) return name;
  if (name !== undefined && !/^[\w]+$/.test(name)) {
    return new Rejection(
      "ValidationException",
      "1 validation error detected: Value at 'PolicyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+",
    );
  }
  return name;
}

/** "default" is a key's only policy [MODEL CHOICE: another name is NotFoundException]. */
function needDefault(name: string | undefined): Rejection | undefined {
  return name !== undefined && name !== "default" ? new Rejection("NotFoundException", `Key policy ${name} does not exist.`) : undefined;
}

export function* PutKeyPolicy(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const text = policyParam(input, true)!;
  if (text instanceof Rejection) return text;
  const name = policyName(input);
  if (name instanceof Rejection) return name;
  const bypassGiven = optionalBoolean(input, "BypassPolicyLockoutSafetyCheck");
  if (bypassGiven instanceof Rejection) return bypassGiven;
  const bypass = bypassGiven ?? false;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:PutKeyPolicy", key, { conditions: { "kms:BypassPolicyLockoutSafetyCheck": [String(bypass)] } }) ??
    needDefault(name) ??
    checkNewPolicy(kms, caller, key, text, bypass);
  if (refused !== undefined) return refused;
  key.policy = text;
  return ok({});
}

export function* GetKeyPolicy(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const name = policyName(input);
  if (name instanceof Rejection) return name;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused = access.authorizeKey(kms, caller, "kms:GetKeyPolicy", key) ?? needDefault(name);
  if (refused !== undefined) return refused;
  return ok({ Policy: key.policy, PolicyName: "default" });
}

export function* ListKeyPolicies(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const paging = pageParams(input, 1000, 100);
  if (paging instanceof Rejection) return paging;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const denied = access.authorizeKey(kms, caller, "kms:ListKeyPolicies", key);
  if (denied !== undefined) return denied;
  const listed = page(["default"], paging, "PolicyNames", (name) => name);
  return listed instanceof Rejection ? listed : ok(listed);
}
