// What the virtual KMS stores: custom key stores and KMS keys, with AWS's field names where they
// surface in outputs. KeyState is never stored: it is derived from the key's own flags and its
// store's connection state (spec §5.3), so the two cannot drift apart.

export type ConnectionState = "CONNECTED" | "CONNECTING" | "FAILED" | "DISCONNECTED" | "DISCONNECTING";

export interface StoreRecord {
  CustomKeyStoreId: string;
  /** The account that made it: only that account's principals see or act on it (spec §3.4). */
  account: string;
  CustomKeyStoreName: string;
  CloudHsmClusterId: string;
  TrustAnchorCertificate: string;
  /** The cluster certificate of the cluster the store was made with: its lineage (spec §3.4). */
  lineage: string;
  /** What the KMS believes kmsuser's password is (never returned). */
  password: string;
  ConnectionState: ConnectionState;
  ConnectionErrorCode?: string;
  creationUs: number;
  /** Bumped by every Connect and Disconnect, so a stale background process knows to stop. */
  generation: number;
  /** Set while a connect's login exchange is on the wire; Disconnect waits for it. */
  exchangeInFlight: boolean;
}

export type Origin = "AWS_KMS" | "AWS_CLOUDHSM";

export interface KeyRecord {
  KeyId: string;
  Arn: string;
  account: string;
  creationUs: number;
  Description: string;
  Origin: Origin;
  enabled: boolean;
  CustomKeyStoreId?: string;
  CloudHsmClusterId?: string;
  /** The handle of the key object in the cluster that backs a CloudHSM key (CloudTrail's backingKeyId). */
  backingKeyHandle?: string;
  policy: string;
  /** Key material kept by the KMS itself (AWS_KMS keys only; CloudHSM keys live in the cluster). */
  material?: Uint8Array;
  /** The identifier of that material (CurrentKeyMaterialId, 64 hex digits); AWS_KMS keys only (spec §2). */
  materialId?: string;
  /** Set by ScheduleKeyDeletion: when the key goes, in µs of virtual time. */
  deletionUs?: number;
  /** Tags by TagKey. */
  tags: Map<string, string>;
  /** Automatic rotation, when turned on: its period in days and when it was turned on, in µs (rotation.ts). */
  rotation?: { periodDays: number; sinceUs: number };
}

/** An alias (spec §6): a name in one account and Region pointing at one key of that account. */
export interface AliasRecord {
  AliasName: string;
  AliasArn: string;
  account: string;
  /** The key id of the key it points at. */
  TargetKeyId: string;
  creationUs: number;
  lastUpdatedUs: number;
}

/** Grant constraints (spec §9.7): encryption-context pairs a request must carry. */
export interface GrantConstraints {
  EncryptionContextEquals?: Record<string, string>;
  EncryptionContextSubset?: Record<string, string>;
}

/** A grant (spec §9.7): one key, a grantee, the operations it allows, under its constraints. */
export interface GrantRecord {
  GrantId: string;
  KeyArn: string;
  Name?: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  Operations: string[];
  Constraints?: GrantConstraints;
  IssuingAccount: string;
  creationUs: number;
  /** From when it authorizes without one of its tokens (spec §12). */
  visibleAtUs: number;
}

/** What a request brings to its authorization beyond who calls and on what (grant checks, conditions). */
export interface AccessRequest {
  /** The request's encryption context. */
  context?: Record<string, string>;
  /** GrantIds of the grant tokens the request presents: those grants count before they propagate. */
  presented?: string[];
  /** CreateGrant: the grant it would create. */
  child?: { operations: string[]; constraints: GrantConstraints | undefined };
  /** The KeyId as the request gave it (kms:RequestAlias). */
  keyIdAsGiven?: string;
  /** The encryption algorithm the request names for this key (kms:EncryptionAlgorithm), SYMMETRIC_DEFAULT if none. */
  encryptionAlgorithm?: string;
  /** The operation's own condition keys (spec §9.6), name → values. */
  conditions?: Record<string, string[]>;
}

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion" | "Unavailable";
