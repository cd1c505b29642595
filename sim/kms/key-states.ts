// Spec §5.5, the key-state effect table, as one piece of data for the virtual KMS: for each operation
// and KeyState, whether it goes ahead or which footnoted error it raises. Only the rows of operations
// kmsim answers, and only the states a CloudHSM-store model reaches (§5.2).
import type { KeyRecord, KeyState } from "./state.ts";
import { Rejection } from "../wire/validate.ts";

type Effect = "ok" | 1 | 3 | 4 | 11;

//                                 Enabled Disabled PendingDeletion Unavailable
// prettier-ignore
const TABLE: Record<string, [Effect, Effect, Effect, Effect]> = {
  Encrypt:             ["ok", 1,    3,    11],
  Decrypt:             ["ok", 1,    3,    11],
  EnableKey:           ["ok", "ok", 3,    "ok"], // Unavailable: fn 12, takes effect once available
  DisableKey:          ["ok", "ok", 3,    "ok"],
  ScheduleKeyDeletion: ["ok", "ok", 3,    "ok"],
  CancelKeyDeletion:   [4,    4,    "ok", 4],
  DescribeKey:         ["ok", "ok", "ok", "ok"],
  UpdateKeyDescription: ["ok", "ok", 3,   "ok"],
  TagResource:         ["ok", "ok", 3,    "ok"],
  UntagResource:       ["ok", "ok", 3,    "ok"],
  ListResourceTags:    ["ok", "ok", "ok", "ok"],
  CreateAlias:         ["ok", "ok", 3,    "ok"],
  UpdateAlias:         ["ok", "ok", 3,    "ok"], // of the new target; fn 10: the old one may be pending deletion
  GenerateDataKey:     ["ok", 1,    3,    11],
  GenerateDataKeyWithoutPlaintext: ["ok", 1, 3, 11],
  ReEncrypt:           ["ok", 1,    3,    11],
  CreateGrant:         ["ok", 1,    3,    "ok"], // Unavailable: ✓ (§5.5's asymmetry)
  // Rotation: a key in a custom key store (the only kind Unavailable reaches) is refused before its state (rotation.ts).
  EnableKeyRotation:   ["ok", 1,    3,    "ok"],
  DisableKeyRotation:  ["ok", 1,    3,    "ok"],
  GetKeyRotationStatus: ["ok", "ok", "ok", "ok"],
};
const COLUMN: Record<KeyState, number> = { Enabled: 0, Disabled: 1, PendingDeletion: 2, Unavailable: 3 };

/** The table's error for `operation` on `key` in `state`, if any. */
export function checkKeyState(operation: string, key: KeyRecord, state: KeyState): Rejection | undefined {
  const row = TABLE[operation];
  if (row === undefined) throw new Error(`key-states: no row for ${operation}`);
  const effect = row[COLUMN[state]];
  switch (effect) {
    case "ok":
      return undefined;
    case 1:
      return new Rejection("DisabledException", `${key.Arn} is disabled.`);
    case 3:
      // §15.5: DisabledException (fn 2) is documented too; the KMS answers fn 3 [MODEL CHOICE].
      return new Rejection("KMSInvalidStateException", `${key.Arn} is pending deletion.`);
    case 4:
      return new Rejection("KMSInvalidStateException", `${key.Arn} is not pending deletion.`);
    case 11:
      return new Rejection("KMSInvalidStateException", `${key.Arn} is unavailable.`);
  }
}
