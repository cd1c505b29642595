// Tags and descriptions (spec §7, §5.6): TagResource adds or overwrites; UntagResource removes,
// ignoring unknown keys; ListResourceTags lists in TagKey order, a page at a time; at most 50 tags per
// key; "aws:" keys are reserved (TagException) [MODEL CHOICE]. A marker is the decimal index of the
// next item [MODEL CHOICE, shared with the virtual KMS so the model can read the markers it issues].
import type { Json, JsonObject } from "../protocol/step.ts";
import type { RequestContext } from "./conditions.ts";
import type { Branch, CallContext } from "./context.ts";
import { needKey, needState, resolveKey } from "./keys.ts";
import { okPattern } from "../protocol/pattern.ts";
import { page, pageParams } from "./paging.ts";
import { refuse, text } from "./refuse.ts";
import { copy, type ModelKey } from "./state.ts";

const TAGS_MAX = 50;

/** A Tags parameter as pairs, or ValidationException. */
export function tagList(input: JsonObject, name: string): [string, string][] {
  const raw: Json | undefined = input[name];
  if (!Array.isArray(raw)) return refuse("ValidationException");
  return raw.map((t) => {
    if (typeof t !== "object" || t === null || Array.isArray(t)) return refuse("ValidationException");
    const k = t["TagKey"];
    const v = t["TagValue"];
    if (typeof k !== "string" || k.length === 0 || k.length > 128 || typeof v !== "string" || v.length > 256) refuse("ValidationException");
    return [k as string, v as string];
  });
}

/** The key's tags after adding `pairs`, or the refusal §7 gives. */
export function withTags(key: ModelKey, pairs: [string, string][]): Record<string, string> {
  if (pairs.some(([k]) => k.startsWith("aws:"))) refuse("TagException");
  const tags = { ...key.tags, ...Object.fromEntries(pairs) };
  if (Object.keys(tags).length > TAGS_MAX) refuse("LimitExceededException");
  return tags;
}

/** §9.6: aws:TagKeys of a request with tags `pairs`, and (when tags are set) aws:RequestTag/* too. */
export function tagConditions(pairs: [string, string][], setting: boolean): RequestContext {
  if (pairs.length === 0) return {};
  const out: RequestContext = { "aws:TagKeys": [...new Set(pairs.map(([k]) => k))].sort() };
  if (setting) for (const [k, v] of pairs) out[`aws:RequestTag/${k}`] = [v];
  return out;
}

function changeKey(ctx: CallContext, key: ModelKey, change: (k: ModelKey) => void): Branch[] {
  const next = copy(ctx.state);
  change(next.keys.find((k) => k.arn === key.arn)!);
  return [{ outcome: okPattern(), next: () => next }];
}

export function TagResource(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const pairs = tagList(ctx.input, "Tags");
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:TagResource", key, { conditions: tagConditions(pairs, true) });
  needState(ctx, "TagResource", key);
  const tags = withTags(key, pairs);
  return changeKey(ctx, key, (k) => (k.tags = tags));
}

export function UntagResource(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const names = ctx.input["TagKeys"];
  if (!Array.isArray(names) || names.some((n) => typeof n !== "string" || n.length === 0 || n.length > 128)) refuse("ValidationException");
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:UntagResource", key, {
    conditions: tagConditions(
      (names as string[]).map((n) => [n, ""]),
      false,
    ),
  });
  needState(ctx, "UntagResource", key);
  return changeKey(ctx, key, (k) => {
    for (const n of names as string[]) delete k.tags[n];
  });
}

export function ListResourceTags(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const paging = pageParams(ctx, 50, 50);
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:ListResourceTags", key);
  needState(ctx, "ListResourceTags", key);
  const all = Object.entries(key.tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [{ outcome: okPattern(page(all, paging, "Tags", ([TagKey, TagValue]) => ({ TagKey, TagValue }))), next: () => ctx.state }];
}

export function UpdateKeyDescription(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const description = text(ctx.input, "Description", 0, 8192, true)!;
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:UpdateKeyDescription", key);
  needState(ctx, "UpdateKeyDescription", key);
  return changeKey(ctx, key, (k) => (k.description = description));
}
