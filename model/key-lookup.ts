// Finding a key and reading it (spec §1, §2, §5.3, §5.5, §6.3): a KeyId in the forms the operation
// accepts, the derived KeyState (never stored), the key-state table's verdict for an operation, and
// KeyMetadata as DescribeKey and CreateKey answer it.
import { accountOf } from "./authorize.ts";
import { dateOf, type CallContext } from "./context.ts";
import { checkKeyState, type KeyStateName } from "./key-states.ts";
import type { OutputPattern } from "../protocol/pattern.ts";
import { refuse, type Check } from "./refusal.ts";
import type { ModelKey, ModelState, ModelWorld } from "./state.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function keyState(state: ModelState, key: ModelKey): KeyStateName {
  if (key.deletionAtUs !== undefined) return "PendingDeletion"; // §5.5 fn 13: even while the store is down
  if (key.storeId !== undefined && state.stores.find((s) => s.id === key.storeId)?.state !== "CONNECTED") return "Unavailable";
  return key.enabled ? "Enabled" : "Disabled";
}

/** Spec §1, §6.3: key id or key ARN; alias name or alias ARN only where `aliases` (crypto, DescribeKey). */
export function* resolveKey(ctx: CallContext, keyId: string, aliases: boolean): Check<ModelKey> {
  const { world, state } = ctx;
  const account = accountOf(ctx.caller.arn);
  const arnMatch = /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/(.*)$/.exec(keyId);
  let arn: string | undefined;
  if (UUID.test(keyId)) arn = `arn:aws:kms:${world.region}:${account}:key/${keyId}`;
  else if (arnMatch !== null && UUID.test(arnMatch[1] ?? "")) arn = keyId;
  else if (aliases && (keyId.startsWith("alias/") || /^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\/.+$/.test(keyId))) {
    // §6.3: an alias name resolves in the caller's account; an alias ARN names its own.
    const aliasArn = keyId.startsWith("alias/") ? `arn:aws:kms:${world.region}:${account}:${keyId}` : keyId;
    arn =
      state.aliases.find((a) => a.arn === aliasArn)?.targetArn ?? (yield* refuse("NotFoundException", `Alias ${aliasArn} is not found.`));
  }
  if (arn === undefined) return yield* refuse("NotFoundException", `Invalid keyId '${keyId}'`);
  return state.keys.find((k) => k.arn === arn) ?? (yield* refuse("NotFoundException", `Key '${arn}' does not exist`));
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
    ...(key.deletionAtUs !== undefined ? { DeletionDate: dateOf(world, key.deletionAtUs) } : {}),
    ...(key.storeId !== undefined
      ? { CustomKeyStoreId: key.storeId, CloudHsmClusterId: state.stores.find((s) => s.id === key.storeId)?.clusterId ?? "" }
      : {}),
  };
}
