// Key operations (spec §5): CreateKey in either origin with generated key policies (now and then with
// tags, rarely a reserved one: TagException; now and then a spec, usage or Regions named), the
// key-state changes, deletion and its cancellation, descriptions and listing. Keys are named by id or
// ARN, now and then by an alias, which only DescribeKey among these accepts (§6.3).
import fc from "fast-check";
import type { JsonObject } from "../../protocol/step.ts";
import { ANYONE, dropUndefined, member, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

const byKey = (name: string, callers = MOSTLY_ADMIN): OperationDescriptor => ({
  name,
  kind: "management",
  callers,
  input: (i) => fc.record({ KeyId: i.keyRef }),
});

/**
 * Now and then the key's spec, usage or Regions named (§5.1): the defaults named, by KeySpec or its
 * deprecated name CustomerMasterKeySpec, both names at once (refused), what kmsim does not model or a
 * CloudHSM store cannot hold (an asymmetric, HMAC or multi-Region key: UnsupportedOperationException), and
 * an HMAC key naming no KeyUsage (ValidationException, AWS's recorded answer).
 */
const KEY_SPECS = fc.oneof(
  { weight: 12, arbitrary: fc.constant<JsonObject>({}) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<JsonObject>(
      { KeySpec: "SYMMETRIC_DEFAULT", KeyUsage: "ENCRYPT_DECRYPT", MultiRegion: false },
      { CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" },
      { KeySpec: "SYMMETRIC_DEFAULT", CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" },
      { KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" },
      { CustomerMasterKeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" },
      { KeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" },
      { KeyUsage: "SIGN_VERIFY" },
      { MultiRegion: true },
      { KeySpec: "HMAC_256" },
    ),
  },
);

export const KEY_OPERATIONS: OperationDescriptor[] = [
  {
    name: "CreateKey",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc
        .record(
          {
            // Now and then an origin kmsim does not model (imported material): UnsupportedOperationException.
            Origin: fc.oneof(
              { weight: 12, arbitrary: fc.constantFrom("AWS_KMS", "AWS_CLOUDHSM", "AWS_CLOUDHSM") },
              { weight: 1, arbitrary: fc.constant("EXTERNAL") },
            ),
            CustomKeyStoreId: i.storeRef,
            Description: fc.constantFrom("", "payments", "backups"),
            Policy: i.keyPolicies(),
            BypassPolicyLockoutSafetyCheck: fc.boolean(),
            Tags: i.createTags,
            Spec: KEY_SPECS,
            // 1 CreateKey in 20 contradicts itself (spec §5.1 [MODEL CHOICE]: ValidationException): a store
            // without Origin AWS_CLOUDHSM, or that origin without a store.
            contradiction: fc.nat({ max: 19 }).map((n) => n === 0),
          },
          { requiredKeys: ["Origin", "Tags", "Spec", "contradiction"] },
        )
        .map(({ Spec, contradiction, ...input }) => {
          const out: JsonObject = { ...dropUndefined(input), ...Spec };
          const inStore = (input.Origin === "AWS_CLOUDHSM") !== contradiction;
          if (!inStore) delete out["CustomKeyStoreId"];
          else if (out["CustomKeyStoreId"] === undefined) out["CustomKeyStoreId"] = { ref: "store", index: 0 };
          return out;
        }),
    makes: (output) => ({ key: member(output["KeyMetadata"], "KeyId"), keyArn: member(output["KeyMetadata"], "Arn") }),
    midCallFaultTarget: true,
  },
  byKey("DescribeKey", ANYONE),
  byKey("EnableKey"),
  byKey("DisableKey"),
  {
    name: "ScheduleKeyDeletion",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, PendingWindowInDays: fc.constantFrom(7, 7, 30, 6, 31) }, { requiredKeys: ["KeyId"] }),
  },
  byKey("CancelKeyDeletion"),
  {
    name: "ListKeys",
    kind: "management",
    callers: ANYONE,
    input: () => fc.record({ Limit: fc.constantFrom(1, 2, 100), Marker: fc.constantFrom("1", "3", "x") }, { requiredKeys: [] }),
  },
  {
    name: "UpdateKeyDescription",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, Description: fc.constantFrom("", "payments", "rotated by ops") }),
  },
];
