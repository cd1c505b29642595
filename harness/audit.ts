// The state audit: after every step, what the world holds must be what at least one live model state
// holds — each store's ConnectionState and error code, each key's KeyState, enabled flag, description,
// tags and key policy, each alias's target, each live grant, each cluster's state, its HSMs (up or
// not, and which KMS keys' material each holds, deleted keys' orphaned material included) and its
// crypto users (session, failed logins, and which stores hold their password). It catches a wrong
// turn when it happens, not only when a later call happens to look.
import { isUp } from "../model/cluster.ts";
import { keyState } from "../model/key-lookup.ts";
import { exchangeWindowUs } from "../model/model.ts";
import type { ModelCluster, ModelState, ModelWorld } from "../model/state.ts";
import { dedupeStructural, structuralEqual } from "../protocol/structural.ts";
import { isRecord } from "../protocol/is-record.ts";
import { labelsOf } from "./key-labels.ts";
import type { Observed, Observer } from "./observer.ts";

const sorted = (xs: string[]): string[] => [...xs].sort();

type ClusterView = Observed["clusters"][string];

/** A cluster's view: its HSMs' key objects (of keys the KMS holds or deleted) and, `withUsers`, its crypto users. */
function clusterView(state: ModelState, c: ModelCluster, keyArns: ReadonlySet<string>, withUsers: boolean): ClusterView {
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
  return view;
}

/**
 * A model state as the audit compares it with the world (`Observed`, harness/observer.ts). Built only
 * when the in-place comparison (harness/state-agrees.ts) finds the state does not agree: to judge
 * exactly, and to say what differs.
 */
export function observeModel(state: ModelState, withUsers: boolean): Observed {
  const observed: Observed = {
    stores: {},
    keys: {},
    aliases: {},
    grants: {},
    clusters: {},
    armedFailures: { ...state.armedFailures },
    principalTags: {},
  };
  // A principal with no tags is left out, as the world's view leaves it out (anything else is kept, to differ).
  for (const arn in state.principalTags) {
    const tags = state.principalTags[arn]!;
    if (!isRecord(tags) || Object.keys(tags).length > 0) observed.principalTags[arn] = tags;
  }
  for (const s of state.stores) observed.stores[s.id] = { state: s.state, errorCode: s.errorCode ?? null };
  for (const k of state.keys) {
    observed.keys[k.arn] = {
      state: keyState(state, k),
      enabled: k.enabled,
      description: k.description,
      tags: k.tags,
      policy: k.policy,
      rotationDays: k.rotation?.periodDays ?? null,
    };
  }
  for (const a of state.aliases) observed.aliases[a.arn] = a.targetArn;
  for (const g of state.grants) {
    observed.grants[g.id] = {
      keyArn: g.keyArn,
      grantee: g.grantee,
      retiring: g.retiring ?? null,
      operations: g.operations,
      name: g.name ?? null,
      constraints: (g.constraints as Record<string, Record<string, string>> | undefined) ?? null,
    };
  }
  // A key's material on an HSM counts while the KMS holds the key or has deleted it (orphaned or not).
  const keyArns = new Set([...state.keys.map((k) => k.arn), ...state.deletedKeys]);
  for (const c of state.clusters) observed.clusters[c.id] = clusterView(state, c, keyArns, withUsers);
  return observed;
}

/**
 * True when a connect in `state` may have its procedure on the wire at `nowUs` (`windowUs`: the model
 * world's exchange window): its login lands at no fixed instant. A loop, as the audit asks it for
 * every state after every step.
 */
function connectOnTheWire(state: ModelState, nowUs: number, windowUs: number): boolean {
  const { stores } = state;
  for (let i = 0; i < stores.length; i++) {
    const pending = stores[i]!.pending;
    if (pending?.kind === "connect" && nowUs >= pending.exchangeAtUs && nowUs < pending.exchangeAtUs + windowUs) return true;
  }
  return false;
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
  const windowUs = exchangeWindowUs(mworld);
  let withUsers = true;
  for (let i = 0; i < states.length && withUsers; i++) if (connectOnTheWire(states[i]!, nowUs, windowUs)) withUsers = false;
  // A state the in-place comparison (harness/state-agrees.ts) does not find agreeing is judged exactly:
  // where that comparison could not be exact (harness/in-place-exact.ts), its view against the world's
  // snapshot, built once. The in-place comparison is handed the last state it found agreeing, so parts a
  // state shares with that one are not compared again.
  let seen: Observed | undefined;
  let agreedInPlace: ModelState | undefined;
  const agreeing: ModelState[] = [];
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    if (observer.agreesWith(s, withUsers, agreedInPlace)) {
      agreedInPlace = s;
      agreeing.push(s);
    } else if (!observer.judgesExactly(s) && structuralEqual(observeModel(s, withUsers), (seen ??= observer.snapshot(withUsers))))
      agreeing.push(s);
  }
  if (agreeing.length > 0) return { agreeing, differences: [] };
  const world = seen ?? observer.snapshot(withUsers);
  const views = states.map((s) => observeModel(s, withUsers));
  return { agreeing, differences: dedupeStructural(views).map((v) => difference(world, v)) };
}
