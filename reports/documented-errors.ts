// The errors AWS documents for each operation (its service model's error list), against the errors a
// campaign's calls were answered with: issue 12 asks every generated operation to fail with each of
// its documented errors at least once, and this is how a campaign report says which it never did.
// Errors of features kmsim does not simulate, errors AWS's own key-state table rules out, and errors AWS
// lists without documenting any cause are set aside, each with the reason, so the list names only gaps a generator or a model could close. The operator's hsm:* actions are kmsim's own and
// have no AWS model.
import { awsOperationOf, errorCodes, SERVICE_MODELS } from "../protocol/aws/service-model.ts";

/**
 * Documented errors set aside, by name prefix (for one operation where `operation` is given), with the
 * reason: a feature kmsim does not simulate at all, or a rule of AWS's that no call can meet.
 */
export const SET_ASIDE: readonly { prefix: string; operation?: string; reason: string }[] = [
  { prefix: "Xks", reason: "the errors of external key stores (XKS)" },
  // GenerateRandom answers it only for an external key store's id (API reference, CustomKeyStoreId).
  { prefix: "UnsupportedOperationException", operation: "GenerateRandom", reason: "the errors of external key stores (XKS)" },
  { prefix: "CloudHsmTagException", reason: "the errors of CloudHSM resource tags" },
  // GenerateDataKey* take no algorithm: only a key whose KeyUsage is not ENCRYPT_DECRYPT makes them answer it, and
  // kmsim's keys are all symmetric encryption keys (CreateKey refuses other KeySpecs with UnsupportedOperationException).
  ...["GenerateDataKey", "GenerateDataKeyWithoutPlaintext"].map((operation) => ({
    prefix: "InvalidKeyUsageException",
    operation,
    reason: "the errors of asymmetric and HMAC keys",
  })),
  // Spec §5.5 (AWS's key-state table): these succeed in every key state, and GetKeyRotationStatus answers
  // UnsupportedOperationException where a state stops it, so their documented KMSInvalidStateException never comes.
  ...[
    "DeleteAlias",
    "GetKeyPolicy",
    "GetKeyRotationStatus",
    "ListGrants",
    "ListKeyPolicies",
    "ListResourceTags",
    "PutKeyPolicy",
    "RetireGrant",
    "RevokeGrant",
  ].map((operation) => ({
    prefix: "KMSInvalidStateException",
    operation,
    reason: "KMSInvalidStateException where AWS's key-state table (spec §5.5) allows every state",
  })),
  // Listed in AWS's service models with no cause AWS documents that kmsim's resources could meet:
  // - EnableKey: every customer managed key counts toward the keys quota in every state (spec §11.1), so enabling
  //   one crosses no quota;
  // - PutKeyPolicy: no documented unsupported parameter or resource among customer managed keys, kmsim's only kind;
  // - IAM's deletions of a policy or a role: a quota is crossed by creating, never by deleting.
  ...[
    ["LimitExceededException", "EnableKey"],
    ["UnsupportedOperationException", "PutKeyPolicy"],
    ["LimitExceeded", "iam:DeleteRolePolicy"],
    ["LimitExceeded", "iam:DeleteUserPolicy"],
    ["LimitExceeded", "iam:DeleteServiceLinkedRole"],
  ].map(([prefix, operation]) => ({ prefix: prefix!, operation, reason: "errors AWS lists for an operation without documenting a cause" })),
];

/**
 * The error codes AWS documents for `operation` as a step names it (`Encrypt`, `cloudhsmv2:CreateHsm`,
 * `iam:PutUserPolicy`), in the model's order, less those set aside; undefined for an
 * operation without an AWS model.
 */
export function documentedErrors(operation: string): string[] | undefined {
  const called = awsOperationOf(operation);
  if (called === undefined) return undefined;
  const model = SERVICE_MODELS[called.service];
  if (model.operations[called.operation] === undefined) return undefined;
  const kept = (code: string) => !SET_ASIDE.some((n) => code.startsWith(n.prefix) && (n.operation ?? operation) === operation);
  return errorCodes(model, called.operation).filter(kept);
}

/** Of `operation`'s documented errors, those none of its calls was answered with (`answered`: error → count). */
export function neverAnswered(operation: string, answered: Readonly<Record<string, number>>): string[] {
  return (documentedErrors(operation) ?? []).filter((code) => (answered[code] ?? 0) === 0);
}
