// The state audit: after every step, what the world holds must be what at least one live model state
// holds — each store's ConnectionState and error code, each key's KeyState, enabled flag, description,
// tags and key policy, each alias's target, each live grant, each cluster's state, its HSMs (up or
// not, and which KMS keys' material each holds, deleted keys' orphaned material included) and its
// crypto users (session, failed logins, and which stores hold their password). It catches a wrong
// turn when it happens, not only when a later call happens to look.
import { isUp, labelOf } from "../model/cluster.ts";
import { keyState } from "../model/key-lookup.ts";
import { exchangeWindowUs } from "../model/model.ts";
import type { ModelState, ModelWorld } from "../model/state.ts";
import { dedupeStructural, structuralEqual } from "../protocol/structural.ts";
import type { Observed, Observer } from "./observer.ts";

const sorted = (xs: string[]): string[] => [...xs].sort();

/** A model state as the audit compares it with the world (`Observed`, harness/observer.ts). */
export function observeModel(state: ModelState, withUsers: boolean): Observed {
  const keyArns = new Set([...state.keys.map((k) => k.arn), ...state.deletedKeys]);
  const entries = <T, V>(items: Iterable<T>, entry: (item: T) => [string, V]): Record<string, V> =>
    Object.fromEntries([...items].map(entry));
  return {
    stores: entries(state.stores, (s) => [s.id, { state: s.state, errorCode: s.errorCode ?? null }]),
    keys: entries(state.keys, (k) => [
      k.arn,
      {
        state: keyState(state, k),
        enabled: k.enabled,
        description: k.description,
        tags: k.tags,
        policy: k.policy,
        rotationDays: k.rotation?.periodDays ?? null,
      },
    ]),
    aliases: entries(state.aliases, (a) => [a.arn, a.targetArn]),
    grants: entries(state.grants, (g) => [
      g.id,
      {
        keyArn: g.keyArn,
        grantee: g.grantee,
        retiring: g.retiring ?? null,
        operations: g.operations,
        name: g.name ?? null,
        constraints: (g.constraints as Record<string, Record<string, string>> | undefined) ?? null,
      },
    ]),
    clusters: entries(state.clusters, (c) => [
      c.id,
      {
        state: c.state,
        hsms: entries(c.hsms, (h) => [
          h.hsmId,
          { up: isUp(h), keys: [...new Set(h.objects.map(labelOf))].filter((l) => keyArns.has(l)).sort() },
        ]),
        ...(withUsers
          ? {
              users: entries(Object.entries(c.users), ([name, u]) => [
                name,
                {
                  session: u.session,
                  failedLogins: u.failedLogins,
                  passwordHeldBy: sorted(state.stores.filter((s) => s.clusterId === c.id && s.password === u.password).map((s) => s.id)),
                },
              ]),
            }
          : {}),
      },
    ]),
  };
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
  const seen = observer.snapshot(withUsers);
  const views = states.map((s) => observeModel(s, withUsers));
  const agreeing = states.filter((_, i) => structuralEqual(views[i], seen));
  if (agreeing.length > 0) return { agreeing, differences: [] };
  return { agreeing, differences: dedupeStructural(views).map((v) => difference(seen, v)) };
}
