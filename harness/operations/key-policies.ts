// Key policy operations (spec §9.3–§9.5): generated key policies from templates and their mutations
// (harness/policies.ts), with and without the lockout bypass; a policy name other than "default" now and then.
import fc from "fast-check";
import { MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

export const KEY_POLICY_OPERATIONS: OperationDescriptor[] = [
  {
    name: "PutKeyPolicy",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc.record(
        {
          KeyId: i.keyRef,
          Policy: i.keyPolicies(),
          BypassPolicyLockoutSafetyCheck: fc.boolean(),
          PolicyName: fc.constantFrom("default", "default", "default", "other"),
        },
        { requiredKeys: ["KeyId", "Policy"] },
      ),
  },
  {
    name: "GetKeyPolicy",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, PolicyName: fc.constantFrom("default", "default", "other") }, { requiredKeys: ["KeyId"] }),
  },
  { name: "ListKeyPolicies", kind: "management", callers: MOSTLY_ADMIN, input: (i) => fc.record({ KeyId: i.keyRef }) },
];
