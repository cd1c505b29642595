// The reference model's state: plain JSON data, built from the world's constants (model/initial-state.ts),
// and never changed once made (model/state-change.ts makes the state after a step, sharing what did not
// change). Names follow the spec's entities (§2, §4). Time is the runner's virtual time at the start of
// each step, in µs.
import type { FailingService } from "../protocol/service-failures.ts";
import type { FaultStep, Json } from "../protocol/step.ts";

export interface ModelWorld {
  region: string;
  account: string;
  partnerAccount: string;
  epochMs: number;
  /** Principals by short name: ARN and identity policies (documents, evaluated as they are). */
  principals: Record<string, { arn: string; policies?: Record<string, Json>; tags?: Record<string, string> }>;
  clusterId: string;
  trustAnchor: string;
  kmsuserPassword: string;
  hsms: { hsmId: string; availabilityZone: string; subnetId: string }[];
  /** More ACTIVE clusters, each the first of its own lineage (§3.4); their subnets are the world's too. */
  otherClusters: { clusterId: string; trustAnchor: string; kmsuserPassword: string; hsms: ModelWorld["hsms"] }[];
  /** Clusters created but never initialized: UNINITIALIZED, no HSM (§3.5). */
  uninitializedClusterIds: string[];
  connectDelayUs: number;
  connectExchangeUs: number;
  disconnectDelayUs: number;
  /** Per HSM tried, the longest a login exchange waits for it (one request timeout). */
  hsmRequestTimeoutUs: number;
  /** How long after a key object is made, or an HSM comes up, a cluster replicates its key objects (§4). */
  replicationDelayUs: number;
  /** `slow-hsm` factors from this one up make every reply late; below it, every reply is in time. */
  lateFactorMin: number;
  /** How long a deleted cluster stays DELETE_IN_PROGRESS before it is gone, µs (§4); 0: gone at once. */
  clusterDeletionUs: number;
  /** Longest grant propagation delay (§12), µs: a grant change takes effect after 0..this. */
  grantPropagationUsMax: number;
  /** Most HSMs one cluster may have. */
  hsmsPerClusterMax: number;
  /** Crypto requests per second one custom key store takes (spec §11.2). */
  storeRequestsPerSecond: number;
  /** Grants one key may have (spec §11.1). */
  grantsPerKey: number;
  /** Custom key stores one account may have, any state (spec §11.1). */
  customKeyStoresPerAccount: number;
}

export interface ModelHsm {
  hsmId: string;
  availabilityZone: string;
  subnetId: string;
  crashed: boolean;
  zoneDown: boolean;
  /** The KMS's requests to it are dropped. */
  cutTo: boolean;
  /** Its replies to the KMS are dropped. */
  cutFrom: boolean;
  /** `slow-hsm` made its replies late: past the KMS's request timeout, so as good as lost. */
  repliesLate?: boolean;
  /**
   * The key objects it holds, sorted, each named `<label>@<HsmId that generated it>` — the label is the
   * KMS key ARN; two objects share a label when a GenerateKey was served twice (its first reply lost).
   */
  objects: string[];
}

export interface ModelUser {
  password: string;
  session: "kms" | "operator" | null;
  failedLogins: number;
}

export interface ModelCluster {
  id: string;
  state: "ACTIVE" | "UNINITIALIZED" | "DELETE_IN_PROGRESS";
  /** The type of its HSMs (CreateCluster's HsmType; model/cluster-request.ts). */
  hsmType: string;
  /** DELETE_IN_PROGRESS: when the cluster is gone (µs). */
  goneAtUs?: number;
  /** Id of the cluster the lineage started with: clusters restored from its backups share it. */
  lineage: string;
  trustAnchor: string;
  subnetMapping: Record<string, string>;
  sourceBackupId?: string;
  hsms: ModelHsm[];
  users: Record<string, ModelUser>;
  /** Key objects of the backup a cluster was restored from, until its first HSM takes them. */
  restoredObjects?: string[];
  /** A replication pass is scheduled: the earliest it can run (µs); see `scheduleReplication`. */
  replicationAtUs?: number;
  /** The latest the scheduled pass can run (µs): `replicationAtUs` itself when the step that scheduled it took no time. */
  replicationByUs?: number;
}

export interface ModelSubnet {
  subnetId: string;
  availabilityZone: string;
  deleted: boolean;
  full: boolean;
}

export interface ModelBackup {
  id: string;
  clusterId: string;
  lineage: string;
  trustAnchor: string;
  users: Record<string, ModelUser>;
  objects: string[];
}

export type ConnectionState = "CONNECTED" | "CONNECTING" | "FAILED" | "DISCONNECTED" | "DISCONNECTING";

/** The three points of one HSM attempt at which a change can land (see model/cluster.ts `failover`). */
export type AttemptPoint = "send" | "serve" | "reply";

/**
 * Where a change met a connect's login exchange on the wire (model/exchange-landing.ts): at `atUs`, at
 * `point` of HSM attempt `attempt`, in `cluster` as it was before the change. Every change at that
 * instant lands at the same point; the exchange runs once the instant is over.
 */
export interface ExchangeLanding {
  atUs: number;
  attempt: number;
  point: AttemptPoint;
  cluster: ModelCluster;
}

export type Pending =
  | {
      kind: "connect";
      exchangeAtUs: number;
      publishAtUs: number;
      result?: string;
      landed?: ExchangeLanding;
      /**
       * Once it has started with its checks (cluster, subnets, an ACTIVE HSM) passed: the HSMs its login
       * asks, in the order it asks them — the ACTIVE ones as it started (as the KMS reads them then,
       * sim/kms/hsm-failover.ts); only its login is still on the wire. Undefined until it has started.
       */
      asks: readonly string[] | undefined;
    }
  | { kind: "disconnect"; doneAtUs: number };

export interface ModelStore {
  id: string;
  /** The account that made it: the only one whose principals see or act on it (§3.4). */
  account: string;
  name: string;
  clusterId: string;
  lineage: string;
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
  /** A CloudHSM key's key object (see ModelHsm.objects): the one whose handle the KMS was answered. */
  backing?: string;
  /** The key policy as given (or the default, §9.4): text, parsed where it is evaluated. */
  policy: string;
  /** Set by ScheduleKeyDeletion: when the key goes (µs of virtual time). */
  deletionAtUs?: number;
  /** Tags, TagKey → TagValue (§7). */
  tags: Record<string, string>;
  /** Automatic rotation, when turned on: its period and when it was turned on (µs) (model/rotation.ts). */
  rotation?: { periodDays: number; sinceUs: number };
  /** CurrentKeyMaterialId (AWS_KMS keys only, §2), as CreateKey answered it. */
  materialId?: string;
}

/** An alias (§6): a name in one account pointing at one key of that account. */
export interface ModelAlias {
  name: string;
  arn: string;
  account: string;
  targetArn: string;
  creationUs: number;
  updatedUs: number;
}

/** What a ciphertext the KMS handed out stands for. */
export interface ModelCiphertext {
  keyArn: string;
  /** Base64; null until first seen, for a GenerateDataKeyWithoutPlaintext data key of `bytes` bytes. */
  plaintext: string | null;
  bytes: number;
  context: Record<string, string>;
}

/** Grant constraints (§9.7). */
export interface ModelConstraints {
  EncryptionContextEquals?: Record<string, string>;
  EncryptionContextSubset?: Record<string, string>;
}

/** A grant (§9.7). */
export interface ModelGrant {
  id: string;
  keyArn: string;
  name?: string;
  grantee: string;
  retiring?: string;
  operations: string[];
  constraints?: ModelConstraints;
  creationUs: number;
}

export interface ModelState {
  clusters: ModelCluster[];
  subnets: ModelSubnet[];
  backups: ModelBackup[];
  /** Passwords the KMS rotated kmsuser to; only equality matters, so they are tokens. */
  rotations: number;
  serviceLinkedRole: boolean;
  /** The service-linked role's deletion tasks by DeletionTaskId, as iam:DeleteServiceLinkedRole answered them (§10). */
  slrDeletionTasks?: Record<string, "SUCCEEDED" | "FAILED">;
  /** Inline identity policies (text as put), by principal ARN and policy name (§9.2 step 5). */
  identityPolicies: Record<string, Record<string, string>>;
  /** Principal tags (aws:PrincipalTag/*, §9.6), by principal ARN; changed by iam:TagRole/TagUser/UntagRole/UntagUser. */
  principalTags: Record<string, Record<string, string>>;
  stores: ModelStore[];
  keys: ModelKey[];
  /** In creation order. */
  aliases: ModelAlias[];
  /** In creation order. */
  grants: ModelGrant[];
  /** Retired and revoked grants, which may authorize until `retiredUs` + the longest propagation delay (§12). */
  retiredGrants: { grant: ModelGrant; retiredUs: number }[];
  /** Grant tokens the KMS handed out → the grant each stands for. */
  grantTokens: Record<string, string>;
  /** Receipt times (µs) of each store's accepted crypto requests within the last second (§11.2). */
  storeRequests: Record<string, number[]>;
  /** ARNs of keys deleted after their waiting period. */
  deletedKeys: string[];
  /** Best-effort deletions of a deleted key's material that may still be on the wire (§4). */
  backingDeletions: { label: string; clusterId: string; atUs: number }[];
  /** A fault with `after`, waiting to land during the next call. */
  inFlightFault?: FaultStep;
  /** Errors `service-failure` faults armed, by service, each for the next call that documents it (model/service-failures.ts). */
  armedFailures?: Partial<Record<FailingService, string>>;
  /** Every ciphertext the KMS handed out, by its base64 blob. */
  ciphertexts: Record<string, ModelCiphertext>;
  /**
   * A time (µs) this state takes the world's clock to have reached: a replication pass due during a
   * call ran in it, so the call lasted until then. Only between a step's branch and its settling, which
   * drops the state when the clock had not got there (model/settle.ts).
   */
  clockAtLeastUs?: number;
}
