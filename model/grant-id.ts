// A GrantId's form (spec §9.7). AWS calls a grant id "a 64 character unique identifier" (RetireGrant's
// docs) and answers NotFoundException for a well-formed id that no grant has (RevokeGrant, reported
// against real AWS in getmoto/moto#5411); when a GrantId is "not valid" it does not say [MODEL CHOICE]:
// one that is not 64 lowercase hexadecimal digits (yet within the shape's 1–128 characters) is
// InvalidGrantIdException — RevokeGrant, RetireGrant by KeyId and GrantId, ListGrants' filter — checked
// before the key is looked up.
import { refuse, type Check } from "./refusal.ts";

/** InvalidGrantIdException unless `grantId` (when given) has a grant id's form. */
export function* grantIdForm(grantId: string | undefined): Check<void> {
  if (grantId !== undefined && !/^[0-9a-f]{64}$/.test(grantId)) yield* refuse("InvalidGrantIdException");
}
