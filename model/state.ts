// The reference model's state: plain JSON data (so states can be compared and deduplicated), built
// from the world's constants. Names follow the spec's entities (§2). Time is the runner's virtual
// time at the start of each step, in microseconds.
import type { Json } from "../sim/step.ts";

export interface ModelWorld {
  region: string;
  account: string;
  partnerAccount: string;
  epochMs: number;
  /** Principals by short name: ARN and identity policies (documents, evaluated as they are). */
  principals: Record<string, { arn: string; policies?: Record<string, Json> }>;
  clusterId: string;
  trustAnchor: string;
  hsms: { hsmId: string; availabilityZone: string }[];
  connectDelayUs: number;
  connectExchangeUs: number;
  disconnectDelayUs: number;
  /** Latest instant after the exchange starts by which it has surely finished (one timeout per HSM). */
  exchangeWorstUs: number;
}

export interface ModelHsm {
  hsmId: string;
  availabilityZone: string;
  crashed: boolean;
  partitioned: boolean;
}

export type ConnectionState = "CONNECTED" | "CONNECTING" | "FAILED" | "DISCONNECTED" | "DISCONNECTING";

export interface Reachability {
  anyActive: boolean;
  anyReachable: boolean;
}

export type Pending =
  | { kind: "connect"; exchangeAtUs: number; publishAtUs: number; snapshot?: Reachability; disturbedBy?: "partition" | "other" }
  | { kind: "disconnect"; doneAtUs: number };

export interface ModelStore {
  id: string;
  name: string;
  clusterId: string;
  trustAnchor: string;
  password: string;
  state: ConnectionState;
  errorCode?: string;
  creationUs: number;
  pending?: Pending;
}

export interface ModelKey {
  id: string;
  arn: string;
  account: string;
  creationUs: number;
  description: string;
  origin: "AWS_KMS" | "AWS_CLOUDHSM";
  enabled: boolean;
  storeId?: string;
  clusterId?: string;
  policy: Json;
}

export interface ModelState {
  hsms: ModelHsm[];
  kmsuser: { password: string; loggedIn: boolean; failedLogins: number };
  /** Passwords the KMS rotated kmsuser to; only equality matters, so they are tokens. */
  rotations: number;
  serviceLinkedRole: boolean;
  stores: ModelStore[];
  keys: ModelKey[];
  /** Every ciphertext the KMS handed out, by its base64 blob. */
  ciphertexts: Record<string, { keyArn: string; plaintext: string; context: Record<string, string> }>;
}

export function initialState(world: ModelWorld, kmsuserPassword: string): ModelState {
  return {
    hsms: world.hsms.map((h) => ({ hsmId: h.hsmId, availabilityZone: h.availabilityZone, crashed: false, partitioned: false })),
    kmsuser: { password: kmsuserPassword, loggedIn: false, failedLogins: 0 },
    rotations: 0,
    serviceLinkedRole: false,
    stores: [],
    keys: [],
    ciphertexts: {},
  };
}

/** A deep copy to change: model rules never mutate the state they were given. */
export function copy(state: ModelState): ModelState {
  return structuredClone(state);
}

export function reachability(state: ModelState): Reachability {
  const active = state.hsms.filter((h) => !h.crashed);
  return { anyActive: active.length > 0, anyReachable: active.some((h) => !h.partitioned) };
}

/** Spec §3.5: two ACTIVE HSMs in two different Availability Zones. */
export function twoActiveAzs(state: ModelState): boolean {
  return new Set(state.hsms.filter((h) => !h.crashed).map((h) => h.availabilityZone)).size >= 2;
}
