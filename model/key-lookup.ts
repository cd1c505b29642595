// Finding a key and reading it (spec §1, §2, §5.3, §5.5, §6.3): a KeyId in the forms the operation
// accepts, the derived KeyState (never stored), the key-state table's verdict for an operation, and
// KeyMetadata as DescribeKey and CreateKey answer it.
import { accountOf } from "./authorize.ts";
import { dateOf, type CallContext } from "./context.ts";
import { checkKeyState, type KeyStateName } from "./key-states.ts";
import type { OutputPattern } from "../protocol/pattern.ts";
import { refuse, type Check } from "./refusal.ts";
import type { ModelKey, ModelState, ModelStore, ModelWorld } from "./state.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function keyState(state: ModelState, key: ModelKey): KeyStateName {
  if (key.deletionAtUs !== undefined) return "PendingDeletion"; // §5.5 fn 13: even while the store is down
  if (key.storeId !== undefined && state.stores.find((s) => s.id === key.storeId)?.state !== "CONNECTED") return "Unavailable";
  return key.enabled ? "Enabled" : "Disabled";
}

const MRK = /^mrk-[0-9a-f]{32}$/;
const KMS_ARN = /^arn:aws:kms:([^:]*):(\d{12}):(key|alias)\/(.+)$/;

/**
 * Spec §1, §6.3: a key id (UUID, or `mrk-` + 32 hex for a multi-Region key) in the caller's account or
 * a key ARN; an alias name or alias ARN only where `aliases` (crypto, DescribeKey). The NotFound texts
 * are AWS's, recorded in LocalStack's snapshot of real answers (tests/aws/services/kms/
 * test_kms.snapshot.json: test_get_key_does_not_exist, test_get_key_invalid_uuid,
 * test_get_key_in_different_region). Something that starts "arn:" and is no KMS ARN is
 * `malformedArn`: InvalidArnException where the operation declares it (§1 and the operation tables), and
 * NotFoundException for those that declare none — the crypto operations (resolveCryptoKey), CreateAlias
 * and UpdateAlias [MODEL CHOICE; neither text is recorded, so not stated].
 */
export function* resolveKey(
  ctx: CallContext,
  keyId: string,
  aliases: boolean,
  malformedArn: "InvalidArnException" | "NotFoundException" = "InvalidArnException",
): Check<ModelKey> {
  const { world, state } = ctx;
  const account = accountOf(ctx.caller.arn);
  let arn: string;
  if (UUID.test(keyId) || MRK.test(keyId)) arn = `arn:aws:kms:${world.region}:${account}:key/${keyId}`;
  else if (keyId.startsWith("arn:")) {
    const parts = KMS_ARN.exec(keyId) ?? (yield* refuse(malformedArn));
    if (parts[1] !== world.region) return yield* refuse("NotFoundException", `Invalid arn ${parts[1]}`);
    arn = parts[3] === "key" ? keyId : yield* viaAlias(state, aliases, keyId);
  } else if (aliases && keyId.startsWith("alias/"))
    arn = yield* viaAlias(state, aliases, `arn:aws:kms:${world.region}:${account}:${keyId}`);
  else return yield* refuse("NotFoundException", `Invalid keyId '${keyId}'`);
  return state.keys.find((k) => k.arn === arn) ?? (yield* refuse("NotFoundException", `Key '${arn}' does not exist`));
}

/** The key ARN the alias `aliasArn` points at, where the operation takes aliases (`aliases`). */
function* viaAlias(state: ModelState, aliases: boolean, aliasArn: string): Check<string> {
  if (!aliases) return yield* refuse("NotFoundException", `Invalid keyId '${aliasArn}'`);
  const alias = state.aliases.find((a) => a.arn === aliasArn);
  return alias?.targetArn ?? (yield* refuse("NotFoundException", `Alias ${aliasArn} is not found.`));
}

/** A crypto operation's KeyId (§8): any form, aliases too; a malformed ARN is NotFoundException (Encrypt, Decrypt, ReEncrypt and GenerateDataKey* declare no InvalidArnException). */
export function resolveCryptoKey(ctx: CallContext, keyId: string): Check<ModelKey> {
  return resolveKey(ctx, keyId, true, "NotFoundException");
}

/** §3.4: custom key stores are never cross-account — a caller sees only its own account's. */
export function callerStores(ctx: CallContext): ModelStore[] {
  const account = accountOf(ctx.caller.arn);
  return ctx.state.stores.filter((s) => s.account === account);
}

/** §5.5: refuses as the key-state table says for `operation` on `key`. */
export function needState(ctx: CallContext, operation: string, key: ModelKey): Check<void> {
  return checkKeyState(operation, keyState(ctx.state, key), key.arn);
}

export function metadata(world: ModelWorld, state: ModelState, key: ModelKey): OutputPattern {
  const keyStateNow = keyState(state, key);
  return {
    AWSAccountId: key.account,
    KeyId: key.id,
    Arn: key.arn,
    CreationDate: dateOf(world, key.creationUs),
    Enabled: keyStateNow === "Enabled",
    Description: key.description,
    KeyUsage: "ENCRYPT_DECRYPT",
    KeyState: keyStateNow,
    Origin: key.origin,
    KeyManager: "CUSTOMER",
    CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
    KeySpec: "SYMMETRIC_DEFAULT",
    EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"],
    MultiRegion: false,
    // §2: KeyMetadata.CurrentKeyMaterialId, present for symmetric keys of AWS_KMS origin (KMS service model).
    ...(key.materialId !== undefined ? { CurrentKeyMaterialId: key.materialId } : {}),
    ...(key.deletionAtUs !== undefined ? { DeletionDate: dateOf(world, key.deletionAtUs) } : {}),
    ...(key.storeId !== undefined
      ? { CustomKeyStoreId: key.storeId, CloudHsmClusterId: state.stores.find((s) => s.id === key.storeId)?.clusterId ?? "" }
      : {}),
  };
}
