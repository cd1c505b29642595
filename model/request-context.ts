// Spec §9.2 step 2, §9.6: the request context a policy's Condition is held against, and what a request
// brings to its authorization. Every call has the caller's keys (aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalTag/*) and the time on the virtual clock (aws:CurrentTime,
// aws:EpochTime); a call on a key has kms:CallerAccount (so does a custom key store operation) and the
// key's attributes (kms:KeyOrigin, kms:KeySpec, kms:KeyUsage, kms:ResourceAliases, aws:ResourceTag/*);
// a crypto call has kms:EncryptionAlgorithm (the algorithm it names, SYMMETRIC_DEFAULT when it names none
// or cannot name one, as GenerateDataKey*; ReEncryptFrom the source's, ReEncryptTo the destination's
// [MODEL CHOICE]); a call with an encryption context has kms:EncryptionContext:* and
// kms:EncryptionContextKeys (CreateGrant: its constraints' pairs [MODEL CHOICE]); crypto and DescribeKey called by alias have kms:RequestAlias
// (the alias name, also when given as an alias ARN [MODEL CHOICE]). Operation-specific keys come in
// `conditions`, replacing any of the above they name; a key with no values is absent. Changes of tags
// and aliases count at once [MODEL CHOICE; AWS allows up to 5 minutes].
import { accountOf } from "./authorize.ts";
import type { RequestContext } from "./conditions.ts";
import type { CallContext } from "./context.ts";
import type { ModelConstraints, ModelKey } from "./state.ts";

/** What a request brings to its authorization beyond who calls and on what. */
export interface AccessRequest {
  /** The request's encryption context (held against grant constraints and conditions). */
  context?: Record<string, string>;
  /** GrantIds of the grant tokens the request presents: those grants count before they propagate. */
  presented?: string[];
  /** CreateGrant: the grant it would make (held against a parent grant's operations and constraints). */
  child?: { operations: string[]; constraints: ModelConstraints | undefined };
  /** The KeyId as the request gave it (for kms:RequestAlias). */
  keyIdAsGiven?: string;
  /** The encryption algorithm the request names for this key (kms:EncryptionAlgorithm; default SYMMETRIC_DEFAULT). */
  encryptionAlgorithm?: string;
  /** Operation-specific condition keys (CreateGrant's, TagResource's, ...). */
  conditions?: RequestContext;
}

/** Spec §9.6: crypto operations (kms:EncryptionAlgorithm); with DescribeKey, where kms:RequestAlias is set. */
const CRYPTO_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
];
const REQUEST_ALIAS_ACTIONS = [...CRYPTO_ACTIONS, "kms:DescribeKey"];

/** Milliseconds since 1970 as ISO 8601 to the second, e.g. 2026-01-01T00:00:00Z. */
export function isoSeconds(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const secondsOfDay = Math.floor((ms - days * 86_400_000) / 1000);
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${year}-${two(month)}-${two(day)}T${two(Math.floor(secondsOfDay / 3600))}:${two(Math.floor(secondsOfDay / 60) % 60)}:${two(secondsOfDay % 60)}Z`;
}

/** The alias name a KeyId names (alias name or alias ARN), if it names one. */
function aliasNamed(keyId: string | undefined): string | undefined {
  if (keyId === undefined) return undefined;
  if (keyId.startsWith("alias/")) return keyId;
  return /^arn:aws:kms:[a-z0-9-]+:\d{12}:(alias\/.+)$/.exec(keyId)?.[1];
}

export function requestContext(
  ctx: CallContext,
  action: string,
  key: Pick<ModelKey, "arn" | "origin" | "tags"> | undefined,
  request: AccessRequest = {},
): RequestContext {
  const account = accountOf(ctx.caller.arn);
  const nowMs = ctx.world.epochMs + Math.floor(ctx.nowUs / 1000);
  const out: RequestContext = {
    "aws:PrincipalArn": [ctx.caller.arn],
    "aws:PrincipalAccount": [account],
    "aws:CurrentTime": [isoSeconds(nowMs)],
    "aws:EpochTime": [String(Math.floor(nowMs / 1000))],
  };
  if (key !== undefined || /^kms:\w+CustomKeyStores?$/.test(action)) out["kms:CallerAccount"] = [account];
  if (CRYPTO_ACTIONS.includes(action)) out["kms:EncryptionAlgorithm"] = [request.encryptionAlgorithm ?? "SYMMETRIC_DEFAULT"];
  for (const [k, v] of Object.entries(ctx.caller.tags ?? {})) out[`aws:PrincipalTag/${k}`] = [v];
  if (key !== undefined) {
    out["kms:KeyOrigin"] = [key.origin];
    out["kms:KeySpec"] = ["SYMMETRIC_DEFAULT"];
    out["kms:KeyUsage"] = ["ENCRYPT_DECRYPT"];
    const aliases = ctx.state.aliases
      .filter((a) => a.targetArn === key.arn)
      .map((a) => a.name)
      .sort();
    if (aliases.length > 0) out["kms:ResourceAliases"] = aliases;
    for (const [k, v] of Object.entries(key.tags)) out[`aws:ResourceTag/${k}`] = [v];
  }
  const constraints = request.child?.constraints;
  const pairs = request.context ?? { ...constraints?.EncryptionContextSubset, ...constraints?.EncryptionContextEquals };
  if (Object.keys(pairs).length > 0) {
    for (const [k, v] of Object.entries(pairs)) out[`kms:EncryptionContext:${k}`] = [v];
    out["kms:EncryptionContextKeys"] = Object.keys(pairs).sort();
  }
  const alias = REQUEST_ALIAS_ACTIONS.includes(action) ? aliasNamed(request.keyIdAsGiven) : undefined;
  if (alias !== undefined) out["kms:RequestAlias"] = [alias];
  for (const [k, values] of Object.entries(request.conditions ?? {})) {
    delete out[k];
    if (values.length > 0) out[k] = values;
  }
  return out;
}
