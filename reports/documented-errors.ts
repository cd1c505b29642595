// The errors AWS documents for each operation (its service model's error list), against the errors a
// campaign's calls were answered with: issue 12 asks every generated operation to fail with each of
// its documented errors at least once, and this is how a campaign report says which it never did.
// Errors of features kmsim does not simulate are set aside, each with the reason, so the list names
// only gaps a generator or a model could close. The operator's hsm:* actions are kmsim's own and
// have no AWS model.
import { CLOUDHSMV2_MODEL, IAM_MODEL, KMS_MODEL, type ServiceModelData } from "../protocol/aws/service-model.ts";

/**
 * Documented errors of features kmsim does not simulate at all, by name prefix (for one operation
 * where `operation` is given), with the feature.
 */
export const NOT_SIMULATED: readonly { prefix: string; operation?: string; feature: string }[] = [
  { prefix: "Xks", feature: "external key stores (XKS)" },
  // GenerateRandom answers it only for an external key store's id (API reference, CustomKeyStoreId).
  { prefix: "UnsupportedOperationException", operation: "GenerateRandom", feature: "external key stores (XKS)" },
  { prefix: "CloudHsmTagException", feature: "CloudHSM resource tags" },
  // GenerateDataKey* take no algorithm: only a key whose KeyUsage is not ENCRYPT_DECRYPT makes them answer it, and
  // kmsim's keys are all symmetric encryption keys (CreateKey refuses other KeySpecs with UnsupportedOperationException).
  ...["GenerateDataKey", "GenerateDataKeyWithoutPlaintext"].map((operation) => ({
    prefix: "InvalidKeyUsageException",
    operation,
    feature: "asymmetric and HMAC keys",
  })),
];

const SERVICES: Readonly<Record<string, ServiceModelData>> = { cloudhsmv2: CLOUDHSMV2_MODEL, iam: IAM_MODEL };

/**
 * The error codes AWS documents for `operation` as a step names it (`Encrypt`, `cloudhsmv2:CreateHsm`,
 * `iam:PutUserPolicy`), in the model's order, less those of features not simulated; undefined for an
 * operation without an AWS model.
 */
export function documentedErrors(operation: string): string[] | undefined {
  const colon = operation.indexOf(":");
  const model = colon < 0 ? KMS_MODEL : SERVICES[operation.slice(0, colon)];
  const data = model?.operations[operation.slice(colon + 1)];
  if (model === undefined || data === undefined) return undefined;
  // IAM's query protocol answers with the shape's error code (LimitExceeded), the JSON services with its name.
  const codes = data.errors.map((shape) => model.shapes[shape]?.error ?? shape);
  const simulated = (code: string) => !NOT_SIMULATED.some((n) => code.startsWith(n.prefix) && (n.operation ?? operation) === operation);
  return codes.filter(simulated);
}

/** Of `operation`'s documented errors, those none of its calls was answered with (`answered`: error → count). */
export function neverAnswered(operation: string, answered: Readonly<Record<string, number>>): string[] {
  return (documentedErrors(operation) ?? []).filter((code) => (answered[code] ?? 0) === 0);
}
