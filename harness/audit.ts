// The state audit: after every step, what the world holds must be what at least one live model state
// holds — each store's ConnectionState and error code, each key's KeyState, enabled flag, description,
// tags and key policy, each alias's target, each live grant, each cluster's state, its HSMs (up or
// not, and which KMS keys' material each holds, deleted keys' orphaned material included) and its
// crypto users (session, failed logins, and which stores hold their password). It catches a wrong
// turn when it happens, not only when a later call happens to look.
import { isUp, labelOf } from "../model/cluster.ts";
import { keyState } from "../model/key-lookup.ts";
import { exchangeWindowUs } from "../model/model.ts";
import type { ModelAlias, ModelCluster, ModelGrant, ModelKey, ModelState, ModelStore, ModelWorld } from "../model/state.ts";
import { dedupeStructural, structuralEqual } from "../protocol/structural.ts";
import type { Observed, Observer } from "./observer.ts";

const sorted = (xs: string[]): string[] => [...xs].sort();

type Views = Observed;
type KeyView = Views["keys"][string];
type ClusterView = Views["clusters"][string];

/**
 * Model states are immutable and share unchanged parts with the states they came from, so each part's
 * view is made once per part (and what it depends on) and shared by every state holding that part: a
 * step costs the audit the views of what it changed.
 */
const storeViews = new WeakMap<readonly ModelStore[], Views["stores"]>();
const keyViews = new WeakMap<ModelKey, { state: string; view: KeyView }>();
const aliasViews = new WeakMap<readonly ModelAlias[], Views["aliases"]>();
const grantViews = new WeakMap<readonly ModelGrant[], Views["grants"]>();
/** By cluster: its view, made for a set of key ARNs and (with crypto users only) a list of stores. */
const clusterViews = new WeakMap<
  ModelCluster,
  { arns: ReadonlySet<string>; stores: readonly ModelStore[] | undefined; view: ClusterView }
>();
/** By key list, by cluster list: the per-part views the record was made of, and the record. */
const keyRecords = new WeakMap<readonly ModelKey[], { views: KeyView[]; record: Views["keys"] }>();
const clusterRecords = new WeakMap<readonly ModelCluster[], { views: ClusterView[]; record: Views["clusters"] }>();
const armedViews = new WeakMap<object, Views["armedFailures"]>();
const NONE_ARMED: Views["armedFailures"] = {};

const labelLists = new WeakMap<readonly string[], string[]>();
/** The labels of an HSM's key objects, each once, sorted (key object lists are shared between states). */
function labelsOf(objects: readonly string[]): string[] {
  let labels = labelLists.get(objects);
  if (labels === undefined) {
    labels = [...new Set(objects.map(labelOf))].sort();
    labelLists.set(objects, labels);
  }
  return labels;
}

const keyArnSets = new WeakMap<readonly ModelKey[], { deletedKeys: readonly string[]; arns: ReadonlySet<string> }>();
/** The set keyArnsOf last made: a new key list with the same ARNs (a key's fields changed) gets this one back. */
let lastArns: ReadonlySet<string> = new Set();
/**
 * The ARNs of the keys the KMS holds or has deleted: whose material the audit compares. The same set
 * object while the ARNs stay the same, so the cluster views made for it stay valid.
 */
function keyArnsOf(state: ModelState): ReadonlySet<string> {
  const known = keyArnSets.get(state.keys);
  if (known?.deletedKeys === state.deletedKeys) return known.arns;
  let arns: ReadonlySet<string> = new Set([...state.keys.map((k) => k.arn), ...state.deletedKeys]);
  if (arns.size === lastArns.size && [...arns].every((arn) => lastArns.has(arn))) arns = lastArns;
  else lastArns = arns;
  keyArnSets.set(state.keys, { deletedKeys: state.deletedKeys, arns });
  return arns;
}

function storesView(state: ModelState): Views["stores"] {
  let view = storeViews.get(state.stores);
  if (view === undefined) {
    view = {};
    for (const s of state.stores) view[s.id] = { state: s.state, errorCode: s.errorCode ?? null };
    storeViews.set(state.stores, view);
  }
  return view;
}

function keyView(state: ModelState, k: ModelKey): KeyView {
  const keyStateNow = keyState(state, k);
  const known = keyViews.get(k);
  if (known?.state === keyStateNow) return known.view;
  const view = {
    state: keyStateNow,
    enabled: k.enabled,
    description: k.description,
    tags: k.tags,
    policy: k.policy,
    rotationDays: k.rotation?.periodDays ?? null,
  };
  keyViews.set(k, { state: keyStateNow, view });
  return view;
}

function aliasesView(state: ModelState): Views["aliases"] {
  let view = aliasViews.get(state.aliases);
  if (view === undefined) {
    view = {};
    for (const a of state.aliases) view[a.arn] = a.targetArn;
    aliasViews.set(state.aliases, view);
  }
  return view;
}

function grantsView(state: ModelState): Views["grants"] {
  let view = grantViews.get(state.grants);
  if (view === undefined) {
    view = {};
    for (const g of state.grants)
      view[g.id] = {
        keyArn: g.keyArn,
        grantee: g.grantee,
        retiring: g.retiring ?? null,
        operations: g.operations,
        name: g.name ?? null,
        constraints: (g.constraints as Record<string, Record<string, string>> | undefined) ?? null,
      };
    grantViews.set(state.grants, view);
  }
  return view;
}

/** A cluster's view: its HSMs' key objects (of keys the KMS holds or deleted) and, `withUsers`, its crypto users. */
function clusterView(state: ModelState, c: ModelCluster, withUsers: boolean): ClusterView {
  const keyArns = keyArnsOf(state);
  const stores = withUsers ? state.stores : undefined; // only the crypto users' view reads the stores
  const known = clusterViews.get(c);
  if (known !== undefined && known.arns === keyArns && known.stores === stores) return known.view;
  const hsms: ClusterView["hsms"] = {};
  for (const h of c.hsms) hsms[h.hsmId] = { up: isUp(h), keys: labelsOf(h.objects).filter((l) => keyArns.has(l)) };
  const view: ClusterView = { state: c.state, hsms };
  if (withUsers) {
    const users: NonNullable<ClusterView["users"]> = {};
    for (const [name, u] of Object.entries(c.users)) {
      users[name] = {
        session: u.session,
        failedLogins: u.failedLogins,
        passwordHeldBy: sorted(state.stores.filter((s) => s.clusterId === c.id && s.password === u.password).map((s) => s.id)),
      };
    }
    view.users = users;
  }
  clusterViews.set(c, { arns: keyArns, stores, view });
  return view;
}

/** A model state as the audit compares it with the world (`Observed`, harness/observer.ts). */
export function observeModel(state: ModelState, withUsers: boolean): Observed {
  const keys = recordOf(
    keyRecords,
    state.keys,
    (k) => keyView(state, k),
    (k) => k.arn,
  );
  const clusters = recordOf(
    clusterRecords,
    state.clusters,
    (c) => clusterView(state, c, withUsers),
    (c) => c.id,
  );
  return {
    stores: storesView(state),
    keys,
    aliases: aliasesView(state),
    grants: grantsView(state),
    clusters,
    armedFailures: armedView(state),
  };
}

/** The record `id → view` of `parts`: the one made last for this list when every part's view is the same object again. */
function recordOf<P extends object, V>(
  made: WeakMap<readonly P[], { views: V[]; record: Record<string, V> }>,
  parts: readonly P[],
  viewOf: (part: P) => V,
  idOf: (part: P) => string,
): Record<string, V> {
  const views = parts.map(viewOf);
  const known = made.get(parts);
  if (known !== undefined && known.views.every((v, i) => v === views[i])) return known.record;
  const record: Record<string, V> = {};
  parts.forEach((part, i) => (record[idOf(part)] = views[i]!));
  made.set(parts, { views, record });
  return record;
}

function armedView(state: ModelState): Views["armedFailures"] {
  const armed = state.armedFailures;
  if (armed === undefined) return NONE_ARMED;
  let view = armedViews.get(armed);
  if (view === undefined) armedViews.set(armed, (view = { ...armed }));
  return view;
}

/** True when a connect in `state` may have its procedure on the wire at `nowUs`: its login lands at no fixed instant. */
export function exchangeUnderWay(world: ModelWorld, state: ModelState, nowUs: number): boolean {
  return state.stores.some(
    (s) => s.pending?.kind === "connect" && nowUs >= s.pending.exchangeAtUs && nowUs < s.pending.exchangeAtUs + exchangeWindowUs(world),
  );
}

/** Flattens an observation into `path = value` lines, for a readable difference. */
function flatten(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path === "" ? k : `${path}.${k}`, out);
  } else out.set(path, JSON.stringify(value));
  return out;
}

/** What differs between the world and one model view, as `path: world X, model Y` (at most `max`). */
export function difference(world: Observed, model: Observed, max = 6): string[] {
  const a = flatten(world, "", new Map());
  const b = flatten(model, "", new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const lines = paths
    .filter((p) => a.get(p) !== b.get(p))
    .map((p) => `${p}: world ${a.get(p) ?? "(absent)"}, model ${b.get(p) ?? "(absent)"}`);
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines;
}

/** The model states that agree with the world; when none does, what differs from each distinct view. */
export function auditStates(
  observer: Observer,
  mworld: ModelWorld,
  states: ModelState[],
  nowUs: number,
): { agreeing: ModelState[]; differences: string[][] } {
  const withUsers = !states.some((s) => exchangeUnderWay(mworld, s, nowUs));
  const views = states.map((s) => observeModel(s, withUsers));
  // The world's snapshot is built only when the in-place comparison (harness/world-agrees.ts) does not
  // find a view it agrees with: then the snapshot judges exactly, and says what differs.
  let seen: Observed | undefined;
  const agreeing = states.filter(
    (_, i) => observer.agrees(views[i]!, withUsers) || structuralEqual(views[i], (seen ??= observer.snapshot(withUsers))),
  );
  if (agreeing.length > 0) return { agreeing, differences: [] };
  const world = seen ?? observer.snapshot(withUsers);
  return { agreeing, differences: dedupeStructural(views).map((v) => difference(world, v)) };
}
