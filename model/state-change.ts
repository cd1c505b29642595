// Making the state after a step: `changed`, `withKey`, `withStore`, `withCluster`, `withClusters`
// (or, for the rare change that reaches everywhere, `edit`) each copy only what they touch and share
// the rest, so forking a branch costs what the step changed, not the size of the world. Every state is
// frozen, so a part shared between states cannot be changed by mistake (a write to it throws).
import { frozen } from "./frozen.ts";
import type { ModelCluster, ModelKey, ModelState, ModelStore, ModelSubnet } from "./state.ts";

/**
 * The state after `recipe` sets some of its fields: `next` is a shallow copy of `state` whose fields
 * the recipe replaces with new values (`next.aliases = [...next.aliases, alias]`), never changes in place.
 */
export function changed(state: ModelState, recipe: (next: ModelState) => void): ModelState {
  const next = { ...state };
  recipe(next);
  return frozen(next);
}

/** The state after `change` sets fields of a copy of the key `arn` (one the rule found in `state`). */
export function withKey(state: ModelState, arn: string, change: (key: ModelKey) => void): ModelState {
  return changed(state, (next) => (next.keys = replaced(state.keys, (k) => k.arn === arn, change, `key ${arn}`)));
}

/** The state after `change` sets fields of a copy of the store `id`. */
export function withStore(state: ModelState, id: string, change: (store: ModelStore) => void): ModelState {
  return changed(state, (next) => (next.stores = replaced(state.stores, (s) => s.id === id, change, `store ${id}`)));
}

/** The state after `work` changes, in place, a deep copy of the cluster `id` (clusters are small). */
export function withCluster(state: ModelState, id: string, work: (cluster: ModelCluster) => void): ModelState {
  return changed(state, (next) => (next.clusters = replaced(state.clusters, (c) => c.id === id, work, `cluster ${id}`, structuredClone)));
}

/** The state after `work` changes, in place, deep copies of every cluster and subnet (faults, §17.1). */
export function withClusters(state: ModelState, work: (clusters: ModelCluster[], subnets: ModelSubnet[]) => void): ModelState {
  const clusters = structuredClone(state.clusters);
  const subnets = structuredClone(state.subnets);
  work(clusters, subnets);
  return changed(state, (next) => {
    next.clusters = clusters;
    next.subnets = subnets;
  });
}

/** The state after `recipe` changes, in place, a deep copy of the whole of it: for the rare change that reaches everywhere. */
export function edit(state: ModelState, recipe: (draft: ModelState) => void): ModelState {
  const draft = structuredClone(state);
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
