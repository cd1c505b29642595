// A GrantId's form on the virtual KMS (spec §9.7): its grant ids are 64 lowercase hexadecimal digits
// (as AWS's, "a 64 character unique identifier"); a well-formed id no grant has is NotFoundException,
// as on real AWS. What AWS calls "not valid" is not documented [MODEL CHOICE]: any other GrantId within
// the shape's 1–128 characters is InvalidGrantIdException, before the key is looked up.
import { Rejection } from "../wire/validate.ts";

const GRANT_ID = /^[0-9a-f]{64}$/;

/** InvalidGrantIdException unless `grantId` (when given) has the form of a grant id. */
export function checkGrantIdForm(grantId: string | undefined): Rejection | undefined {
  if (grantId === undefined || GRANT_ID.test(grantId)) return undefined;
  return new Rejection("InvalidGrantIdException", `Invalid grantId '${grantId}'.`);
}
