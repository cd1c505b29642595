// The state audit: after every step, what the world holds — each store's ConnectionState and error
// code, each key's KeyState and enabled flag, and kmsuser's session, failed logins and whether its
// password is the one each store holds — must be what at least one live model state holds. It
// catches a wrong turn the moment it happens, not only when a later call happens to look.
import type { ModelState } from "../../model/state.ts";
import { keyState } from "../../model/keys.ts";
import { canonicalJson } from "../canonical.ts";
import type { World } from "../world.ts";

export interface Observed {
  stores: Record<string, { state: string; errorCode: string | null }>;
  keys: Record<string, { state: string; enabled: boolean }>;
  /** Left out while a connect's login exchange may be under way: its effects land at different instants. */
  kmsuser?: { loggedIn: boolean; failedLogins: number; passwordHeldBy: string[] };
}

export function observeWorld(world: World, withKmsuser: boolean): Observed {
  const { kms, cluster } = world;
  const user = cluster.kmsuser;
  return {
    stores: Object.fromEntries(kms.stores.map((s) => [s.CustomKeyStoreId, { state: s.ConnectionState, errorCode: s.ConnectionErrorCode ?? null }])),
    keys: Object.fromEntries([...kms.keys.values()].map((k) => [k.Arn, { state: kms.keyState(k), enabled: k.enabled }])),
    ...(withKmsuser && user !== undefined ? {
      kmsuser: { loggedIn: user.loggedIn, failedLogins: user.failedLogins, passwordHeldBy: kms.stores.filter((s) => s.password === user.password).map((s) => s.CustomKeyStoreId) },
    } : {}),
  };
}

export function observeModel(state: ModelState, withKmsuser: boolean): Observed {
  const user = state.kmsuser;
  return {
    stores: Object.fromEntries(state.stores.map((s) => [s.id, { state: s.state, errorCode: s.errorCode ?? null }])),
    keys: Object.fromEntries(state.keys.map((k) => [k.arn, { state: keyState(state, k), enabled: k.enabled }])),
    ...(withKmsuser ? {
      kmsuser: { loggedIn: user.loggedIn, failedLogins: user.failedLogins, passwordHeldBy: state.stores.filter((s) => s.password === user.password).map((s) => s.id) },
    } : {}),
  };
}

/** True when a connect in `state` has started its login exchange but not yet published its result. */
export function exchangeUnderWay(state: ModelState, nowUs: number): boolean {
  return state.stores.some((s) => s.pending?.kind === "connect" && nowUs >= s.pending.exchangeAtUs);
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
  const lines = paths.filter((p) => a.get(p) !== b.get(p)).map((p) => `${p}: world ${a.get(p) ?? "(absent)"}, model ${b.get(p) ?? "(absent)"}`);
  return lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines;
}

/** The model states that agree with the world; when none does, what differs from each distinct view. */
export function auditStates(world: World, states: ModelState[], nowUs: number): { agreeing: ModelState[]; differences: string[][] } {
  const withKmsuser = !states.some((s) => exchangeUnderWay(s, nowUs));
  const seenView = observeWorld(world, withKmsuser);
  const seen = canonicalJson(seenView);
  const views = states.map((s) => observeModel(s, withKmsuser));
  const agreeing = states.filter((_, i) => canonicalJson(views[i]) === seen);
  if (agreeing.length > 0) return { agreeing, differences: [] };
  const distinct = [...new Map(views.map((v) => [canonicalJson(v), v])).values()];
  return { agreeing, differences: distinct.map((v) => difference(seenView, v)) };
}
