// Tag operations (spec §7): a few tag keys, one reserved, so tags collide, overwrite and get removed.
import fc from "fast-check";
import { MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

export const TAG_OPERATIONS: OperationDescriptor[] = [
  {
    name: "TagResource",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, Tags: fc.array(i.tag, { minLength: 0, maxLength: 3 }) }),
  },
  {
    name: "UntagResource",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ KeyId: i.keyRef, TagKeys: fc.array(i.tagKey, { minLength: 0, maxLength: 2 }) }),
  },
  {
    name: "ListResourceTags",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc.record({ KeyId: i.keyRef, Limit: fc.constantFrom(1, 2, 50), Marker: fc.constantFrom("1", "2", "x") }, { requiredKeys: ["KeyId"] }),
  },
];
