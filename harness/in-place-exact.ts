// When the state audit's in-place comparison (harness/state-agrees.ts) is exact in both directions.
// It answers false, never true, for what it cannot judge cheaply — a record whose id is not its map
// key, two records with one id, a part of the wrong type — and the audit then builds both views to
// judge exactly. Where a state and the world hold none of those, its false means the views differ too:
// each record is found by its id, one-to-one, and each member compared as the views compare it. A
// state that does not agree (about one audit in thirty) is then judged without building the views.
import type { ModelState } from "../model/state.ts";
import { isRecord } from "../protocol/is-record.ts";
import type { World } from "../sim/world.ts";

/** Is each of `records` an object with a text id (`idOf` reads it), each id once? */
function distinct<R>(records: Iterable<R>, idOf: (record: R) => unknown): boolean {
  const seen = new Set<unknown>();
  for (const r of records) {
    const id = isRecord(r) ? idOf(r) : undefined;
    if (typeof id !== "string" || seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/** Is every entry of `map` keyed by the id its record holds? */
function keyedById<R>(map: ReadonlyMap<string, R>, idOf: (record: R) => string): boolean {
  for (const [key, r] of map) if (idOf(r) !== key) return false;
  return true;
}

/** The world's records: ids one-to-one with the keys they are filed under, an HSM's id once in its cluster. */
function worldWellFormed(world: World): boolean {
  const { kms, cloudhsm } = world;
  if (!distinct(kms.stores, (s) => s.CustomKeyStoreId)) return false;
  if (!keyedById(kms.keys, (k) => k.Arn) || !keyedById(kms.aliases, (a) => a.AliasArn) || !keyedById(kms.grants, (g) => g.GrantId))
    return false;
  if (!keyedById(cloudhsm.clusters, (c) => c.id)) return false;
  for (const c of cloudhsm.clusters.values()) if (!distinct(c.hsms, (h) => h.id)) return false;
  return true;
}

/** A model state's audited parts: lists of records with distinct ids, and members of the types compared in place. */
function stateWellFormed(state: ModelState): boolean {
  const { stores, keys, aliases, grants, clusters, deletedKeys, armedFailures, principalTags } = state;
  if (![stores, keys, aliases, grants, clusters, deletedKeys].every(Array.isArray)) return false;
  if (armedFailures !== undefined && !isRecord(armedFailures)) return false;
  if (!isRecord(principalTags)) return false;
  for (const arn in principalTags) {
    const tags = principalTags[arn];
    if (!isRecord(tags)) return false;
    for (const name in tags) if (typeof tags[name] !== "string") return false;
  }
  if (!distinct(stores, (s) => s.id) || !distinct(keys, (k) => k.arn) || !distinct(aliases, (a) => a.arn)) return false;
  if (!distinct(grants, (g) => g.id) || !distinct(clusters, (c) => c.id)) return false;
  for (const k of keys) {
    if (typeof k.description !== "string" || typeof k.policy !== "string" || !isRecord(k.tags)) return false;
  }
  for (const c of clusters) {
    if (!Array.isArray(c.hsms) || !distinct(c.hsms, (h) => h.hsmId) || !isRecord(c.users)) return false;
    for (const name in c.users) if (!isRecord(c.users[name])) return false;
  }
  return true;
}

/**
 * True when the in-place comparison's false, for `state` against `world` now, means the audit's views
 * differ: every record on both sides is filed under its own id, each id once. (True of every state the
 * model makes: test/harness/state-agrees.test.ts.)
 */
export function judgedExactlyInPlace(world: World, state: ModelState): boolean {
  return stateWellFormed(state) && worldWellFormed(world);
}
