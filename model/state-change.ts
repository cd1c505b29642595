// Making the state after a step: `changed`, `withKey`, `withStore`, `withCluster`, `withClusters`
// (or, for a change across stores and clusters, `edit`) each copy only what they touch and share the
// rest, so forking a branch costs what the step changed, not the size of the world. Every state is
// frozen, so a part shared between states cannot be changed by mistake (a write to it throws).
import { structuralEqual } from "../protocol/structural.ts";
import { clusterOf } from "./cluster.ts";
import { frozen } from "./frozen.ts";
import type { ModelCluster, ModelKey, ModelState, ModelStore, ModelSubnet } from "./state.ts";

/**
 * A draft of `cluster` that the functions of model/cluster.ts may change in place: the cluster, its
 * HSMs, its users and its subnet mapping are copies; the key object lists are shared, as they are
 * replaced, never changed in place (a write to a shared, frozen one would throw).
 */
export function draftCluster(cluster: ModelCluster): ModelCluster {
  const users: ModelCluster["users"] = {};
  for (const name in cluster.users) users[name] = { ...cluster.users[name]! };
  return { ...cluster, subnetMapping: { ...cluster.subnetMapping }, hsms: cluster.hsms.map((h) => ({ ...h })), users };
}

const draftStore = (store: ModelStore): ModelStore =>
  store.pending === undefined ? { ...store } : { ...store, pending: { ...store.pending } };

/**
 * The state after `recipe` sets some of its fields: `next` is a shallow copy of `state` whose fields
 * the recipe replaces with new values (`next.aliases = [...next.aliases, alias]`), never changes in place.
 */
export function changed(state: ModelState, recipe: (next: ModelState) => void): ModelState {
  const next = { ...state };
  recipe(next);
  // Every state the model makes is frozen through and through: only the fields the recipe replaced can
  // hold parts not frozen yet, so only they are walked.
  for (const key in next) {
    const field = key as keyof ModelState;
    if (next[field] !== state[field]) frozen(next[field]);
  }
  return Object.freeze(next);
}

/** The state after `change` sets fields of a copy of the key `arn` (one the rule found in `state`). */
export function withKey(state: ModelState, arn: string, change: (key: ModelKey) => void): ModelState {
  return changed(state, (next) => (next.keys = replaced(state.keys, (k) => k.arn === arn, change, `key ${arn}`)));
}

/** The state after `change` sets fields of a copy of the store `id`. */
export function withStore(state: ModelState, id: string, change: (store: ModelStore) => void): ModelState {
  return changed(state, (next) => (next.stores = replaced(state.stores, (s) => s.id === id, change, `store ${id}`)));
}

/** The state after `work` changes, in place, a draft of the cluster `id` (see `draftCluster`). */
export function withCluster(state: ModelState, id: string, work: (cluster: ModelCluster) => void): ModelState {
  return changed(state, (next) => (next.clusters = replaced(state.clusters, (c) => c.id === id, work, `cluster ${id}`, draftCluster)));
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
  const clusters = state.clusters.map((c) => (touched(c) ? draftCluster(c) : c));
  const drafts = clusters.filter((c, i) => c !== state.clusters[i]);
  const subnetCopies = subnets ? state.subnets.map((s) => ({ ...s })) : [];
  if (drafts.length === 0 && !subnets) return state;
  work(drafts, subnetCopies);
  const same =
    drafts.every((d) => structuralEqual(d, clusterOf(state, d.id))) && (!subnets || structuralEqual(subnetCopies, state.subnets));
  if (same) return state;
  return changed(state, (next) => {
    next.clusters = clusters;
    if (subnets) next.subnets = subnetCopies;
  });
}

/**
 * The state after `recipe` changes, in place, a draft of it: for a change across stores, clusters and
 * subnets (a connect's login exchange, a disconnect). The draft's stores (with their pending work),
 * clusters (see `draftCluster`), subnets and counters are copies; everything else is shared, frozen.
 */
export function edit(state: ModelState, recipe: (draft: ModelState) => void): ModelState {
  const draft: ModelState = {
    ...state,
    stores: state.stores.map(draftStore),
    clusters: state.clusters.map(draftCluster),
    subnets: state.subnets.map((s) => ({ ...s })),
  };
  recipe(draft);
  return frozen(draft);
}

/** `list` with the one item `pick` finds replaced by a copy that `change` has changed. */
function replaced<T extends object>(
  list: readonly T[],
  pick: (item: T) => boolean,
  change: (copy: T) => void,
  what: string,
  copy: (item: T) => T = (item) => ({ ...item }),
): T[] {
  const i = list.findIndex(pick);
  if (i < 0) throw new Error(`model: no ${what} to change`);
  const out = [...list];
  const item = copy(list[i]!);
  change(item);
  out[i] = item;
  return out;
}
