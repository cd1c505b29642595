// The request context of a call to the virtual KMS (spec §9.2 step 2, §9.6): the caller's and the
// clock's keys (../iam/request-context.ts), then on a key its attributes — kms:KeyOrigin, kms:KeySpec,
// kms:KeyUsage, kms:ResourceAliases (its alias names), aws:ResourceTag/* — then the request's:
// kms:EncryptionContext:* and kms:EncryptionContextKeys from its encryption context (a CreateGrant's
// from the pairs of its constraints), kms:RequestAlias when a crypto call or DescribeKey named the key
// by alias (the alias name, from an alias ARN too), and the operation's own keys. Tag and alias
// changes count at once.
import { callerContext } from "../iam/request-context.ts";
import type { RequestContext } from "../iam/conditions.ts";
import type { VirtualKms } from "./kms.ts";
import type { AccessRequest, KeyRecord } from "./state.ts";

const REQUEST_ALIAS_ACTIONS = new Set(["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey"]);

/** The attributes of a key a context reads (a key being created has no aliases yet). */
export type KeyFacts = Pick<KeyRecord, "Arn" | "Origin" | "tags">;

export function kmsRequestContext(kms: VirtualKms, caller: string, action: string, key: KeyFacts | undefined, request: AccessRequest = {}): RequestContext {
  const context = callerContext(kms.ctx.iam, caller, action, kms.options.epochMs + Math.floor(kms.nowUs / 1000));
  if (key !== undefined) {
    context.add("kms:KeyOrigin", [key.Origin]).add("kms:KeySpec", ["SYMMETRIC_DEFAULT"]).add("kms:KeyUsage", ["ENCRYPT_DECRYPT"]);
    const aliases = [...kms.aliases.values()].filter((a) => kms.keyArn(a.account, a.TargetKeyId) === key.Arn).map((a) => a.AliasName).sort();
    if (aliases.length > 0) context.add("kms:ResourceAliases", aliases);
    for (const [k, v] of key.tags) context.add(`aws:ResourceTag/${k}`, [v]);
  }
  const constraints = request.child?.constraints;
  const pairs = request.context ?? { ...constraints?.EncryptionContextSubset, ...constraints?.EncryptionContextEquals };
  const names = Object.keys(pairs);
  if (names.length > 0) {
    for (const k of names) context.add(`kms:EncryptionContext:${k}`, [pairs[k]!]);
    context.add("kms:EncryptionContextKeys", names.sort());
  }
  const given = request.keyIdAsGiven;
  if (given !== undefined && REQUEST_ALIAS_ACTIONS.has(action)) {
    const alias = given.startsWith("alias/") ? given : /^arn:aws:kms:[^:]+:\d{12}:(alias\/.+)$/.exec(given)?.[1];
    if (alias !== undefined) context.add("kms:RequestAlias", [alias]);
  }
  for (const [k, values] of Object.entries(request.conditions ?? {})) context.add(k, values);
  return context;
}
