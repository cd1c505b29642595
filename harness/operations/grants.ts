// Grant operations (spec §9.7): grants to the world's principals with one of the constraint kinds,
// now and then with the latest grant token; each grant made is kept, with its token, for later
// RevokeGrant and RetireGrant steps and for calls presenting the token.
import fc from "fast-check";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { ANYONE, dropUndefined, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";
import { ref, type Inputs } from "./inputs.ts";

/**
 * ListRetirableGrants' principal: mostly a grantee (the partner's is another account's: NotFoundException),
 * rarely a name that is no ARN or an ARN of no principal (InvalidArnException) or a role that does not exist.
 */
const retiringPrincipal = (i: Inputs): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: i.grantee },
    { weight: 1, arbitrary: fc.constantFrom("App", `arn:aws:iam::${i.scenario.world.account}:role/Nobody`) },
    { weight: 1, arbitrary: i.notKeyArn },
  );

/** An encryption context of `count` pairs (purpose=test, then k2=v … k`count`=v), for a constraint at or past its 8 (§9.7). */
const contextOfPairs = (count: number): JsonObject =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => (i === 0 ? ["purpose", "test"] : [`k${i + 1}`, "v"])));

/** A GrantId not of a grant id's form (InvalidGrantIdException). */
const malformedGrantId = fc.constantFrom("grant-1", "0".repeat(63));

/** A grant made earlier, rarely a GrantId not of a grant id's form. */
const grantId: fc.Arbitrary<Json> = fc.oneof({ weight: 12, arbitrary: ref("grant") }, { weight: 1, arbitrary: malformedGrantId });

/** A grant made earlier and the key it is on, as KeyId and GrantId: the pair that names it. */
const grantOnItsKey = fc.nat({ max: 30 }).map((index) => ({ KeyId: { ref: "grantKey", index }, GrantId: { ref: "grant", index } }));

export const GRANT_OPERATIONS: OperationDescriptor[] = [
  {
    name: "CreateGrant",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc
        .record(
          {
            KeyId: i.keyRef,
            GranteePrincipal: i.grantee,
            Operations: fc.subarray(
              [
                "Encrypt",
                "Decrypt",
                "GenerateDataKey",
                "ReEncryptFrom",
                "ReEncryptTo",
                "DescribeKey",
                "CreateGrant",
                "RetireGrant",
                "Sign",
              ],
              { minLength: 1, maxLength: 4 },
            ),
            RetiringPrincipal: i.grantee,
            // Now and then both kinds at once (ValidationException) or an empty one (as none, §9.7); rarely one
            // at a limit (8 pairs, a value of 384 characters) or past it (ValidationException). The limits have
            // arms of their own: sharing one of weight 1, 8 pairs came once in 1,085 CreateGrant calls over
            // 300 seeds of authz (most of them made by stories, with constraints of their own), and no
            // campaign saw a limit of 8 read as 7.
            Constraints: fc.oneof(
              {
                weight: 8,
                arbitrary: fc.constantFrom<JsonObject>(
                  { EncryptionContextEquals: { purpose: "test" } },
                  { EncryptionContextSubset: { purpose: "test" } },
                  { EncryptionContextSubset: { purpose: "test", team: "blue" } },
                  { EncryptionContextEquals: { purpose: "test" }, EncryptionContextSubset: { team: "blue" } },
                  { EncryptionContextSubset: {} },
                ),
              },
              { weight: 1, arbitrary: fc.constant<JsonObject>({ EncryptionContextSubset: contextOfPairs(8) }) },
              { weight: 1, arbitrary: fc.constant<JsonObject>({ EncryptionContextEquals: { purpose: "t".repeat(384) } }) },
              {
                weight: 2,
                arbitrary: fc.constantFrom<JsonObject>(
                  { EncryptionContextEquals: contextOfPairs(9) },
                  { EncryptionContextSubset: { purpose: "t".repeat(385) } },
                ),
              },
            ),
            Name: fc.constantFrom("payments-grant", "ops"),
            GrantTokens: i.grantTokens,
          },
          { requiredKeys: ["KeyId", "GranteePrincipal", "Operations", "GrantTokens"] },
        )
        .map(dropUndefined),
    makes: (output, input) => ({
      grant: output["GrantId"] ?? null,
      grantToken: output["GrantToken"] ?? null,
      grantKey: input["KeyId"] ?? null,
    }),
  },
  {
    name: "ListGrants",
    kind: "management",
    callers: ANYONE,
    input: (i) =>
      fc
        .record(
          {
            KeyId: i.keyRef,
            Limit: fc.constantFrom(1, 50),
            GranteePrincipal: i.grantee,
            Marker: i.strayMarker,
            // Now and then filtered by a grant (rarely by a malformed id).
            GrantId: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: grantId }),
          },
          { requiredKeys: ["KeyId", "Marker", "GrantId"] },
        )
        .map(dropUndefined),
  },
  {
    name: "RevokeGrant",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, GrantId: grantId }),
  },
  {
    name: "ListRetirableGrants",
    kind: "management",
    callers: ANYONE,
    input: (i) =>
      fc
        .record(
          { RetiringPrincipal: retiringPrincipal(i), Limit: fc.constantFrom(1, 50), Marker: i.strayMarker },
          { requiredKeys: ["RetiringPrincipal", "Marker"] },
        )
        .map(dropUndefined),
  },
  {
    name: "RetireGrant",
    kind: "management",
    callers: ANYONE,
    // By token; or by KeyId and GrantId: mostly a grant with its own key, else any key (rarely by an ARN
    // that names no key: InvalidArnException) with a grant or a GrantId not of a grant id's form. Rarely
    // by neither: one of the two ids alone, or nothing (ValidationException, §9.7's "token or both").
    input: (i) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ GrantToken: ref("grantToken") }) },
        {
          weight: 4,
          arbitrary: fc.oneof(
            { weight: 2, arbitrary: grantOnItsKey },
            {
              weight: 1,
              arbitrary: fc.record({
                KeyId: fc.oneof({ weight: 6, arbitrary: ref("keyArn") }, { weight: 1, arbitrary: i.notKeyArn }),
                GrantId: fc.oneof(ref("grant"), malformedGrantId),
              }),
            },
          ),
        },
        { weight: 1, arbitrary: fc.oneof(fc.record({ KeyId: ref("keyArn") }), fc.record({ GrantId: ref("grant") }), fc.constant({})) },
      ),
  },
];
