// The state audit's everyday comparison: does the world hold what a model state holds, as the audit
// sees it? Read straight from the model's records and the world's, side by side: no view of either is
// built. The same judgement as `structuralEqual(observeModel(state), observer.snapshot(withUsers))`
// (harness/audit.ts, harness/observer.ts) whenever it answers true; the audit asks it first and builds
// the view and the snapshot only when it answers false (to judge exactly, and to say what differs).
// Anything it cannot judge cheaply — a record whose id is not its map key, two records with one id —
// it answers false, never true. It runs after every step for each live model state, so it allocates
// nothing of its own: maps are walked by key (`for (const [k, v] of map)` makes a pair per entry).
import { isUp } from "../model/cluster.ts";
import { keyState } from "../model/key-lookup.ts";
import type { ModelCluster, ModelState, ModelUser } from "../model/state.ts";
import { isRecord } from "../protocol/is-record.ts";
import { byId } from "../protocol/lists.ts";
import { structuralEqual } from "../protocol/structural.ts";
import { isKeyArn } from "../sim/kms/key-id.ts";
import type { CryptoUser } from "../sim/hsm/cluster.ts";
import type { World } from "../sim/world.ts";
import { labelsOf } from "./key-labels.ts";

type Members = Record<string, unknown>;

/** Own members not `undefined` (a view or snapshot record counts these). */
function ownDefined(o: Members): number {
  let n = 0;
  for (const key in o) if (Object.hasOwn(o, key) && o[key] !== undefined) n++;
  return n;
}

// The id readers byId and distinctIds are given: made once here, as a function written at the call
// would be a new closure on every call, and the audit compares after every step, for each model state.
const storeIdOf = (s: { CustomKeyStoreId: string }): string => s.CustomKeyStoreId;
const idOf = (x: { id: string }): string => x.id;
const arnOf = (x: { arn: string }): string => x.arn;
const hsmIdOf = (x: { hsmId: string }): string => x.hsmId;

/** Are the records' ids distinct? (A view keys its records by id: two records with one id would be one member.) */
function distinctIds<R>(records: readonly R[], idOf: (record: R) => string): boolean {
  for (let i = 1; i < records.length; i++) for (let j = 0; j < i; j++) if (idOf(records[i]!) === idOf(records[j]!)) return false;
  return true;
}

/*
 * Each part below is compared as one-to-one records: the world's ids distinct, each found among the
 * model's, and as many on both sides; so the model's ids are distinct too, and the two records have the
 * same members.
 */

function storesAgree(world: World, state: ModelState): boolean {
  const { stores } = world.kms;
  if (stores.length !== state.stores.length || !distinctIds(stores, storeIdOf)) return false;
  for (let i = 0; i < stores.length; i++) {
    const s = stores[i]!;
    const m = byId(state.stores, i, s.CustomKeyStoreId, idOf);
    if (m === undefined || m.state !== s.ConnectionState || (m.errorCode ?? null) !== (s.ConnectionErrorCode ?? null)) return false;
  }
  return true;
}

/** A model key's tags against a world key's tag map: the same members with the same values. */
function sameTags(tags: unknown, map: ReadonlyMap<string, string>): boolean {
  if (!isRecord(tags)) return false;
  let n = 0;
  for (const name of map.keys()) {
    const value = map.get(name);
    if (value === undefined) continue;
    n++;
    if (!Object.hasOwn(tags, name) || tags[name] !== value) return false;
  }
  return ownDefined(tags) === n;
}

function keysAgree(world: World, state: ModelState): boolean {
  const { kms } = world;
  if (kms.keys.size !== state.keys.length) return false;
  let i = 0;
  for (const arn of kms.keys.keys()) {
    const k = kms.keys.get(arn)!;
    const m = byId(state.keys, i++, arn, arnOf);
    if (m === undefined || arn !== k.Arn) return false;
    if (keyState(state, m) !== kms.keyState(k) || m.enabled !== k.enabled || m.description !== k.Description) return false;
    if (m.policy !== k.policy || (m.rotation?.periodDays ?? null) !== (k.rotation?.periodDays ?? null)) return false;
    if (!sameTags(m.tags, k.tags)) return false;
  }
  return true;
}

function aliasesAgree(world: World, state: ModelState): boolean {
  const { kms } = world;
  if (kms.aliases.size !== state.aliases.length) return false;
  let i = 0;
  for (const arn of kms.aliases.keys()) {
    const a = kms.aliases.get(arn)!;
    const m = byId(state.aliases, i++, arn, arnOf);
    if (
      m === undefined ||
      arn !== a.AliasArn ||
      typeof m.targetArn !== "string" ||
      !isKeyArn(m.targetArn, kms.options.region, a.account, a.TargetKeyId)
    )
      return false;
  }
  return true;
}

function grantsAgree(world: World, state: ModelState): boolean {
  const { grants } = world.kms;
  if (grants.size !== state.grants.length) return false;
  let i = 0;
  for (const id of grants.keys()) {
    const g = grants.get(id)!;
    const m = byId(state.grants, i++, id, idOf);
    if (m === undefined || id !== g.GrantId || m.keyArn !== g.KeyArn || m.grantee !== g.GranteePrincipal) return false;
    if ((m.retiring ?? null) !== (g.RetiringPrincipal ?? null) || (m.name ?? null) !== (g.Name ?? null)) return false;
    if (!structuralEqual(m.operations, g.Operations) || !structuralEqual(m.constraints ?? null, g.Constraints ?? null)) return false;
  }
  return true;
}

/**
 * One HSM's key ARNs, model against world: the labels of its key objects whose keys each side holds or
 * has deleted, each once (both lists are sorted, so equal as sets means equal as lists). Reads which
 * keys the KMS holds from the world alone: keysAgree has found the model holds the same ones. Each
 * world object is looked for among the model's sorted labels by bisection, the labels found marked in
 * a scratch list: the world's objects are walked once, not once per label.
 */
function sameLabels(world: World, state: ModelState, objects: readonly string[], held: ReadonlyMap<string, { label: string }>): boolean {
  const labels = objects.length === 0 ? NO_LABELS : labelsOf(objects);
  if (found.length < labels.length) found = new Uint8Array(labels.length * 2);
  found.fill(0, 0, labels.length);
  for (const o of held.values()) {
    if (!worldKnows(world, o.label)) continue;
    const at = indexOf(labels, o.label);
    if (at < 0 || !modelKnows(world, state, o.label)) return false;
    found[at] = 1;
  }
  for (let i = 0; i < labels.length; i++) {
    if (found[i] === 1 || !modelKnows(world, state, labels[i]!)) continue;
    return false; // a key the model's HSM holds and the world's does not (or the world does not know the key)
  }
  return true;
}

/** Which labels sameLabels found on the world's HSM (reused: the audit allocates nothing of its own). */
let found = new Uint8Array(64);

/** Where `label` is in the sorted list `labels`, or -1. */
function indexOf(labels: readonly string[], label: string): number {
  let lo = 0;
  let hi = labels.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = labels[mid]!;
    if (at === label) return mid;
    if (at < label) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

const NO_LABELS: readonly string[] = [];

/** Does the model hold, or has it deleted, key `arn`? (Its keys are the world's: see sameLabels.) */
const modelKnows = (world: World, state: ModelState, arn: string): boolean => world.kms.keys.has(arn) || state.deletedKeys.includes(arn);

/** Does the world's KMS hold, or has it deleted, key `arn`? */
const worldKnows = (world: World, arn: string): boolean => world.kms.keys.has(arn) || world.kms.deletedKeyArns.has(arn);

/**
 * A crypto user's `passwordHeldBy`: the stores of the cluster holding the user's password, model's
 * against world's (each side its own user's password). Store ids are one-to-one (storesAgree).
 */
function sameHolders(world: World, state: ModelState, clusterId: string, m: ModelUser, password: string): boolean {
  // Indexed loops: for-of here left an iterator result per store allocated (tools/alloc-profile.mjs).
  const worldStores = world.kms.stores;
  let holders = 0;
  for (let i = 0; i < worldStores.length; i++) {
    const s = worldStores[i]!;
    if (s.CloudHsmClusterId === clusterId && s.password === password) holders++;
  }
  for (let i = 0; i < state.stores.length; i++) {
    const s = state.stores[i]!;
    if (s.clusterId !== clusterId || s.password !== m.password) continue;
    holders--;
    const w = world.kms.store(s.id);
    if (w?.CloudHsmClusterId !== clusterId || w.password !== password) return false;
  }
  return holders === 0;
}

function usersAgree(world: World, state: ModelState, c: ModelCluster, users: ReadonlyMap<string, CryptoUser>): boolean {
  // As many defined model users as world users, each found among them: the same names.
  if (ownDefined(c.users) !== users.size) return false;
  for (const name in c.users) {
    const m = Object.hasOwn(c.users, name) ? c.users[name] : undefined;
    if (m === undefined) continue;
    const u = users.get(name);
    if (u === undefined || m.session !== (u.session ?? null) || m.failedLogins !== u.failedLogins) return false;
    if (!sameHolders(world, state, c.id, m, u.password)) return false;
  }
  return true;
}

function clustersAgree(world: World, state: ModelState, withUsers: boolean): boolean {
  const { clusters } = world.cloudhsm;
  if (clusters.size !== state.clusters.length) return false;
  let i = 0;
  for (const id of clusters.keys()) {
    const c = clusters.get(id)!;
    const m = byId(state.clusters, i++, id, idOf);
    if (m === undefined || id !== c.id || m.state !== c.state) return false;
    if (m.hsms.length !== c.hsms.length || !distinctIds(c.hsms, idOf)) return false;
    for (let j = 0; j < c.hsms.length; j++) {
      const h = c.hsms[j]!;
      const mh = byId(m.hsms, j, h.id, hsmIdOf);
      if (mh === undefined || isUp(mh) !== h.up || !sameLabels(world, state, mh.objects, h.objects)) return false;
    }
    if (withUsers && !usersAgree(world, state, m, c.users)) return false;
  }
  return true;
}

function armedFailuresAgree(world: World, state: ModelState): boolean {
  const armed: Members = state.armedFailures ?? {};
  const doors = world.doors;
  let n = 0;
  for (const service in doors) {
    if (!Object.hasOwn(doors, service)) continue;
    const error = doors[service as keyof typeof doors].armed;
    if (error === undefined) continue;
    n++;
    if (!Object.hasOwn(armed, service) || armed[service] !== error) return false;
  }
  return ownDefined(armed) === n;
}

/**
 * How many principals of `tagsByArn` have tags, each found with the same tags in the model's `modelTags`;
 * -1 at the first that is not.
 */
function taggedAlike(tagsByArn: ReadonlyMap<string, ReadonlyMap<string, string>>, modelTags: Members): number {
  let n = 0;
  for (const arn of tagsByArn.keys()) {
    const tags = tagsByArn.get(arn)!;
    if (tags.size === 0) continue;
    n++;
    if (!Object.hasOwn(modelTags, arn) || !sameTags(modelTags[arn], tags)) return -1;
  }
  return n;
}

/**
 * The principals' tags, the service-linked role's among them: each principal the world has tagged
 * against the model's tags of it, and no principal the model has tagged left over.
 */
function principalTagsAgree(world: World, state: ModelState): boolean {
  const modelTags = state.principalTags;
  if (!isRecord(modelTags)) return false;
  const principals = taggedAlike(world.iam.tagsOfPrincipals, modelTags);
  const serviceLinkedRoles = principals < 0 ? -1 : taggedAlike(world.iamService.tagsOfServiceLinkedRoles, modelTags);
  if (serviceLinkedRoles < 0) return false;
  let tagged = 0;
  for (const arn in modelTags) {
    if (!Object.hasOwn(modelTags, arn)) continue;
    const tags = modelTags[arn];
    if (!isRecord(tags)) return false;
    if (ownDefined(tags) > 0) tagged++;
  }
  return tagged === principals + serviceLinkedRoles;
}

/**
 * True only when the world holds exactly what model state `state` holds as the audit compares them:
 * `structuralEqual(observeModel(state, withUsers), observer.snapshot(withUsers))`. The parts are
 * judged in this order: the key ARNs and store ids the later parts read are found one-to-one first.
 *
 * `agreed`, when given, is a state this function found agreeing with the world as it is now (earlier
 * in the same audit, with the same `withUsers`). A part of `state` that is the very same object as
 * agreed's, as is every other part its judgement reads, would be judged alike: it is not judged again.
 * (Model states are immutable, and those forked from one share what the fork did not change.) What
 * each judgement reads: stores — the stores; keys — the keys and the stores (a key's state in a store
 * is the store's); aliases, grants, armed failures — themselves; clusters — the clusters, the stores
 * (passwordHeldBy) and the deleted keys (which HSM labels count).
 */
export function stateAgrees(world: World, state: ModelState, withUsers: boolean, agreed?: ModelState): boolean {
  const { stores, keys, aliases, grants, clusters, deletedKeys } = state;
  const lists = Array.isArray(stores) && Array.isArray(keys) && Array.isArray(aliases) && Array.isArray(grants);
  if (!lists || !Array.isArray(clusters) || !Array.isArray(deletedKeys)) return false;
  const sameStores = agreed !== undefined && stores === agreed.stores;
  return (
    (sameStores || storesAgree(world, state)) &&
    ((sameStores && keys === agreed.keys) || keysAgree(world, state)) &&
    (aliases === agreed?.aliases || aliasesAgree(world, state)) &&
    (grants === agreed?.grants || grantsAgree(world, state)) &&
    ((sameStores && clusters === agreed.clusters && deletedKeys === agreed.deletedKeys) || clustersAgree(world, state, withUsers)) &&
    ((agreed !== undefined && state.armedFailures === agreed.armedFailures) || armedFailuresAgree(world, state)) &&
    ((agreed !== undefined && state.principalTags === agreed.principalTags) || principalTagsAgree(world, state))
  );
}
