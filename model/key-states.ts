// Spec §5.5, the key-state effect table, as the model's one piece of data: by KeyState, the rows of
// the operations kmsim answers, each ✓ or the footnote of its error. Footnote "2|3" is the documented
// ambiguity of §15.5: either error is allowed.
import type { OutcomePattern } from "./pattern.ts";
import { errorPattern } from "./pattern.ts";

export type KeyStateName = "Enabled" | "Disabled" | "PendingDeletion" | "Unavailable";
type Mark = "✓" | "1" | "2|3" | "3" | "4" | "11";

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
};

/** The errors §5.5 allows `operation` on a key in `state` (empty: it goes ahead). */
export function keyStateErrors(operation: string, state: KeyStateName, arn: string): OutcomePattern[] {
  const mark = TABLE[operation]?.[state];
  if (mark === undefined) throw new Error(`model: §5.5 has no row for ${operation}`);
  const footnote: Record<Exclude<Mark, "✓" | "2|3">, OutcomePattern> = {
    "1": errorPattern("DisabledException", `${arn} is disabled.`),
    "3": errorPattern("KMSInvalidStateException", `${arn} is pending deletion.`),
    "4": errorPattern("KMSInvalidStateException", `${arn} is not pending deletion.`),
    "11": errorPattern("KMSInvalidStateException", `${arn} is unavailable.`),
  };
  if (mark === "✓") return [];
  if (mark === "2|3") return [errorPattern("DisabledException", `${arn} is pending deletion.`), footnote["3"]];
  return [footnote[mark]];
}
