// Automatic key rotation (spec §5.5): on keys of both origins (a key in a custom key store refuses),
// with the rotation period now and then left out or out of range.
import fc from "fast-check";
import { ANYONE, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

export const ROTATION_OPERATIONS: OperationDescriptor[] = [
  {
    name: "EnableKeyRotation",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc.record({ KeyId: i.keyRef, RotationPeriodInDays: fc.constantFrom(90, 365, 2560, 89, 2561) }, { requiredKeys: ["KeyId"] }),
  },
  { name: "DisableKeyRotation", kind: "management", callers: MOSTLY_ADMIN, input: (i) => fc.record({ KeyId: i.keyRef }) },
  { name: "GetKeyRotationStatus", kind: "management", callers: ANYONE, input: (i) => fc.record({ KeyId: i.keyRef }) },
];
