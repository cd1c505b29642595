// Shallow copies of the frozen parts the model copies on every step — a state, a key, a store
// (model/state-change.ts), a cluster, its HSMs and users (model/drafts.ts) — written out field by field,
// and the freezing of a state's replaced fields, field by field too (a loop over a state's members by
// name reads each through a generic keyed access, the costliest line of `changed`). Why: V8 copies a frozen
// object by spread (`{ ...x }`) on a slow path, about ten times the cost of an object literal (a
// micro-benchmark on node 20: ~200 ns against ~19 ns for an 8-field HSM), and every model state is frozen.
// A copy holds the same members as the original (an `undefined` member counts as absent, as everywhere
// in the model); test/model/copies.test.ts holds each copy to its type with every field set. Optional
// fields are written too, `undefined` when absent, and the model makes every new part of these kinds
// through its copy: one hidden class per kind. Written only when present, each combination of optional
// fields had its own, and a rare one turning up late in a campaign sent the optimized functions that
// read the part back to the interpreter ("wrong map" deopts), each recompiled at a cost.
import { frozen } from "./frozen.ts";
import type { ModelCluster, ModelHsm, ModelKey, ModelState, ModelStore, ModelUser } from "./state.ts";

/** A shallow copy of `s`. */
export function stateCopy(s: ModelState): ModelState {
  const copy: ModelState = {
    clusters: s.clusters,
    subnets: s.subnets,
    backups: s.backups,
    rotations: s.rotations,
    serviceLinkedRole: s.serviceLinkedRole,
    identityPolicies: s.identityPolicies,
    principalTags: s.principalTags,
    stores: s.stores,
    keys: s.keys,
    aliases: s.aliases,
    grants: s.grants,
    retiredGrants: s.retiredGrants,
    grantTokens: s.grantTokens,
    storeRequests: s.storeRequests,
    deletedKeys: s.deletedKeys,
    backingDeletions: s.backingDeletions,
    ciphertexts: s.ciphertexts,
    slrDeletionTasks: s.slrDeletionTasks,
    inFlightFault: s.inFlightFault,
    armedFailures: s.armedFailures,
    clockAtLeastUs: s.clockAtLeastUs,
  };
  return copy;
}

/**
 * Freezes, through and through, every field of `next` (a state copy a recipe set fields of) that is not
 * the value it is in `before`: only those can hold parts not frozen yet (model/state-change.ts `changed`).
 * The number and boolean fields need no freezing.
 */
export function freezeReplacedFields(next: ModelState, before: ModelState): void {
  if (next.clusters !== before.clusters) frozen(next.clusters);
  if (next.subnets !== before.subnets) frozen(next.subnets);
  if (next.backups !== before.backups) frozen(next.backups);
  if (next.slrDeletionTasks !== before.slrDeletionTasks) frozen(next.slrDeletionTasks);
  if (next.identityPolicies !== before.identityPolicies) frozen(next.identityPolicies);
  if (next.principalTags !== before.principalTags) frozen(next.principalTags);
  if (next.stores !== before.stores) frozen(next.stores);
  if (next.keys !== before.keys) frozen(next.keys);
  if (next.aliases !== before.aliases) frozen(next.aliases);
  if (next.grants !== before.grants) frozen(next.grants);
  if (next.retiredGrants !== before.retiredGrants) frozen(next.retiredGrants);
  if (next.grantTokens !== before.grantTokens) frozen(next.grantTokens);
  if (next.storeRequests !== before.storeRequests) frozen(next.storeRequests);
  if (next.deletedKeys !== before.deletedKeys) frozen(next.deletedKeys);
  if (next.backingDeletions !== before.backingDeletions) frozen(next.backingDeletions);
  if (next.inFlightFault !== before.inFlightFault) frozen(next.inFlightFault);
  if (next.armedFailures !== before.armedFailures) frozen(next.armedFailures);
  if (next.ciphertexts !== before.ciphertexts) frozen(next.ciphertexts);
}

/** A shallow copy of `k`. */
export function keyCopy(k: ModelKey): ModelKey {
  const copy: ModelKey = {
    id: k.id,
    arn: k.arn,
    account: k.account,
    creationUs: k.creationUs,
    description: k.description,
    origin: k.origin,
    enabled: k.enabled,
    policy: k.policy,
    tags: k.tags,
    storeId: k.storeId,
    backing: k.backing,
    deletionAtUs: k.deletionAtUs,
    rotation: k.rotation,
    materialId: k.materialId,
  };
  return copy;
}

/** A shallow copy of `s`. */
export function storeCopy(s: ModelStore): ModelStore {
  const copy: ModelStore = {
    id: s.id,
    account: s.account,
    name: s.name,
    clusterId: s.clusterId,
    lineage: s.lineage,
    trustAnchor: s.trustAnchor,
    password: s.password,
    state: s.state,
    creationUs: s.creationUs,
    errorCode: s.errorCode,
    pending: s.pending,
  };
  return copy;
}

/** A shallow copy of `c`. */
export function clusterCopy(c: ModelCluster): ModelCluster {
  const copy: ModelCluster = {
    id: c.id,
    state: c.state,
    hsmType: c.hsmType,
    lineage: c.lineage,
    trustAnchor: c.trustAnchor,
    subnetMapping: c.subnetMapping,
    hsms: c.hsms,
    users: c.users,
    goneAtUs: c.goneAtUs,
    sourceBackupId: c.sourceBackupId,
    restoredObjects: c.restoredObjects,
    replicationAtUs: c.replicationAtUs,
    replicationByUs: c.replicationByUs,
  };
  return copy;
}

/** A shallow copy of `h`. */
export function hsmCopy(h: ModelHsm): ModelHsm {
  const copy: ModelHsm = {
    hsmId: h.hsmId,
    availabilityZone: h.availabilityZone,
    subnetId: h.subnetId,
    crashed: h.crashed,
    zoneDown: h.zoneDown,
    cutTo: h.cutTo,
    cutFrom: h.cutFrom,
    objects: h.objects,
    repliesLate: h.repliesLate,
  };
  return copy;
}

/** A copy of `u`. */
export const userCopy = (u: ModelUser): ModelUser => ({ password: u.password, session: u.session, failedLogins: u.failedLogins });
