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

/** The model states that agree with the world; empty means the world went somewhere the model cannot. */
export function auditStates(world: World, states: ModelState[], nowUs: number): { agreeing: ModelState[]; world: string; model: string[] } {
  const withKmsuser = !states.some((s) => exchangeUnderWay(s, nowUs));
  const seen = canonicalJson(observeWorld(world, withKmsuser));
  const views = states.map((s) => canonicalJson(observeModel(s, withKmsuser)));
  return { agreeing: states.filter((_, i) => views[i] === seen), world: seen, model: [...new Set(views)] };
}
