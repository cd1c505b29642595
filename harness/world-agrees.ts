// The world side of the state audit, compared in place: does the world hold what a view (`Observed`,
// a model state as harness/audit.ts sees it) says, read straight from the world's records? The same
// judgement as `structuralEqual(view, observer.snapshot(withUsers))` whenever it answers true, without
// building the snapshot every step: the audit asks it first and builds the snapshot only when it
// answers false (to judge exactly, and to say what differs). Anything it cannot judge cheaply — an odd
// shape, a world id that does not match its map key — it answers false, never true.
import { structuralEqual } from "../protocol/structural.ts";
import type { World } from "../sim/world.ts";

type Members = Record<string, unknown>;

function isRecord(v: unknown): v is Members {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Members not `undefined`, as structuralEqual counts them (inherited enumerable ones too, as `for…in` sees them). */
function definedMembers(o: Members): number {
  let n = 0;
  for (const key in o) if (o[key] !== undefined) n++;
  return n;
}

/** 1 for a member the snapshot writes (not `undefined`), 0 for one it leaves out. */
const counts = (v: unknown): number => (v === undefined ? 0 : 1);

/** Are the records' ids distinct? (The snapshot keys its records by id: two records with one id would be one member.) */
function distinctIds<R>(records: readonly R[], idOf: (record: R) => string): boolean {
  for (let i = 1; i < records.length; i++) for (let j = 0; j < i; j++) if (idOf(records[i]!) === idOf(records[j]!)) return false;
  return true;
}

/** `tags` (a view's) against a key record's tag map: the same members with the same values. */
function sameTags(tags: unknown, map: ReadonlyMap<string, string>): boolean {
  if (!isRecord(tags)) return false;
  let n = 0;
  for (const [name, value] of map) {
    if (value === undefined) continue;
    n++;
    if (tags[name] !== value) return false;
  }
  return definedMembers(tags) === n;
}

/** A view's key ARNs on one HSM against the labels of its key objects the KMS holds or deleted: sorted, each once. */
function sameLabels(keys: unknown, objects: ReadonlyMap<string, { label: string }>, known: (label: string) => boolean): boolean {
  if (!Array.isArray(keys)) return false;
  if (keys.length === 0) {
    for (const o of objects.values()) if (known(o.label)) return false;
    return true;
  }
  for (let i = 0; i < keys.length; i++) {
    const label: unknown = keys[i];
    if (typeof label !== "string" || (i > 0 && !((keys[i - 1] as string) < label)) || !known(label)) return false;
    let held = false;
    for (const o of objects.values()) if (o.label === label) held = true;
    if (!held) return false;
  }
  for (const o of objects.values()) if (known(o.label) && !keys.includes(o.label)) return false;
  return true;
}

/**
 * A view's `passwordHeldBy` against the stores of cluster `clusterId` holding `password`: their ids,
 * sorted. Strictly ascending ids, each such a store's, as many as there are such stores (two stores
 * with one id would be listed twice: this answers false, and the snapshot judges).
 */
function sameHolders(heldBy: unknown, world: World, clusterId: string, password: string): boolean {
  if (!Array.isArray(heldBy)) return false;
  let holders = 0;
  for (const s of world.kms.stores) if (s.CloudHsmClusterId === clusterId && s.password === password) holders++;
  if (heldBy.length !== holders) return false;
  for (let i = 0; i < heldBy.length; i++) {
    const id: unknown = heldBy[i];
    if (typeof id !== "string" || (i > 0 && !((heldBy[i - 1] as string) < id))) return false;
    const store = world.kms.store(id);
    if (store?.CloudHsmClusterId !== clusterId || store.password !== password) return false;
  }
  return true;
}

function storesAgree(world: World, stores: unknown): boolean {
  if (!isRecord(stores)) return false;
  const { kms } = world;
  for (const s of kms.stores) {
    const v = stores[s.CustomKeyStoreId];
    if (!isRecord(v) || v["state"] !== s.ConnectionState || v["errorCode"] !== (s.ConnectionErrorCode ?? null)) return false;
    if (definedMembers(v) !== counts(s.ConnectionState) + 1) return false;
  }
  return definedMembers(stores) === kms.stores.length && distinctIds(kms.stores, (s) => s.CustomKeyStoreId);
}

function keysAgree(world: World, keys: unknown): boolean {
  if (!isRecord(keys)) return false;
  const { kms } = world;
  for (const [arn, k] of kms.keys) {
    const v = keys[arn];
    if (arn !== k.Arn || !isRecord(v)) return false;
    const state = kms.keyState(k);
    const rotationDays = k.rotation?.periodDays ?? null;
    if (v["state"] !== state || v["enabled"] !== k.enabled || v["description"] !== k.Description || v["policy"] !== k.policy) return false;
    if (v["rotationDays"] !== rotationDays || !sameTags(v["tags"], k.tags)) return false;
    const members = counts(state) + counts(k.enabled) + counts(k.Description) + counts(k.policy) + 2;
    if (definedMembers(v) !== members) return false;
  }
  return definedMembers(keys) === kms.keys.size;
}

function aliasesAgree(world: World, aliases: unknown): boolean {
  if (!isRecord(aliases)) return false;
  const { kms } = world;
  for (const [arn, a] of kms.aliases) if (arn !== a.AliasArn || aliases[arn] !== kms.keyArn(a.account, a.TargetKeyId)) return false;
  return definedMembers(aliases) === kms.aliases.size;
}

function grantsAgree(world: World, grants: unknown): boolean {
  if (!isRecord(grants)) return false;
  const { kms } = world;
  for (const [id, g] of kms.grants) {
    const v = grants[id];
    if (id !== g.GrantId || !isRecord(v)) return false;
    if (v["keyArn"] !== g.KeyArn || v["grantee"] !== g.GranteePrincipal || v["retiring"] !== (g.RetiringPrincipal ?? null)) return false;
    if (v["name"] !== (g.Name ?? null) || !structuralEqual(v["operations"], g.Operations)) return false;
    if (!structuralEqual(v["constraints"], g.Constraints ?? null)) return false;
    if (definedMembers(v) !== counts(g.KeyArn) + counts(g.GranteePrincipal) + counts(g.Operations) + 3) return false;
  }
  return definedMembers(grants) === kms.grants.size;
}

function clustersAgree(world: World, clusters: unknown, withUsers: boolean): boolean {
  if (!isRecord(clusters)) return false;
  const { kms, cloudhsm } = world;
  const known = (label: string) => kms.keys.has(label) || kms.deletedKeyArns.has(label);
  for (const [id, c] of cloudhsm.clusters) {
    const v = clusters[id];
    if (id !== c.id || !isRecord(v) || v["state"] !== c.state) return false;
    const hsms = v["hsms"];
    if (!isRecord(hsms)) return false;
    for (const h of c.hsms) {
      const hv = hsms[h.id];
      if (!isRecord(hv) || hv["up"] !== h.up || !sameLabels(hv["keys"], h.objects, known) || definedMembers(hv) !== 2) return false;
    }
    if (definedMembers(hsms) !== c.hsms.length || !distinctIds(c.hsms, (h) => h.id)) return false;
    if (withUsers && !usersAgree(world, c.id, c.users, v["users"])) return false;
    if (definedMembers(v) !== counts(c.state) + 1 + (withUsers ? 1 : 0)) return false;
  }
  return definedMembers(clusters) === cloudhsm.clusters.size;
}

function usersAgree(
  world: World,
  clusterId: string,
  users: ReadonlyMap<string, { password: string; session: string | undefined; failedLogins: number }>,
  view: unknown,
): boolean {
  if (!isRecord(view)) return false;
  for (const [name, u] of users) {
    const v = view[name];
    if (!isRecord(v) || v["session"] !== (u.session ?? null) || v["failedLogins"] !== u.failedLogins) return false;
    if (!sameHolders(v["passwordHeldBy"], world, clusterId, u.password) || definedMembers(v) !== 2 + counts(u.failedLogins)) return false;
  }
  return definedMembers(view) === users.size;
}

function armedFailuresAgree(world: World, armed: unknown): boolean {
  if (!isRecord(armed)) return false;
  const doors = world.doors;
  let n = 0;
  for (const service in doors) {
    const error = doors[service as keyof typeof doors].armed;
    if (error === undefined) continue;
    n++;
    if (armed[service] !== error) return false;
  }
  return definedMembers(armed) === n;
}

/**
 * True only when the world holds exactly what `view` (an `Observed`, harness/observer.ts, which imports
 * this file) says, as `structuralEqual(view, snapshot(withUsers))` would find.
 */
export function worldAgrees(world: World, view: unknown, withUsers: boolean): boolean {
  if (!isRecord(view) || definedMembers(view) !== 6) return false;
  return (
    storesAgree(world, view["stores"]) &&
    keysAgree(world, view["keys"]) &&
    aliasesAgree(world, view["aliases"]) &&
    grantsAgree(world, view["grants"]) &&
    clustersAgree(world, view["clusters"], withUsers) &&
    armedFailuresAgree(world, view["armedFailures"])
  );
}
