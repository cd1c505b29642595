// Tags and descriptions (spec §7, §5.6): TagResource adds or overwrites; UntagResource removes,
// ignoring unknown keys; ListResourceTags lists in TagKey order, a page at a time; at most 50 tags per
// key; duplicate, too many and "aws:" keys are a TagException (see withTags); UpdateKeyDescription.
import { okPattern } from "../protocol/pattern.ts";
import type { Json, JsonObject } from "../protocol/step.ts";
import { needKey } from "./access.ts";
import type { RequestContext } from "./conditions.ts";
import { goesAhead, type Branch, type CallContext } from "./context.ts";
import { needState, resolveKey } from "./key-lookup.ts";
import { page, pageParams } from "./paging.ts";
import { refuse, requiredText, type Check } from "./refusal.ts";
import { withKey } from "./state-change.ts";

const TAGS_MAX = 50;

/** A Tags parameter as pairs, or ValidationException. */
export function* tagList(input: JsonObject, name: string): Check<[string, string][]> {
  const raw: Json | undefined = input[name];
  if (!Array.isArray(raw)) return yield* refuse("ValidationException");
  const pairs: [string, string][] = [];
  for (const t of raw) {
    const k = typeof t === "object" && t !== null && !Array.isArray(t) ? t["TagKey"] : undefined;
    const v = typeof t === "object" && t !== null && !Array.isArray(t) ? t["TagValue"] : undefined;
    if (typeof k !== "string" || k.length === 0 || k.length > 128 || typeof v !== "string" || v.length > 256) {
      return yield* refuse("ValidationException");
    }
    pairs.push([k, v]);
  }
  return pairs;
}

/**
 * A key's tags `tags` after adding `pairs`, or the refusal §7 gives: a request naming a tag key twice,
 * carrying more than 50 tags, or a key that starts with "aws:" in any case is a TagException (AWS's
 * texts, as LocalStack's AWS-validated KMS provider answers them); more than 50 on the key after it is
 * LimitExceededException. Checked in that order [MODEL CHOICE].
 */
export function* withTags(tags: Record<string, string>, pairs: [string, string][]): Check<Record<string, string>> {
  if (new Set(pairs.map(([k]) => k)).size < pairs.length) return yield* refuse("TagException", "Duplicate tag keys");
  if (pairs.length > TAGS_MAX) return yield* refuse("TagException", "Too many tags");
  if (pairs.some(([k]) => k.toLowerCase().startsWith("aws:")))
    return yield* refuse("TagException", "Tags beginning with aws: are reserved");
  const next = { ...tags, ...Object.fromEntries(pairs) };
  if (Object.keys(next).length > TAGS_MAX) return yield* refuse("LimitExceededException");
  return next;
}

/** §9.6: aws:TagKeys of a request with tags `pairs`, and (when tags are set) aws:RequestTag/* too. */
export function tagConditions(pairs: [string, string][], setting: boolean): RequestContext {
  if (pairs.length === 0) return {};
  const out: RequestContext = { "aws:TagKeys": [...new Set(pairs.map(([k]) => k))].sort() };
  if (setting) for (const [k, v] of pairs) out[`aws:RequestTag/${k}`] = [v];
  return out;
}

export function* TagResource(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const pairs = yield* tagList(ctx.input, "Tags");
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:TagResource", key, { conditions: tagConditions(pairs, true) });
  yield* needState(ctx, "TagResource", key);
  const tags = yield* withTags(key.tags, pairs);
  return goesAhead(ctx, okPattern(), () => withKey(ctx.state, key.arn, (k) => (k.tags = tags)));
}

export function* UntagResource(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const names = ctx.input["TagKeys"];
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n.length === 0 || n.length > 128)) {
    return yield* refuse("ValidationException");
  }
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:UntagResource", key, {
    conditions: tagConditions(
      (names as string[]).map((n) => [n, ""]),
      false,
    ),
  });
  yield* needState(ctx, "UntagResource", key);
  // §7 [MODEL CHOICE]: AWS tags under "aws:" can be neither edited nor removed (AWS's general tagging
  // rules; KMS's UntagResource docs are silent): a TagKey starting "aws:" in any case is a TagException,
  // checked where TagResource checks its tags. AWS's text is not recorded, so not stated.
  if ((names as string[]).some((n) => n.toLowerCase().startsWith("aws:"))) return yield* refuse("TagException");
  return goesAhead(ctx, okPattern(), () =>
    withKey(
      ctx.state,
      key.arn,
      (k) => void (k.tags = Object.fromEntries(Object.entries(k.tags).filter(([n]) => !(names as string[]).includes(n)))),
    ),
  );
}

export function* ListResourceTags(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const paging = yield* pageParams(ctx, 50, 50);
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:ListResourceTags", key);
  yield* needState(ctx, "ListResourceTags", key);
  const all = Object.entries(key.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return goesAhead(ctx, okPattern(yield* page(all, paging, "Tags", ([TagKey, TagValue]) => ({ TagKey, TagValue }))));
}

export function* UpdateKeyDescription(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const description = yield* requiredText(ctx.input, "Description", 0, 8192);
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:UpdateKeyDescription", key);
  yield* needState(ctx, "UpdateKeyDescription", key);
  return goesAhead(ctx, okPattern(), () => withKey(ctx.state, key.arn, (k) => (k.description = description)));
}
