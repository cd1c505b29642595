// The registry of operation descriptors: every operation the harness can generate, resolve and check,
// by step name. A test holds it equal to the model's and the simulated world's operation lists.
// Order matters only where the generator picks among descriptors by position (mid-call fault targets).
import { ALIAS_OPERATIONS } from "./aliases.ts";
import { CLOUDHSM_OPERATIONS } from "./cloudhsm.ts";
import { CRYPTO_OPERATIONS } from "./crypto.ts";
import type { OperationDescriptor } from "./descriptor.ts";
import { GRANT_OPERATIONS } from "./grants.ts";
import { IAM_OPERATIONS } from "./iam.ts";
import { KEY_POLICY_OPERATIONS } from "./key-policies.ts";
import { KEY_STORE_OPERATIONS } from "./keystores.ts";
import { KEY_OPERATIONS } from "./keys.ts";
import { ROTATION_OPERATIONS } from "./rotation.ts";
import { TAG_OPERATIONS } from "./tags.ts";

const ALL: OperationDescriptor[] = [
  ...CRYPTO_OPERATIONS,
  ...KEY_STORE_OPERATIONS,
  ...KEY_OPERATIONS,
  ...ROTATION_OPERATIONS,
  ...TAG_OPERATIONS,
  ...ALIAS_OPERATIONS,
  ...KEY_POLICY_OPERATIONS,
  ...GRANT_OPERATIONS,
  ...CLOUDHSM_OPERATIONS,
  ...IAM_OPERATIONS,
];

export const OPERATIONS: ReadonlyMap<string, OperationDescriptor> = new Map(ALL.map((d) => [d.name, d]));
if (OPERATIONS.size !== ALL.length) throw new Error("harness: an operation is described twice");

export const OPERATION_NAMES: readonly string[] = ALL.map((d) => d.name);

/** The descriptor of `name`; a name no descriptor has is a bug in the caller (names are checked on input). */
export function operation(name: string): OperationDescriptor {
  const found = OPERATIONS.get(name);
  if (found === undefined) throw new Error(`harness: no operation ${name}`);
  return found;
}
