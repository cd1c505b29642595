// Drafts of clusters, stores and subnets that the model's functions change in place (model/cluster.ts,
// model/faults.ts, model/keystores.ts), and their commit into the next state. A commit keeps the
// original of every part the work left as it was: shared with the state before, frozen already, so
// freezing the new state, hashing it and comparing it with its siblings stop there (model/frozen.ts,
// protocol/structural.ts), and a step costs what it changed, not the size of the cluster.
import { byId, sameItems } from "../protocol/lists.ts";
import { clusterCopy, hsmCopy, storeCopy, userCopy } from "./copies.ts";
import type { ModelCluster, ModelHsm, ModelStore, ModelSubnet } from "./state.ts";

/**
 * A draft of `cluster`: the cluster, its HSMs and its users are copies; the key object lists and the
 * subnet mapping are shared, as they are replaced, never changed in place (a write to a shared, frozen
 * one would throw).
 */
export function draftCluster(cluster: ModelCluster): ModelCluster {
  const users: ModelCluster["users"] = {};
  for (const name in cluster.users) users[name] = userCopy(cluster.users[name]!);
  const hsms: ModelHsm[] = [];
  for (const h of cluster.hsms) hsms.push(hsmCopy(h));
  const draft = clusterCopy(cluster);
  draft.hsms = hsms;
  draft.users = users;
  return draft;
}

/** A draft of `store`, its pending work a copy too. */
export function draftStore(store: ModelStore): ModelStore {
  const draft = storeCopy(store);
  if (store.pending !== undefined) draft.pending = { ...store.pending };
  return draft;
}

export const draftSubnet = (subnet: ModelSubnet): ModelSubnet => ({ ...subnet });

/** Do `a` and `b` hold the same (===) value under every key? An `undefined` member counts as absent. */
function sameMembers(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (x[key] === undefined) continue;
    if (x[key] !== y[key]) return false;
    count++;
  }
  for (const key in y) if (y[key] !== undefined) count--;
  return count === 0;
}

/** `draft`, or `original` when the draft holds the same in every member. */
function kept<T extends object>(draft: T, original: T | undefined): T {
  return original !== undefined && (draft === original || sameMembers(draft, original)) ? original : draft;
}

/** `items`, or `originals` when every item is the original at its place. */
const keptList = <T>(items: T[], originals: readonly T[]): T[] => (sameItems(items, originals) ? (originals as T[]) : items);

/** The cluster a draft of `original` stands for: `original` itself when the work changed nothing in it. */
export function committedCluster(draft: ModelCluster, original: ModelCluster): ModelCluster {
  const hsms: ModelHsm[] = [];
  for (let i = 0; i < draft.hsms.length; i++) {
    const h = draft.hsms[i]!;
    hsms.push(
      kept(
        h,
        byId(original.hsms, i, h.hsmId, (o) => o.hsmId),
      ),
    );
  }
  draft.hsms = keptList(hsms, original.hsms);
  const users: ModelCluster["users"] = {};
  for (const name in draft.users) users[name] = kept(draft.users[name]!, original.users[name]);
  draft.users = kept(users, original.users);
  draft.subnetMapping = kept(draft.subnetMapping, original.subnetMapping);
  return kept(draft, original);
}

/** The store a draft of `original` stands for: `original` itself when the work changed nothing in it. */
export function committedStore(draft: ModelStore, original: ModelStore): ModelStore {
  if (draft.pending !== undefined && original.pending !== undefined) draft.pending = kept(draft.pending, original.pending);
  return kept(draft, original);
}

/** Drafts of `originals` (each found by its id), committed: `originals` itself when none changed. */
export function committedClusters(drafts: ModelCluster[], originals: readonly ModelCluster[]): ModelCluster[] {
  const out: ModelCluster[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const original = byId(originals, i, d.id, (c) => c.id);
    out.push(d === original || original === undefined ? d : committedCluster(d, original));
  }
  return keptList(out, originals);
}

export function committedStores(drafts: ModelStore[], originals: readonly ModelStore[]): ModelStore[] {
  const out: ModelStore[] = [];
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const original = byId(originals, i, d.id, (s) => s.id);
    out.push(original === undefined ? d : committedStore(d, original));
  }
  return keptList(out, originals);
}

export function committedSubnets(drafts: ModelSubnet[], originals: readonly ModelSubnet[]): ModelSubnet[] {
  const out: ModelSubnet[] = [];
  for (let i = 0; i < drafts.length; i++)
    out.push(
      kept(
        drafts[i]!,
        byId(originals, i, drafts[i]!.subnetId, (s) => s.subnetId),
      ),
    );
  return keptList(out, originals);
}
