// The state audit: after every step, what the world holds must be what at least one live model state
// holds — each store's ConnectionState and error code, each key's KeyState and enabled flag, each
// cluster's state, its HSMs (up or not, and which KMS keys' material each holds, deleted keys' orphaned
// material included) and its crypto users
// (session, failed logins, and which stores hold their password). It catches a wrong turn when it
// happens, not only when a later call happens to look.
import { exchangeWindowUs } from "../model/model.ts";
import { keyState } from "../model/keys.ts";
import { isUp, labelOf, type ModelState, type ModelWorld } from "../model/state.ts";
import { canonicalJson } from "../protocol/canonical.ts";
import type { World } from "../sim/world.ts";

interface UserView {
  session: string | null;
  failedLogins: number;
  passwordHeldBy: string[];
}

export interface Observed {
  stores: Record<string, { state: string; errorCode: string | null }>;
  keys: Record<string, { state: string; enabled: boolean; description: string; tags: Record<string, string> }>;
  /** Alias ARN → the ARN of the key it points at. */
  aliases: Record<string, string>;
  clusters: Record<string, { state: string; hsms: Record<string, { up: boolean; keys: string[] }>; users?: Record<string, UserView> }>;
}

const sorted = (xs: string[]): string[] => [...xs].sort();

/** `withUsers` is false while a connect's procedure may be on the wire: its login lands at no fixed instant. */
export function observeWorld(world: World, withUsers: boolean): Observed {
  const { kms, cloudhsm } = world;
  const keyArns = new Set([...kms.keys.keys(), ...kms.deletedKeyArns]); // a deleted key's material: orphaned or not
  return {
    stores: Object.fromEntries(
      kms.stores.map((s) => [s.CustomKeyStoreId, { state: s.ConnectionState, errorCode: s.ConnectionErrorCode ?? null }]),
    ),
    keys: Object.fromEntries(
      [...kms.keys.values()].map((k) => [
        k.Arn,
        { state: kms.keyState(k), enabled: k.enabled, description: k.Description, tags: Object.fromEntries(k.tags) },
      ]),
    ),
    aliases: Object.fromEntries([...kms.aliases.values()].map((a) => [a.AliasArn, kms.keyArn(a.account, a.TargetKeyId)])),
    clusters: Object.fromEntries(
      [...cloudhsm.clusters.values()].map((c) => [
        c.id,
        {
          state: c.state,
          hsms: Object.fromEntries(c.hsms.map((h) => [h.id, { up: h.up, keys: h.labels().filter((l) => keyArns.has(l)) }])),
          ...(withUsers
            ? {
                users: Object.fromEntries(
                  [...c.users].map(([name, u]) => [
                    name,
                    {
                      session: u.session ?? null,
                      failedLogins: u.failedLogins,
                      passwordHeldBy: sorted(
                        kms.stores.filter((s) => s.CloudHsmClusterId === c.id && s.password === u.password).map((s) => s.CustomKeyStoreId),
                      ),
                    },
                  ]),
                ),
              }
            : {}),
        },
      ]),
    ),
  };
}

export function observeModel(state: ModelState, withUsers: boolean): Observed {
  const keyArns = new Set([...state.keys.map((k) => k.arn), ...state.deletedKeys]);
  return {
    stores: Object.fromEntries(state.stores.map((s) => [s.id, { state: s.state, errorCode: s.errorCode ?? null }])),
    keys: Object.fromEntries(
      state.keys.map((k) => [k.arn, { state: keyState(state, k), enabled: k.enabled, description: k.description, tags: k.tags }]),
    ),
    aliases: Object.fromEntries(state.aliases.map((a) => [a.arn, a.targetArn])),
    clusters: Object.fromEntries(
      state.clusters.map((c) => [
        c.id,
        {
          state: c.state,
          hsms: Object.fromEntries(
            c.hsms.map((h) => [h.hsmId, { up: isUp(h), keys: [...new Set(h.objects.map(labelOf))].filter((l) => keyArns.has(l)).sort() }]),
          ),
          ...(withUsers
            ? {
                users: Object.fromEntries(
                  Object.entries(c.users).map(([name, u]) => [
                    name,
                    {
                      session: u.session,
                      failedLogins: u.failedLogins,
                      passwordHeldBy: sorted(
                        state.stores.filter((s) => s.clusterId === c.id && s.password === u.password).map((s) => s.id),
                      ),
                    },
                  ]),
                ),
              }
            : {}),
        },
      ]),
    ),
  };
}

/** True when a connect in `state` may have its procedure on the wire at `nowUs`. */
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
  world: World,
  mworld: ModelWorld,
  states: ModelState[],
  nowUs: number,
): { agreeing: ModelState[]; differences: string[][] } {
  const withUsers = !states.some((s) => exchangeUnderWay(mworld, s, nowUs));
  const seenView = observeWorld(world, withUsers);
  const seen = canonicalJson(seenView);
  const views = states.map((s) => observeModel(s, withUsers));
  const agreeing = states.filter((_, i) => canonicalJson(views[i]) === seen);
  if (agreeing.length > 0) return { agreeing, differences: [] };
  const distinct = [...new Map(views.map((v) => [canonicalJson(v), v])).values()];
  return { agreeing, differences: distinct.map((v) => difference(seenView, v)) };
}
