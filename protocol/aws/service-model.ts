// AWS's service models as data: for KMS, CloudHSMv2 and IAM, the operations kmsim models with their
// input and output shapes and declared errors, and the constraints of every shape they reach
// (extracted from botocore's service-2.json by tools/extract-aws-models.ts; each file names its
// source). Data only: the model and the virtual services each validate against it with their own code.
import cloudhsmv2 from "./cloudhsmv2.json" with { type: "json" };
import iam from "./iam.json" with { type: "json" };
import kms from "./kms.json" with { type: "json" };

export type ShapeType =
  "structure" | "list" | "map" | "string" | "integer" | "long" | "boolean" | "blob" | "timestamp" | "double" | "float";

export interface ShapeData {
  type: ShapeType;
  /** Structure: member name → shape name, in the model's order. */
  members?: Record<string, string>;
  required?: string[];
  /** List: the member shape; map: the key and value shapes. */
  member?: string;
  key?: string;
  value?: string;
  /** Length (strings, blobs, lists, maps) or value (numbers) bounds. */
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  /** An error shape: the error code the service answers with. */
  error?: string;
}

export interface OperationData {
  input: string | null;
  output: string | null;
  errors: string[];
}

export interface ServiceModelData {
  source: { package: string; version: string; file: string; sha256: string; protocol: string; apiVersion: string; note: string };
  operations: Record<string, OperationData>;
  shapes: Record<string, ShapeData>;
}

export const KMS_MODEL = kms as unknown as ServiceModelData;
export const CLOUDHSMV2_MODEL = cloudhsmv2 as unknown as ServiceModelData;
export const IAM_MODEL = iam as unknown as ServiceModelData;

/** The AWS services kmsim's steps call, by the prefix a step names them with (none for KMS). */
export type AwsService = "kms" | "cloudhsmv2" | "iam";
export const SERVICE_MODELS: Readonly<Record<AwsService, ServiceModelData>> = {
  kms: KMS_MODEL,
  cloudhsmv2: CLOUDHSMV2_MODEL,
  iam: IAM_MODEL,
};

/**
 * The service and operation a step's call names (`Encrypt`, `cloudhsmv2:CreateHsm`, `iam:PutUserPolicy`);
 * undefined for the operator's `hsm:*` actions, which no AWS model describes.
 */
export function awsOperationOf(call: string): { service: AwsService; operation: string } | undefined {
  const colon = call.indexOf(":");
  if (colon < 0) return { service: "kms", operation: call };
  const prefix = call.slice(0, colon);
  return prefix === "cloudhsmv2" || prefix === "iam" ? { service: prefix, operation: call.slice(colon + 1) } : undefined;
}

/** The errors `model` lists for `operation`, by the codes answers carry (IAM's query protocol: the shape's code), in its order. */
export function errorCodes(model: ServiceModelData, operation: string): string[] {
  return (model.operations[operation]?.errors ?? []).map((shape) => model.shapes[shape]?.error ?? shape);
}

/**
 * Errors any operation of a service may answer that its model does not list per operation (each API
 * reference's "Common Errors" page; SerializationException is the JSON protocol's answer to a body it
 * cannot read). IAM's query protocol answers with error codes, not shape names.
 */
export const COMMON_ERRORS: Record<AwsService, readonly string[]> = {
  kms: ["AccessDeniedException", "ValidationException", "ThrottlingException", "SerializationException"],
  cloudhsmv2: ["ValidationException", "ThrottlingException", "SerializationException"],
  iam: ["AccessDenied", "ValidationError", "Throttling"],
};
