// What the simulated world is made of, as a scenario gives it: the world (accounts, principals, the
// cluster), its timing and latency, and the service quotas. The virtual services read this; the
// harness's scenario (harness/scenario.ts) carries one and checks it when it is loaded.
import type { CryptoBackendName } from "./crypto/backend.ts";
import type { HsmSpec } from "./hsm/cluster.ts";
import type { HsmOp } from "./hsm/messages.ts";
import type { PrincipalSpec } from "./iam/iam.ts";
import type { LatencyOptions } from "./kernel/network.ts";

export interface ClusterSpec {
  clusterId: string;
  trustAnchor: string;
  kmsuserPassword: string;
  hsms: HsmSpec[];
}

export interface WorldSpec {
  region: string;
  account: string;
  partnerAccount: string;
  epochMs: number;
  /** Most HSMs one cluster may have. */
  hsmsPerClusterMax: number;
  principals: Record<string, PrincipalSpec>;
  cluster: ClusterSpec;
  /**
   * More ACTIVE clusters, each the first of its own lineage (unrelated to every other): an account can
   * hold one custom key store per lineage (spec §3.4 CloudHsmClusterInUseException), so these make a
   * second and third store possible. The shipped world puts them in zones of their own, out of the
   * generator's zone and subnet faults (which name the world cluster's). Optional in a file.
   */
  otherClusters: ClusterSpec[];
  /** Clusters created but never initialized (UNINITIALIZED, no HSM; spec §3.5). Optional in a file. */
  uninitializedClusterIds: string[];
}

export interface TimingSpec {
  connectDelayMs: number;
  connectExchangeMs: number;
  disconnectDelayMs: number;
  hsmRequestTimeoutMs: number;
  /** How long after a key object is made, or an HSM comes up, the cluster replicates key objects. */
  replicationDelayMs: number;
  /**
   * Longest time a new grant takes to authorize without its token, and a retired or revoked one to
   * stop authorizing (spec §12): each draws its delay in 0..this. 0 (the default) is immediate.
   */
  grantPropagationMsMax: number;
  /**
   * How long a cluster is DELETE_IN_PROGRESS after DeleteCluster before it is gone (CloudHSMv2's
   * ClusterState; spec §4). 0 (the default) deletes it at once, answering DELETED.
   */
  clusterDeletionMs: number;
  latency: LatencyOptions;
  hsmServiceUs: Record<HsmOp, number>;
}

/**
 * What a `slow-hsm` factor does to an HSM's replies under `timing`: "in-time" when every reply still
 * beats the request timeout, "late" when none can, undefined when it would depend on the latency drawn
 * (the model could not tell which, so no step may ask for such a factor).
 */
export function slowFactorEffect(timing: TimingSpec, factor: number): "in-time" | "late" | undefined {
  const timeoutUs = timing.hsmRequestTimeoutMs * 1000;
  const services = Object.values(timing.hsmServiceUs);
  if (2 * timing.latency.tailUsMax + factor * Math.max(...services) < timeoutUs) return "in-time";
  if (2 * timing.latency.latencyUsMin + factor * Math.min(...services) > timeoutUs) return "late";
  return undefined;
}

/** The smallest `slow-hsm` factor whose replies are all late (see `slowFactorEffect`). */
export function lateFactorMin(timing: TimingSpec): number {
  let factor = 1;
  while (slowFactorEffect(timing, factor) !== "late") factor += 1;
  return factor;
}

export interface QuotaSpec {
  /** Crypto requests per second one custom key store takes (spec §11.2: 1,800; lower it to exercise it). */
  storeRequestsPerSecond: number;
  /** Grants one key may have (spec §11.1: 50,000; lower it to exercise it). Optional in a file. */
  grantsPerKey: number;
  /** Custom key stores one account may have, any type and state (spec §11.1: 10; lower it to exercise it). Optional in a file. */
  customKeyStoresPerAccount: number;
}

/** Spec §11.1: grants per KMS key. */
export const GRANTS_PER_KEY = 50_000;
/** Spec §11.1: custom key stores per account and Region. */
export const CUSTOM_KEY_STORES_PER_ACCOUNT = 10;

/** What the world is built from: the part of a scenario the simulation reads. */
export interface WorldConfig {
  world: WorldSpec;
  timing: TimingSpec;
  quotas: QuotaSpec;
  /**
   * Which AES-256-GCM implementation the virtual HSMs and KMS use [noble]. Not part of a scenario's
   * behaviour: keys and IVs come from the seed, so every byte of a run is the same with either.
   */
  crypto?: CryptoBackendName;
}
