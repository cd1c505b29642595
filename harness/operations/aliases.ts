// Alias operations (spec §6): two alias names in use, and now and then a reserved or malformed one.
import fc from "fast-check";
import { ANYONE, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

export const ALIAS_OPERATIONS: OperationDescriptor[] = [
  {
    name: "CreateAlias",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ AliasName: i.aliasName, TargetKeyId: i.keyRef }),
  },
  {
    name: "UpdateAlias",
    kind: "management",
    callers: MOSTLY_ADMIN,
    input: (i) => fc.record({ AliasName: i.aliasName, TargetKeyId: i.keyRef }),
  },
  { name: "DeleteAlias", kind: "management", callers: MOSTLY_ADMIN, input: (i) => fc.record({ AliasName: i.aliasName }) },
  {
    name: "ListAliases",
    kind: "management",
    callers: ANYONE,
    input: (i) =>
      fc.record({ KeyId: i.keyRef, Limit: fc.constantFrom(1, 2, 50), Marker: fc.constantFrom("1", "1", "x") }, { requiredKeys: [] }),
  },
];
