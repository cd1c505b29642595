// Alias rules (spec §6): CreateAlias, UpdateAlias, DeleteAlias, ListAliases. A name in the caller's
// account points at one key of that account, at most 50 per key [§15.7]; alias operations are not
// cross-account (§9.1); the alias needs IAM permission, its key (old and new) the key policy (§6.2).
// A reserved "alias/aws/" name is refused, with an error AWS does not document (model/ambiguities.ts).
// Check order §16; listing in creation order, markers the decimal index of the next item [MODEL CHOICE].
import type { Branch, CallContext } from "./context.ts";
import { dateOf, needIam } from "./context.ts";
import { needKey, needState, resolveKey } from "./keys.ts";
import { okPattern } from "../protocol/pattern.ts";
import { page, pageParams } from "./paging.ts";
import { accountOf } from "./authorize.ts";
import { refuseAmbiguous } from "./ambiguities.ts";
import { refuse, text } from "./refuse.ts";
import { copy, type ModelAlias, type ModelKey } from "./state.ts";

const ALIASES_PER_KEY_MAX = 50;

function aliasName(ctx: CallContext): string {
  const name = text(ctx.input, "AliasName", 1, 256, true)!;
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name) || !name.startsWith("alias/") || name === "alias/") refuse("ValidationException");
  return name;
}

const arnOf = (ctx: CallContext, name: string): string => `arn:aws:kms:${ctx.world.region}:${accountOf(ctx.caller.arn)}:${name}`;

function existing(ctx: CallContext, name: string): ModelAlias {
  const arn = arnOf(ctx, name);
  return ctx.state.aliases.find((a) => a.arn === arn) ?? refuse("NotFoundException", `Alias ${arn} is not found.`);
}

const aliasCount = (ctx: CallContext, key: ModelKey): number => ctx.state.aliases.filter((a) => a.targetArn === key.arn).length;

export function CreateAlias(ctx: CallContext): Branch[] {
  const name = aliasName(ctx);
  const target = text(ctx.input, "TargetKeyId", 1, 2048, true)!;
  if (name.startsWith("alias/aws/")) refuseAmbiguous("reserved alias name");
  const key = resolveKey(ctx, target, false);
  const arn = arnOf(ctx, name);
  needIam(ctx, "kms:CreateAlias", { resource: arn });
  needKey(ctx, "kms:CreateAlias", key);
  needState(ctx, "CreateAlias", key);
  if (ctx.state.aliases.some((a) => a.arn === arn)) refuse("AlreadyExistsException");
  if (aliasCount(ctx, key) >= ALIASES_PER_KEY_MAX) refuse("LimitExceededException");
  const next = copy(ctx.state);
  next.aliases.push({ name, arn, account: accountOf(ctx.caller.arn), targetArn: key.arn, creationUs: ctx.nowUs, updatedUs: ctx.nowUs });
  return [{ outcome: okPattern({}), next: () => next }];
}

export function UpdateAlias(ctx: CallContext): Branch[] {
  const name = aliasName(ctx);
  const target = text(ctx.input, "TargetKeyId", 1, 2048, true)!;
  const alias = existing(ctx, name);
  const key = resolveKey(ctx, target, false);
  const current = ctx.state.keys.find((k) => k.arn === alias.targetArn);
  if (current === undefined) throw new Error(`model: alias ${alias.arn} points at no key`);
  needIam(ctx, "kms:UpdateAlias", { resource: alias.arn });
  needKey(ctx, "kms:UpdateAlias", current);
  needKey(ctx, "kms:UpdateAlias", key);
  needState(ctx, "UpdateAlias", key); // §5.5 fn 10: the new key's state only
  if (key.arn !== alias.targetArn && aliasCount(ctx, key) >= ALIASES_PER_KEY_MAX) refuse("LimitExceededException");
  const next = copy(ctx.state);
  const moved = next.aliases.find((a) => a.arn === alias.arn)!;
  moved.targetArn = key.arn;
  moved.updatedUs = ctx.nowUs;
  return [{ outcome: okPattern({}), next: () => next }];
}

export function DeleteAlias(ctx: CallContext): Branch[] {
  const alias = existing(ctx, aliasName(ctx));
  const key = ctx.state.keys.find((k) => k.arn === alias.targetArn);
  if (key === undefined) throw new Error(`model: alias ${alias.arn} points at no key`);
  needIam(ctx, "kms:DeleteAlias", { resource: alias.arn });
  needKey(ctx, "kms:DeleteAlias", key); // §5.5: in every key state
  const next = copy(ctx.state);
  next.aliases = next.aliases.filter((a) => a.arn !== alias.arn);
  return [{ outcome: okPattern({}), next: () => next }];
}

/** §6.2: the caller's account's aliases, or one key's, paged (IAM only, §9.1). */
export function ListAliases(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, false);
  const paging = pageParams(ctx, 100, 50);
  needIam(ctx, "kms:ListAliases");
  const account = accountOf(ctx.caller.arn);
  const key = keyId === undefined ? undefined : resolveKey(ctx, keyId, false);
  const mine = ctx.state.aliases.filter((a) => a.account === account && (key === undefined || a.targetArn === key.arn));
  const listed = page(mine, paging, "Aliases", (a) => ({
    AliasName: a.name,
    AliasArn: a.arn,
    TargetKeyId: a.targetArn.slice(a.targetArn.lastIndexOf("/") + 1),
    CreationDate: dateOf(ctx.world, a.creationUs),
    LastUpdatedDate: dateOf(ctx.world, a.updatedUs),
  }));
  return [{ outcome: okPattern(listed), next: () => ctx.state }];
}
