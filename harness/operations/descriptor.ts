// One description per operation, on the harness side: how the generator makes its input, who calls
// it, what its answer makes for later steps to refer to, and what kind of operation it is. The
// generator, the resolver, the shape check and the invariants read these; nothing keeps a list of
// operations of its own (see harness/operations/index.ts for the registry).
import type fc from "fast-check";
import type { Json, JsonObject } from "../../protocol/step.ts";
import type { Inputs } from "./inputs.ts";
import type { RefKind } from "./refs.ts";

export type { RefKind } from "./refs.ts";

/**
 * crypto: uses a key's material (spec §8); store: a custom key store operation (§3.4); management: the
 * rest of KMS; cloudhsm: the CloudHSM control plane; operator: an operator inside a cluster; iam: IAM.
 */
export type OperationKind = "crypto" | "store" | "management" | "cloudhsm" | "operator" | "iam";

export interface OperationDescriptor {
  /** As a step names it: AWS's name, with `cloudhsmv2:`, `hsm:` or `iam:` in front outside KMS. */
  name: string;
  kind: OperationKind;
  /** Who the generator has make the call, by short name; repeated names weigh more. */
  callers: readonly string[];
  /** The generated input, referring to things made earlier by `{"ref", "index"}`. */
  input(inputs: Inputs): fc.Arbitrary<JsonObject>;
  /** What a successful call made, by reference kind (each value is appended to that kind's list). */
  makes?(output: JsonObject, input: JsonObject): Partial<Record<RefKind, Json>>;
  /** The generator may aim a fault to land while this call talks to the cluster. */
  midCallFaultTarget?: boolean;
}

/** Crypto and read-only calls are made by anyone of the world. */
export const ANYONE: readonly string[] = ["admin", "admin", "admin", "root", "app", "app", "alice", "partner"];
/** Management calls mostly by the administrator, now and then by someone who may not. */
export const MOSTLY_ADMIN: readonly string[] = [
  "admin",
  "admin",
  "admin",
  "admin",
  "admin",
  "admin",
  "admin",
  "storeadmin",
  "root",
  "app",
  "alice",
  "partner",
];

/** A member of an object, if the value is one. */
export function member(value: Json | undefined, name: string): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value[name] ?? null) : null;
}

/** Drops members whose value is undefined (what fc.record with optional keys leaves). */
export function dropUndefined(o: Record<string, Json | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;
}
