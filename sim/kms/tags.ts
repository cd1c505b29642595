// Tags and descriptions of the virtual KMS (spec §7, §5.6): TagResource adds or overwrites,
// UntagResource removes (unknown keys ignored, "aws:" ones refused), ListResourceTags pages through them in TagKey order,
// UpdateKeyDescription. Up to 50 tags per key; duplicate keys, more than 50 in one request and keys
// under "aws:" (any case) are a TagException. Markers are the decimal index of the next item.
import type { Proc } from "../kernel/process.ts";
import { ok, type Json, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { Rejection, requiredString } from "../wire/validate.ts";
import { checkKeyState } from "./key-states.ts";
import { page, pageParams } from "./paging.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import type { KeyRecord } from "./state.ts";

/** Tags one key may carry (spec §7). */
export const TAGS_PER_KEY_MAX = 50;

function validationError(param: string, problem: string): Rejection {
  return new Rejection("ValidationException", `1 validation error detected: Value at '${param}' failed to satisfy constraint: ${problem}`);
}

/** Reads a Tags list: [{TagKey 1–128, TagValue 0–256}], refusing reserved "aws:" keys. */
export function readTags(input: JsonObject, param: string): [string, string][] | Rejection {
  const raw = input[param];
  if (!Array.isArray(raw)) return validationError(param, "Member must be a list of tags");
  const tags: [string, string][] = [];
  for (let i = 0; i < raw.length; i++) {
    const t: Json = raw[i]!;
    if (typeof t !== "object" || t === null || Array.isArray(t)) return validationError(`${param}.${i}`, "Member must be a tag");
    const key = t["TagKey"];
    const value = t["TagValue"];
    if (typeof key !== "string" || key.length < 1 || key.length > 128)
      return validationError(`${param}.${i}.TagKey`, "Member must have length between 1 and 128");
    if (typeof value !== "string" || value.length > 256)
      return validationError(`${param}.${i}.TagValue`, "Member must have length between 0 and 256");
    tags.push([key, value]);
  }
  return tags;
}

/**
 * Applies tags to a key, or refuses as AWS does (texts of LocalStack's AWS-validated KMS provider): a
 * tag key named twice in the request, more than 50 tags in it, or a key starting with "aws:" in any
 * case (TagException); more than 50 on the key afterwards (LimitExceededException).
 */
export function applyTags(key: KeyRecord, tags: [string, string][]): Rejection | undefined {
  const named = new Set<string>();
  for (const [k] of tags) {
    if (named.has(k)) return new Rejection("TagException", "Duplicate tag keys");
    named.add(k);
  }
  if (tags.length > TAGS_PER_KEY_MAX) return new Rejection("TagException", "Too many tags");
  if (tags.some(([k]) => /^aws:/i.test(k))) return new Rejection("TagException", "Tags beginning with aws: are reserved");
  const after = new Map(key.tags);
  for (const [k, v] of tags) after.set(k, v);
  if (after.size > TAGS_PER_KEY_MAX) return new Rejection("LimitExceededException", `A KMS key can have at most ${TAGS_PER_KEY_MAX} tags.`);
  key.tags = after;
  return undefined;
}

/** Spec §9.6: aws:TagKeys of a request naming tag keys, and aws:RequestTag/* when it sets values. */
export function tagConditions(tags: [string, string][], setting: boolean): Record<string, string[]> {
  if (tags.length === 0) return {};
  const values = new Map(tags);
  const out: Record<string, string[]> = { "aws:TagKeys": [...values.keys()].sort() };
  if (setting) for (const [k, v] of values) out[`aws:RequestTag/${k}`] = [v];
  return out;
}

export function* TagResource(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const tags = readTags(input, "Tags");
  if (tags instanceof Rejection) return tags;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:TagResource", key, { conditions: tagConditions(tags, true) }) ??
    checkKeyState("TagResource", key, kms.keyState(key)) ??
    applyTags(key, tags);
  return refused ?? ok({});
}

export function* UntagResource(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const names = input["TagKeys"];
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string" && n.length >= 1 && n.length <= 128)) {
    return validationError("TagKeys", "Member must be a list of tag keys of length between 1 and 128");
  }
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:UntagResource", key, {
      conditions: tagConditions(
        (names as string[]).map((n) => [n, ""]),
        false,
      ),
    }) ?? checkKeyState("UntagResource", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  // AWS's tags under "aws:" (any case) can be neither edited nor removed; KMS's docs do not say what
  // UntagResource answers [MODEL CHOICE]: a TagException, where TagResource checks its tags.
  if ((names as string[]).some((n) => /^aws:/i.test(n))) return new Rejection("TagException", "Tags beginning with aws: cannot be removed");
  for (const name of names as string[]) key.tags.delete(name);
  return ok({});
}

export function* ListResourceTags(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const paging = pageParams(input, 50, 50);
  if (paging instanceof Rejection) return paging;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:ListResourceTags", key) ?? checkKeyState("ListResourceTags", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  const all = [...key.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const listed = page(all, paging, "Tags", ([TagKey, TagValue]) => ({ TagKey, TagValue }));
  return listed instanceof Rejection ? listed : ok(listed);
}

export function* UpdateKeyDescription(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const description = requiredString(input, "Description", 0, 8192);
  if (description instanceof Rejection) return description;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const refused =
    access.authorizeKey(kms, caller, "kms:UpdateKeyDescription", key) ?? checkKeyState("UpdateKeyDescription", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  key.Description = description;
  return ok({});
}
