// The request context of a call to the virtual KMS (spec §9.2 step 2, §9.6): the caller's and the
// clock's keys (../iam/request-context.ts); kms:CallerAccount on a key or a custom key store operation;
// on a key its attributes — kms:KeyOrigin, kms:KeySpec, kms:KeyUsage, kms:ResourceAliases (its alias
// names), aws:ResourceTag/*; kms:EncryptionAlgorithm on crypto (the request's algorithm for that key, by
// default SYMMETRIC_DEFAULT); then the request's:
// kms:EncryptionContext:* and kms:EncryptionContextKeys from its encryption context (a CreateGrant's
// from the pairs of its constraints), kms:RequestAlias when a crypto call or DescribeKey named the key
// by alias (the alias name, from an alias ARN too), and the operation's own keys, which replace any
// key of the same name. Tag and alias changes count at once.
import { IamDirectory } from "../iam/iam.ts";
import { callerContext } from "../iam/request-context.ts";
import type { RequestContext } from "../iam/conditions.ts";
import { isKeyArn } from "./key-id.ts";
import type { VirtualKms } from "./kms.ts";
import type { AccessRequest, KeyRecord } from "./state.ts";

const CRYPTO_ACTIONS = new Set([
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
]);
const STORE_ACTIONS = new Set([
  "kms:CreateCustomKeyStore",
  "kms:ConnectCustomKeyStore",
  "kms:DisconnectCustomKeyStore",
  "kms:UpdateCustomKeyStore",
  "kms:DeleteCustomKeyStore",
  "kms:DescribeCustomKeyStores",
]);

/** No encryption context pairs (a request without a context or grant constraints). */
const NO_PAIRS: Readonly<Record<string, string>> = Object.freeze({});

/** The attributes of a key a context reads (a key being created has no aliases yet). */
export type KeyFacts = Pick<KeyRecord, "Arn" | "Origin" | "tags">;

export function kmsRequestContext(
  kms: VirtualKms,
  caller: string,
  action: string,
  key: KeyFacts | undefined,
  request: AccessRequest = {},
): RequestContext {
  const context = callerContext(kms.ctx.iam, caller, kms.options.epochMs + Math.floor(kms.nowUs / 1000));
  if (key !== undefined || STORE_ACTIONS.has(action)) context.add("kms:CallerAccount", [IamDirectory.accountOf(caller)]);
  if (CRYPTO_ACTIONS.has(action)) context.add("kms:EncryptionAlgorithm", [request.encryptionAlgorithm ?? "SYMMETRIC_DEFAULT"]);
  if (key !== undefined) {
    context.add("kms:KeyOrigin", [key.Origin]).add("kms:KeySpec", ["SYMMETRIC_DEFAULT"]).add("kms:KeyUsage", ["ENCRYPT_DECRYPT"]);
    let aliases: string[] | undefined; // made only when the key has an alias: most have none
    for (const a of kms.aliases.values())
      if (isKeyArn(key.Arn, kms.options.region, a.account, a.TargetKeyId)) (aliases ??= []).push(a.AliasName);
    if (aliases !== undefined) context.add("kms:ResourceAliases", aliases.sort());
    for (const [k, v] of key.tags) context.add(`aws:ResourceTag/${k}`, [v]);
  }
  const constraints = request.child?.constraints;
  const pairs =
    request.context ??
    (constraints === undefined ? NO_PAIRS : { ...constraints.EncryptionContextSubset, ...constraints.EncryptionContextEquals });
  const names = Object.keys(pairs);
  if (names.length > 0) {
    for (const k of names) context.add(`kms:EncryptionContext:${k}`, [pairs[k]!]);
    context.add("kms:EncryptionContextKeys", names.sort());
  }
  const given = request.keyIdAsGiven;
  if (given !== undefined && (CRYPTO_ACTIONS.has(action) || action === "kms:DescribeKey")) {
    const alias = given.startsWith("alias/") ? given : /^arn:aws:kms:[^:]+:\d{12}:(alias\/.+)$/.exec(given)?.[1];
    if (alias !== undefined) context.add("kms:RequestAlias", [alias]);
  }
  const conditions = request.conditions;
  if (conditions !== undefined) for (const [k, values] of Object.entries(conditions)) context.set(k, values);
  return context;
}
