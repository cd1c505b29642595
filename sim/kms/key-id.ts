// The forms a KeyId parameter comes in (spec §1, §6.3), read from its text alone: a key id (a UUID, or
// `mrk-` and 32 hex digits for a multi-Region key), a key or alias ARN, an alias name, or none of
// these. What a form then names — which key, in which account — is resolveKey's (kms.ts), since it
// depends on the caller and on the aliases of the moment. The text says the same every time, and most
// calls name a key they named before, so each text is read once per KMS (KeyIdForms) instead of by
// three regular expressions on every call.

/** What the text of a KeyId parameter is, before any lookup. */
export type KeyIdForm =
  | { kind: "keyId" }
  | { kind: "keyArn" }
  | { kind: "aliasArn" }
  | { kind: "aliasName" }
  /** Starts "arn:" but is no KMS key or alias ARN. */
  | { kind: "malformedArn" }
  /** A KMS ARN in a Region other than the KMS's own. */
  | { kind: "otherRegion"; region: string }
  | { kind: "other" };

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION_KEY_ID = /^mrk-[0-9a-f]{32}$/;
const KMS_ARN = /^arn:aws:kms:([^:]*):(\d{12}):(key|alias)\/(.+)$/;

/** The form of `keyId` for a KMS in `region`. */
export function keyIdForm(keyId: string, region: string): KeyIdForm {
  if (KEY_ID.test(keyId) || MULTI_REGION_KEY_ID.test(keyId)) return { kind: "keyId" };
  if (keyId.startsWith("arn:")) {
    const m = KMS_ARN.exec(keyId);
    if (m === null) return { kind: "malformedArn" };
    if (m[1] !== region) return { kind: "otherRegion", region: m[1]! };
    return m[3] === "key" ? { kind: "keyArn" } : { kind: "aliasArn" };
  }
  return keyId.startsWith("alias/") ? { kind: "aliasName" } : { kind: "other" };
}

/**
 * The forms of the KeyId texts one KMS has read, by text. Lives as long as its KMS (one run), so it
 * holds at most the texts that run's calls sent.
 */
export class KeyIdForms {
  private readonly byText = new Map<string, KeyIdForm>();

  constructor(private readonly region: string) {}

  of(keyId: string): KeyIdForm {
    let form = this.byText.get(keyId);
    if (form === undefined) this.byText.set(keyId, (form = keyIdForm(keyId, this.region)));
    return form;
  }
}

/** The key ARN `arn:aws:kms:<region>:<account>:key/<keyId>` (VirtualKms.keyArn). */
export function keyArnOf(region: string, account: string, keyId: string): string {
  return `${KEY_ARN_PREFIX}${region}:${account}${KEY_ARN_KEY}${keyId}`;
}

/**
 * Is `text` the key ARN keyArnOf makes of these parts? Read in
 * place, piece by piece, for the checks that ask it of every alias on every call (the
 * kms:ResourceAliases condition key, the state audit) and would otherwise build each ARN to compare.
 */
export function isKeyArn(text: string, region: string, account: string, keyId: string): boolean {
  const length = KEY_ARN_PREFIX.length + region.length + 1 + account.length + KEY_ARN_KEY.length + keyId.length;
  if (text.length !== length || !text.startsWith(KEY_ARN_PREFIX)) return false;
  let at = KEY_ARN_PREFIX.length;
  if (!text.startsWith(region, at) || text.charCodeAt(at + region.length) !== COLON) return false;
  at += region.length + 1;
  if (!text.startsWith(account, at) || !text.startsWith(KEY_ARN_KEY, at + account.length)) return false;
  return text.startsWith(keyId, at + account.length + KEY_ARN_KEY.length);
}

const KEY_ARN_PREFIX = "arn:aws:kms:";
const KEY_ARN_KEY = ":key/";
const COLON = 0x3a;
