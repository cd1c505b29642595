// Alias rules (spec §6): CreateAlias, UpdateAlias, DeleteAlias, ListAliases. A name in the caller's
// account points at one key of that account, at most 50 per key [§15.7]; alias operations are not
// cross-account (§9.1); the alias needs IAM permission, its key (old and new) the key policy (§6.2).
// A reserved "alias/aws/" name is refused, with an error AWS does not document (model/ambiguities.ts).
// Check order §16; listing in creation order, markers the decimal index of the next item [MODEL CHOICE].
import { okPattern } from "../protocol/pattern.ts";
import { needIam, needKey } from "./access.ts";
import { refuseAmbiguous } from "./ambiguities.ts";
import { accountOf } from "./authorize.ts";
import { dateOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { needState, resolveKey } from "./key-lookup.ts";
import { page, pageParams } from "./paging.ts";
import { optionalText, refuse, requiredText, type Check } from "./refusal.ts";
import type { ModelAlias, ModelKey } from "./state.ts";
import { changed } from "./state-change.ts";
import { packedMap } from "../protocol/packed-map.ts";

const ALIASES_PER_KEY_MAX = 50;

/** Recorded from real AWS (LocalStack tests/aws/services/kms/test_kms.snapshot.json, test_create_alias). */
const NEEDS_PREFIX =
  'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html';

/** §6.1: the model's pattern is checked by the validation layer; a name must also start "alias/". */
function* aliasName(ctx: CallContext): Check<string> {
  const name = yield* requiredText(ctx.input, "AliasName", 1, 256);
  if (!name.startsWith("alias/") || name === "alias/") return yield* refuse("ValidationException", NEEDS_PREFIX);
  return name;
}

const arnOf = (ctx: CallContext, name: string): string => `arn:aws:kms:${ctx.world.region}:${accountOf(ctx.caller.arn)}:${name}`;

function* existing(ctx: CallContext, name: string): Check<ModelAlias> {
  const arn = arnOf(ctx, name);
  return ctx.state.aliases.find((a) => a.arn === arn) ?? (yield* refuse("NotFoundException", `Alias ${arn} is not found.`));
}

/** The key an alias points at: the model keeps no alias whose key is gone (§6.1). */
function target(ctx: CallContext, alias: ModelAlias): ModelKey {
  const key = ctx.state.keys.find((k) => k.arn === alias.targetArn);
  if (key === undefined) throw new Error(`model: alias ${alias.arn} points at no key`);
  return key;
}

const aliasCount = (ctx: CallContext, key: ModelKey): number => ctx.state.aliases.filter((a) => a.targetArn === key.arn).length;

export function* CreateAlias(ctx: CallContext): Check<Branch[]> {
  const name = yield* aliasName(ctx);
  const targetKeyId = yield* requiredText(ctx.input, "TargetKeyId", 1, 2048);
  if (name.startsWith("alias/aws/")) return yield* refuseAmbiguous("reserved alias name");
  const key = yield* resolveKey(ctx, targetKeyId, false, "NotFoundException"); // declares no InvalidArnException
  const arn = arnOf(ctx, name);
  yield* needIam(ctx, "kms:CreateAlias", { resource: arn });
  yield* needKey(ctx, "kms:CreateAlias", key);
  yield* needState(ctx, "CreateAlias", key);
  if (ctx.state.aliases.some((a) => a.arn === arn)) return yield* refuse("AlreadyExistsException");
  if (aliasCount(ctx, key) >= ALIASES_PER_KEY_MAX) return yield* refuse("LimitExceededException");
  const alias: ModelAlias = {
    name,
    arn,
    account: accountOf(ctx.caller.arn),
    targetArn: key.arn,
    creationUs: ctx.nowUs,
    updatedUs: ctx.nowUs,
  };
  return goesAhead(ctx, okPattern({}), () => changed(ctx.state, (next) => void (next.aliases = [...next.aliases, alias])));
}

export function* UpdateAlias(ctx: CallContext): Check<Branch[]> {
  const name = yield* aliasName(ctx);
  const targetKeyId = yield* requiredText(ctx.input, "TargetKeyId", 1, 2048);
  const alias = yield* existing(ctx, name);
  const key = yield* resolveKey(ctx, targetKeyId, false, "NotFoundException"); // declares no InvalidArnException
  yield* needIam(ctx, "kms:UpdateAlias", { resource: alias.arn });
  yield* needKey(ctx, "kms:UpdateAlias", target(ctx, alias));
  yield* needKey(ctx, "kms:UpdateAlias", key);
  yield* needState(ctx, "UpdateAlias", key); // §5.5 fn 10: the new key's state only
  if (key.arn !== alias.targetArn && aliasCount(ctx, key) >= ALIASES_PER_KEY_MAX) return yield* refuse("LimitExceededException");
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => {
      next.aliases = packedMap(next.aliases, (a) => (a.arn === alias.arn ? { ...a, targetArn: key.arn, updatedUs: ctx.nowUs } : a));
    }),
  );
}

export function* DeleteAlias(ctx: CallContext): Check<Branch[]> {
  const alias = yield* existing(ctx, yield* aliasName(ctx));
  yield* needIam(ctx, "kms:DeleteAlias", { resource: alias.arn });
  yield* needKey(ctx, "kms:DeleteAlias", target(ctx, alias)); // §5.5: in every key state
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => void (next.aliases = next.aliases.filter((a) => a.arn !== alias.arn))),
  );
}

/** §6.2: the caller's account's aliases, or one key's, paged (IAM only, §9.1). */
export function* ListAliases(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* optionalText(ctx.input, "KeyId", 1, 2048);
  const paging = yield* pageParams(ctx, 100, 50);
  yield* needIam(ctx, "kms:ListAliases");
  const account = accountOf(ctx.caller.arn);
  const key = keyId === undefined ? undefined : yield* resolveKey(ctx, keyId, false);
  const mine = ctx.state.aliases.filter((a) => a.account === account && (key === undefined || a.targetArn === key.arn));
  const listed = yield* page(mine, paging, "Aliases", (a) => ({
    AliasName: a.name,
    AliasArn: a.arn,
    TargetKeyId: a.targetArn.slice(a.targetArn.lastIndexOf("/") + 1),
    CreationDate: dateOf(ctx.world, a.creationUs),
    LastUpdatedDate: dateOf(ctx.world, a.updatedUs),
  }));
  return goesAhead(ctx, okPattern(listed));
}
