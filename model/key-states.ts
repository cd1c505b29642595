// Spec §5.5, the key-state effect table, as the model's one piece of data: by KeyState, the rows of
// the operations kmsim answers, each ✓ or the footnote of its error. Footnote "2|3" is the documented
// ambiguity of §15.5 (model/ambiguities.ts): either error is allowed.
import { refuseAmbiguous } from "./ambiguities.ts";
import { refuse, type Check } from "./refusal.ts";

export type KeyStateName = "Enabled" | "Disabled" | "PendingDeletion" | "Unavailable";
type Mark = "✓" | "1" | "2|3" | "3" | "4" | "11";

// prettier-ignore
const TABLE: Record<string, Record<KeyStateName, Mark>> = {
  CancelKeyDeletion:   { Enabled: "4", Disabled: "4", PendingDeletion: "✓", Unavailable: "4" },
  Decrypt:             { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "11" },
  DescribeKey:         { Enabled: "✓", Disabled: "✓", PendingDeletion: "✓", Unavailable: "✓" },
  DisableKey:          { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  EnableKey:           { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  Encrypt:             { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "11" },
  ScheduleKeyDeletion: { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  TagResource:         { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  UntagResource:       { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  ListResourceTags:    { Enabled: "✓", Disabled: "✓", PendingDeletion: "✓", Unavailable: "✓" },
  UpdateKeyDescription: { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  CreateAlias:         { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  // fn 10: of the alias's new key; its current key may be pending deletion.
  UpdateAlias:         { Enabled: "✓", Disabled: "✓", PendingDeletion: "3", Unavailable: "✓" },
  GenerateDataKey:     { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "11" },
  GenerateDataKeyWithoutPlaintext: { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "11" },
  ReEncrypt:           { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "11" },
  CreateGrant:         { Enabled: "✓", Disabled: "1", PendingDeletion: "2|3", Unavailable: "✓" },
  // fn 7 (a key in a custom key store, the only kind Unavailable reaches) is checked before the state (model/rotation.ts).
  EnableKeyRotation:   { Enabled: "✓", Disabled: "1", PendingDeletion: "3", Unavailable: "✓" },
  DisableKeyRotation:  { Enabled: "✓", Disabled: "1", PendingDeletion: "3", Unavailable: "✓" },
  GetKeyRotationStatus: { Enabled: "✓", Disabled: "✓", PendingDeletion: "✓", Unavailable: "✓" },
};

/** Refuses as §5.5 says for `operation` on a key in `state` (its ARN `arn`); returns if it goes ahead. */
export function* checkKeyState(operation: string, state: KeyStateName, arn: string): Check<void> {
  const mark = TABLE[operation]?.[state];
  if (mark === undefined) throw new Error(`model: §5.5 has no row for ${operation}`);
  switch (mark) {
    case "✓":
      return;
    case "1":
      return yield* refuse("DisabledException", `${arn} is disabled.`);
    case "2|3":
      return yield* refuseAmbiguous("crypto on a key pending deletion", `${arn} is pending deletion.`);
    case "3":
      return yield* refuse("KMSInvalidStateException", `${arn} is pending deletion.`);
    case "4":
      return yield* refuse("KMSInvalidStateException", `${arn} is not pending deletion.`);
    case "11":
      return yield* refuse("KMSInvalidStateException", `${arn} is unavailable.`);
  }
}
