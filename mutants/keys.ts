// Mutants of key states, aliases, tags, deletion and quotas (spec §5, §6, §7, §11).
import { KEY_POLICY_BYTES_MAX } from "../sim/kms/key-policies.ts";
import { access } from "../sim/kms/access.ts";
import { VirtualKms } from "../sim/kms/kms.ts";
import type { KeyRecord } from "../sim/kms/state.ts";
import { patch, type Mutant, type Undo } from "./mutant.ts";
import { keyNamed, thenOnKey, withChange, wrapOperation } from "./seams.ts";

const DAY_US = 86_400_000_000;
/** A tag key no call names (a NUL is not in a tag key's pattern), for a mutant's stand-in tag. */
const PHANTOM_TAG = "\u0000mutant";

/** A key's field set to `value` for the length of a call. */
function setFor<K extends keyof KeyRecord>(key: KeyRecord | undefined, field: K, value: KeyRecord[K], when: boolean): Undo | undefined {
  if (key === undefined || !when) return undefined;
  const had = Object.hasOwn(key, field);
  const before = key[field];
  if (value === undefined) delete key[field];
  else key[field] = value;
  return () => {
    if (had) key[field] = before;
    else delete key[field];
  };
}

export const KEY_MUTANTS: Mutant[] = [
  {
    name: "store-down-keys-enabled",
    area: "key states",
    description: "keys stay Enabled while their custom key store is not CONNECTED",
    scenarios: ["default"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualKms.prototype,
        "keyState",
        () => (key) => (key.deletionUs !== undefined ? "PendingDeletion" : key.enabled ? "Enabled" : "Disabled"),
      ),
  },
  {
    name: "disable-key-noop",
    area: "key states",
    description: "DisableKey answers success and leaves the key enabled",
    scenarios: ["default"],
    expected: { kind: "mismatch", check: "state-audit" },
    apply: () =>
      wrapOperation(
        "DisableKey",
        () => () =>
          (function* () {
            return { ok: true as const, output: {} };
          })(),
      ),
  },
  {
    name: "disabled-key-encrypts",
    area: "key states",
    description: "Encrypt goes ahead on a Disabled key",
    scenarios: ["default", "keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("Encrypt", (original) =>
        withChange(original, (kms, caller, input) => setFor(keyNamed(kms, caller, input), "enabled", true, true)),
      ),
  },
  {
    name: "enable-pending-deletion",
    area: "key states",
    description: "EnableKey succeeds on a key pending deletion (and leaves it pending)",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("EnableKey", (original) =>
        withChange(original, (kms, caller, input) => {
          const key = keyNamed(kms, caller, input);
          return setFor(key, "deletionUs", undefined, key?.deletionUs !== undefined);
        }),
      ),
  },
  {
    name: "cancel-deletion-enables-key",
    area: "deletion",
    description: "CancelKeyDeletion puts the key back to Enabled instead of Disabled (as local-kms does)",
    scenarios: ["keys", "keystores"],
    expected: { kind: "mismatch" },
    apply: () => wrapOperation("CancelKeyDeletion", (original) => thenOnKey(original, (_, key) => (key.enabled = true))),
  },
  {
    name: "material-deleted-while-disconnected",
    area: "deletion",
    description: "a deleted CloudHSM key's material is deleted even though its store is disconnected",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualKms.prototype,
        "deleteKey",
        (deleteKey) =>
          function (this: VirtualKms, key: KeyRecord) {
            deleteKey.call(this, key);
            for (const cluster of this.ctx.cloudhsm.clusters.values()) cluster.deleteKeyObjects(key.Arn);
          },
      ),
  },
  {
    name: "deletion-a-day-late",
    area: "deletion",
    description: "ScheduleKeyDeletion keeps the key a day longer than the DeletionDate it answers",
    scenarios: ["keys", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("ScheduleKeyDeletion", (original) =>
        thenOnKey(original, (kms, key) => {
          if (key.deletionUs === undefined) return;
          const deletionUs = key.deletionUs + DAY_US;
          key.deletionUs = deletionUs;
          kms.ctx.scheduler.after(deletionUs - kms.nowUs, `delete ${key.Arn}`, () => {
            if (kms.keys.get(key.Arn) === key && key.deletionUs === deletionUs) kms.deleteKey(key);
          });
        }),
      ),
  },
  {
    name: "alias-outlives-key",
    area: "aliases",
    description: "a key's aliases are kept when the key is deleted",
    scenarios: ["keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualKms.prototype,
        "deleteKey",
        (deleteKey) =>
          function (this: VirtualKms, key: KeyRecord) {
            const kept = [...this.aliases].filter(([, a]) => a.account === key.account && a.TargetKeyId === key.KeyId);
            deleteKey.call(this, key);
            for (const [arn, alias] of kept) this.aliases.set(arn, alias);
          },
      ),
  },
  {
    name: "update-alias-noop",
    area: "aliases",
    description: "UpdateAlias answers success and leaves the alias where it was",
    scenarios: ["keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "UpdateAlias",
        (update) =>
          function* (kms, caller, input) {
            const before = new Map([...kms.aliases].map(([arn, a]) => [arn, a.TargetKeyId]));
            const outcome = yield* update(kms, caller, input);
            for (const [arn, target] of before) {
              const alias = kms.aliases.get(arn);
              if (alias !== undefined) alias.TargetKeyId = target;
            }
            return outcome;
          },
      ),
  },
  {
    name: "alias-onto-pending-deletion",
    area: "aliases",
    description: "CreateAlias points a new alias at a key pending deletion",
    scenarios: ["keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("CreateAlias", (original) =>
        withChange(original, (kms, caller, input) => {
          const key = keyNamed(kms, caller, input, "TargetKeyId");
          return setFor(key, "deletionUs", undefined, key?.deletionUs !== undefined);
        }),
      ),
  },
  {
    name: "untag-removes-all",
    area: "tags",
    description: "UntagResource removes every tag of the key, not just those named",
    scenarios: ["keys"],
    expected: { kind: "mismatch" },
    apply: () => wrapOperation("UntagResource", (original) => thenOnKey(original, (_, key) => key.tags.clear())),
  },
  {
    name: "tag-value-not-overwritten",
    area: "tags",
    description: "TagResource keeps the old value of a tag key the key already has",
    scenarios: ["keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "TagResource",
        (original) =>
          function* (kms, caller, input) {
            const key = keyNamed(kms, caller, input);
            const before = new Map(key?.tags ?? []);
            const outcome = yield* original(kms, caller, input);
            if (outcome.ok && key !== undefined) for (const [k, v] of before) key.tags.set(k, v);
            return outcome;
          },
      ),
  },
  {
    name: "store-quota-not-enforced",
    area: "quotas",
    description: "the custom key store's request quota is never enforced",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () => patch(VirtualKms.prototype, "countStoreRequest", () => () => undefined),
  },
  {
    name: "grant-quota-off-by-one",
    area: "quotas",
    description: "a key takes one grant more than its grants-per-key quota",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("CreateGrant", (original) =>
        withChange(original, (kms) => {
          const options = kms.ctx.options;
          kms.ctx.options = { ...options, grantsPerKey: options.grantsPerKey + 1 };
          return () => void (kms.ctx.options = options);
        }),
      ),
  },
  {
    name: "tag-quota-off-by-one",
    area: "quotas",
    description: "a key takes one tag less than its quota: the 50th is LimitExceededException",
    scenarios: ["default", "keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("TagResource", (original) =>
        withChange(original, (kms, caller, input) => {
          const key = keyNamed(kms, caller, input);
          if (key === undefined) return undefined;
          key.tags.set(PHANTOM_TAG, ""); // counted by the call, gone when it ends
          return () => void key.tags.delete(PHANTOM_TAG);
        }),
      ),
  },
  {
    name: "key-policy-size-off-by-one",
    area: "quotas",
    description: "a key policy of exactly 32 KB, the limit, is LimitExceededException",
    scenarios: ["default", "authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "PutKeyPolicy",
        (original) =>
          function (kms, caller, input) {
            const policy = input["Policy"];
            const atLimit = typeof policy === "string" && Buffer.byteLength(policy, "utf8") === KEY_POLICY_BYTES_MAX;
            return original(kms, caller, atLimit ? { ...input, Policy: `${policy} ` } : input);
          },
      ),
  },
  {
    name: "create-key-tags-unauthorized",
    area: "key policies",
    description: "CreateKey with Tags does not need kms:TagResource in an IAM policy",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      patch(
        access,
        "authorizeIam",
        (authorizeIam) => (kms, caller, action, resource, conditions) =>
          action === "kms:TagResource" && (resource ?? "*") === "*" ? undefined : authorizeIam(kms, caller, action, resource, conditions),
      ),
  },
  {
    name: "key-spec-both-names-taken",
    area: "key states",
    description: "CreateKey given both KeySpec and its deprecated name CustomerMasterKeySpec takes KeySpec instead of refusing",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      wrapOperation(
        "CreateKey",
        (original) =>
          function (kms, caller, input) {
            if (input["KeySpec"] === undefined) return original(kms, caller, input);
            const { CustomerMasterKeySpec: _, ...rest } = input;
            return original(kms, caller, rest);
          },
      ),
  },
];
