// Making the state after a step: `changed`, `withKey`, `withStore`, `withCluster`, `withClusters`
// (or, for a change across stores and clusters, `edit`) each copy only what they touch and share the
// rest, so forking a branch costs what the step changed, not the size of the world; a draft's parts
// the work left as they were stay shared too (model/drafts.ts). Every state is frozen, so a part
// shared between states cannot be changed by mistake (a write to it throws).
import { freezeReplacedFields, keyCopy, stateCopy, storeCopy } from "./copies.ts";
import { committedCluster, committedClusters, committedStores, committedSubnets, draftCluster, draftStore, draftSubnet } from "./drafts.ts";
import { frozen } from "./frozen.ts";
import type { ModelCluster, ModelKey, ModelState, ModelStore, ModelSubnet } from "./state.ts";
import { packedMap } from "../protocol/packed-map.ts";

/**
 * The state after `recipe` sets some of its fields: `next` is a shallow copy of `state` whose fields
 * the recipe replaces with new values (`next.aliases = [...next.aliases, alias]`), never changes in place.
 */
export function changed(state: ModelState, recipe: (next: ModelState) => void): ModelState {
  const next = stateCopy(state);
  recipe(next);
  // Every state the model makes is frozen through and through: only the fields the recipe replaced can
  // hold parts not frozen yet, so only they are walked.
  freezeReplacedFields(next, state);
  return Object.freeze(next);
}

/** The state after `change` sets fields of a copy of the key `arn` (one the rule found in `state`). */
export function withKey(state: ModelState, arn: string, change: (key: ModelKey) => void): ModelState {
  return changed(state, (next) => (next.keys = replaced(state.keys, (k) => k.arn === arn, copiedWith(keyCopy, change), `key ${arn}`)));
}

/** The state after `change` sets fields of a copy of the store `id`. */
export function withStore(state: ModelState, id: string, change: (store: ModelStore) => void): ModelState {
  return changed(state, (next) => (next.stores = replaced(state.stores, (s) => s.id === id, copiedWith(storeCopy, change), `store ${id}`)));
}

/**
 * The state after `work` changes, in place, a draft of the cluster `id` (model/drafts.ts); `state`
 * itself when the work changed nothing.
 */
export function withCluster(state: ModelState, id: string, work: (cluster: ModelCluster) => void): ModelState {
  const clusters = replaced(
    state.clusters,
    (c) => c.id === id,
    (c) => {
      const draft = draftCluster(c);
      work(draft);
      return committedCluster(draft, c);
    },
    `cluster ${id}`,
  );
  return clusters === state.clusters ? state : changed(state, (next) => (next.clusters = clusters));
}

/**
 * The state after `work` changes, in place, drafts of the clusters `touched` picks and, with `subnets`,
 * copies of every subnet (faults, §17.1); the clusters not picked, and the subnets without `subnets`,
 * are shared with `state` unchanged. When `work` changed nothing (a fault is idempotent: a heal with
 * nothing cut, a crash of a crashed HSM), it is `state` itself, not an equal copy to freeze and compare.
 */
export function withClusters(
  state: ModelState,
  touched: (cluster: ModelCluster) => boolean,
  subnets: boolean,
  work: (clusters: ModelCluster[], subnets: ModelSubnet[]) => void,
): ModelState {
  const clusters = packedMap(state.clusters, (c) => (touched(c) ? draftCluster(c) : c));
  const drafts = clusters.filter((c, i) => c !== state.clusters[i]);
  const subnetCopies = subnets ? packedMap(state.subnets, draftSubnet) : [];
  if (drafts.length === 0 && !subnets) return state;
  work(drafts, subnetCopies);
  const committed = committedClusters(clusters, state.clusters);
  const subnetsAfter = subnets ? committedSubnets(subnetCopies, state.subnets) : state.subnets;
  if (committed === state.clusters && subnetsAfter === state.subnets) return state;
  return changed(state, (next) => {
    next.clusters = committed;
    next.subnets = subnetsAfter;
  });
}

/**
 * The state after `recipe` changes, in place, a draft of it: for a change across stores, clusters and
 * subnets (a connect's login exchange, a disconnect). The draft's stores (with their pending work),
 * clusters (see `draftCluster`), subnets and counters are copies; everything else is shared, frozen.
 */
export function edit(state: ModelState, recipe: (draft: ModelState) => void): ModelState {
  const draft = stateCopy(state);
  draft.stores = packedMap(state.stores, draftStore);
  draft.clusters = packedMap(state.clusters, draftCluster);
  draft.subnets = packedMap(state.subnets, draftSubnet);
  recipe(draft);
  draft.stores = committedStores(draft.stores, state.stores);
  draft.clusters = committedClusters(draft.clusters, state.clusters);
  draft.subnets = committedSubnets(draft.subnets, state.subnets);
  return frozen(draft);
}

/** Makes a copy of an item (model/copies.ts) and lets `change` set its fields. */
const copiedWith =
  <T extends object>(copyOf: (item: T) => T, change: (copy: T) => void) =>
  (item: T): T => {
    const copy = copyOf(item);
    change(copy);
    return copy;
  };

/** `list` with the one item `pick` finds replaced by what `make` makes of it; `list` itself when that is the item. */
function replaced<T extends object>(list: readonly T[], pick: (item: T) => boolean, make: (item: T) => T, what: string): T[] {
  const i = list.findIndex(pick);
  if (i < 0) throw new Error(`model: no ${what} to change`);
  const item = make(list[i]!);
  if (item === list[i]) return list as T[];
  const out = [...list];
  out[i] = item;
  return out;
}
