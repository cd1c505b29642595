// Aliases of the virtual KMS (spec §6): CreateAlias, UpdateAlias, DeleteAlias, ListAliases. An alias
// is a name in the caller's account pointing at one key of that account; a key may have up to 50
// [§15.7: 50, not the 10 of one table]; deleting a key deletes its aliases (kms.ts). Alias operations
// are never cross-account. Authorization: the alias needs the caller's IAM policy, the key its key
// policy (both the old and the new key for UpdateAlias). Markers are the decimal index of the next item.
import type { Proc } from "../kernel/process.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { IamDirectory } from "../iam/iam.ts";
import { checkKeyState } from "./key-states.ts";
import { page, pageParams } from "./paging.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import type { AliasRecord, KeyRecord } from "./state.ts";

/** Aliases one key may have (spec §6.1, §15.7). */
export const ALIASES_PER_KEY_MAX = 50;

/** Reads AliasName: "alias/" and a name of `[a-zA-Z0-9:/_-]`, at most 256 characters (spec §1). */
function aliasName(input: JsonObject): string | Rejection {
  const name = requiredString(input, "AliasName", 1, 256);
  if (name instanceof Rejection) return name;
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name))
    return new Rejection(
      "ValidationException",
      `1 validation error detected: Value '${name}' at 'AliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`,
    );
  if (!name.startsWith("alias/") || name.length === "alias/".length)
    return new Rejection(
      "ValidationException",
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    );
  return name;
}

/** An alias the caller's account has, or NotFoundException. */
function existing(kms: VirtualKms, caller: string, name: string): AliasRecord | Rejection {
  const arn = kms.aliasArn(IamDirectory.accountOf(caller), name);
  return kms.aliases.get(arn) ?? new Rejection("NotFoundException", `Alias ${arn} is not found.`);
}

function aliasesOf(kms: VirtualKms, key: KeyRecord): number {
  let n = 0;
  for (const a of kms.aliases.values()) if (a.account === key.account && a.TargetKeyId === key.KeyId) n += 1;
  return n;
}

export function* CreateAlias(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = aliasName(input);
  if (name instanceof Rejection) return name;
  const targetId = requiredString(input, "TargetKeyId", 1, 2048);
  if (targetId instanceof Rejection) return targetId;
  // §15.13: AWS does not document the error for a reserved name; the KMS answers this one.
  if (name.startsWith("alias/aws/"))
    return new Rejection(
      "InvalidAliasNameException",
      `Alias ${name} cannot begin with alias/aws/, which is reserved for AWS managed keys.`,
    );
  const key = kms.resolveKey(caller, targetId, false, "NotFoundException");
  if (key instanceof Rejection) return key;
  const arn = kms.aliasArn(IamDirectory.accountOf(caller), name);
  const refused =
    access.authorizeIam(kms, caller, "kms:CreateAlias", arn) ??
    access.authorizeKey(kms, caller, "kms:CreateAlias", key) ??
    checkKeyState("CreateAlias", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  if (kms.aliases.has(arn)) return new Rejection("AlreadyExistsException", `An alias with the name ${arn} already exists`);
  if (aliasesOf(kms, key) >= ALIASES_PER_KEY_MAX)
    return new Rejection("LimitExceededException", `A KMS key can have at most ${ALIASES_PER_KEY_MAX} aliases.`);
  const now = kms.nowUs;
  kms.aliases.set(arn, {
    AliasName: name,
    AliasArn: arn,
    account: IamDirectory.accountOf(caller),
    TargetKeyId: key.KeyId,
    creationUs: now,
    lastUpdatedUs: now,
  });
  return ok({});
}

export function* UpdateAlias(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = aliasName(input);
  if (name instanceof Rejection) return name;
  const targetId = requiredString(input, "TargetKeyId", 1, 2048);
  if (targetId instanceof Rejection) return targetId;
  const alias = existing(kms, caller, name);
  if (alias instanceof Rejection) return alias;
  const key = kms.resolveKey(caller, targetId, false, "NotFoundException");
  if (key instanceof Rejection) return key;
  const current = kms.keys.get(kms.keyArn(alias.account, alias.TargetKeyId));
  if (current === undefined) throw new Error(`kms: alias ${alias.AliasArn} points at no key`);
  const refused =
    access.authorizeIam(kms, caller, "kms:UpdateAlias", alias.AliasArn) ??
    access.authorizeKey(kms, caller, "kms:UpdateAlias", current) ??
    access.authorizeKey(kms, caller, "kms:UpdateAlias", key) ??
    checkKeyState("UpdateAlias", key, kms.keyState(key)); // §5.5 fn 10: only the new key's state matters
  if (refused !== undefined) return refused;
  if (key.KeyId !== alias.TargetKeyId && aliasesOf(kms, key) >= ALIASES_PER_KEY_MAX)
    return new Rejection("LimitExceededException", `A KMS key can have at most ${ALIASES_PER_KEY_MAX} aliases.`);
  alias.TargetKeyId = key.KeyId;
  alias.lastUpdatedUs = kms.nowUs;
  return ok({});
}

export function* DeleteAlias(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = aliasName(input);
  if (name instanceof Rejection) return name;
  const alias = existing(kms, caller, name);
  if (alias instanceof Rejection) return alias;
  const key = kms.keys.get(kms.keyArn(alias.account, alias.TargetKeyId));
  if (key === undefined) throw new Error(`kms: alias ${alias.AliasArn} points at no key`);
  const refused =
    access.authorizeIam(kms, caller, "kms:DeleteAlias", alias.AliasArn) ?? access.authorizeKey(kms, caller, "kms:DeleteAlias", key);
  if (refused !== undefined) return refused;
  kms.aliases.delete(alias.AliasArn);
  return ok({});
}

/** Spec §6.2: the caller's account's aliases in creation order, or those of one key, paged (IAM only). */
export function* ListAliases(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = optionalString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const paging = pageParams(input, 100, 50);
  if (paging instanceof Rejection) return paging;
  const denied = access.authorizeIam(kms, caller, "kms:ListAliases");
  if (denied !== undefined) return denied;
  const account = IamDirectory.accountOf(caller);
  const key = keyId === undefined ? undefined : kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const all = [...kms.aliases.values()].filter(
    (a) => a.account === account && (key === undefined || (key.account === account && a.TargetKeyId === key.KeyId)),
  );
  const listed = page(all, paging, "Aliases", (a) => ({
    AliasName: a.AliasName,
    AliasArn: a.AliasArn,
    TargetKeyId: a.TargetKeyId,
    CreationDate: kms.date(a.creationUs),
    LastUpdatedDate: kms.date(a.lastUpdatedUs),
  }));
  return listed instanceof Rejection ? listed : ok(listed);
}
