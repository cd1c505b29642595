// Where a change meets a connect's login exchange on the wire (spec §3.2, §3.4). A fault step and a
// CloudHSM control-plane call take no time, so every change made at one instant meets an exchange under
// way at the same point of it: several faults at once (the settling phase lifts every slowed HSM at
// one instant), or the cluster's HSMs deleted one call after another. An exchange starts exactly
// connectDelay after its Connect, so a change at a later instant meets it (or comes after it), never
// before it. A change landing inside an exchange does not run it at once: the store's pending connect
// records where it landed and the cluster as it was before (`ExchangeLanding`, model/state.ts), later
// changes at that instant simply join it, and the exchange runs (model/keystores.ts `runExchange`) once
// time has moved on (model/settle.ts); an operator action at that instant may come before or after it
// (`readsCryptoUsers`).
import { isCall, type Step } from "../protocol/step.ts";
import { structuralEqual } from "../protocol/structural.ts";
import { clusterOf, exchangeWindowUs, reachOf } from "./cluster.ts";
import { runExchange } from "./keystores.ts";
import type { AttemptPoint, ModelCluster, ModelState, ModelWorld } from "./state.ts";
import { edit, withStore } from "./state-change.ts";

/** One way a change can land, and why (when it is not the plain one). */
export interface Landing {
  state: ModelState;
  why?: string;
}

/**
 * Does `step` read or change the crypto users a login does? A CloudHSM operator action does: at the
 * instant of a landed exchange it may come before the exchange's login or after it, so the model keeps
 * both (model/model.ts) [MODEL CHOICE: the two orders, not the login's place around the landing point].
 * Any other step joins the landings: a fault, a CloudHSM control-plane call, a KMS call (none reaches the
 * users of a connecting store's cluster; one that takes time moves the clock on, and the settle at its
 * end runs them). So does a fault in flight landing in such a call: exactly right when the call takes no
 * time (it lands at this instant); when the call takes time it lands later, where the world's exchange
 * may have gone further [MODEL CHOICE: the same point].
 */
export function readsCryptoUsers(step: Step): boolean {
  return isCall(step) && step.call.startsWith("hsm:");
}

/** `state` with every landed exchange run; `state` itself when there is none. */
export function landedRun(state: ModelState): ModelState {
  const landed = (s: ModelState["stores"][number]): boolean => s.pending?.kind === "connect" && s.pending.landed !== undefined;
  if (!state.stores.some(landed)) return state;
  return edit(state, (draft) => {
    for (const s of draft.stores) if (landed(s)) runExchange(draft, s.id);
  });
}

/** Does a login exchange see `a` and `b` alike: the same HSMs, each as reachable (`reachOf`)? */
function sameToExchange(a: ModelCluster, b: ModelCluster): boolean {
  if (a.hsms.length !== b.hsms.length) return false;
  return a.hsms.every((h, i) => b.hsms[i]!.hsmId === h.hsmId && structuralEqual(reachOf(b.hsms[i]!), reachOf(h)));
}

/**
 * The states a change made at `nowUs` can leave, `after` being the state with it made. Each store of
 * `before` whose login exchange may be under way (§3.2: within its window, not run yet, no change landed
 * in it yet) on a cluster `touched` accepts and whose HSMs the change does change has it land at any
 * point of an HSM attempt the exchange reaches — or before the exchange, only when it starts at this very
 * instant (a point it does not reach is the same as landing after it, which the state with the exchange
 * run already covers). With several such stores, every combination.
 */
export function changeLandings(
  world: ModelWorld,
  before: ModelState,
  after: ModelState,
  nowUs: number,
  touched: (cluster: ModelCluster) => boolean,
  what: string,
): Landing[] {
  let landings: Landing[] = [{ state: after, why: undefined }]; // one shape: `why` always set
  for (const { id, clusterId, pending } of before.stores) {
    if (pending?.kind !== "connect" || pending.result !== undefined || pending.landed !== undefined) continue;
    if (nowUs < pending.exchangeAtUs || nowUs >= pending.exchangeAtUs + exchangeWindowUs(world)) continue;
    const cluster = clusterOf(before, clusterId);
    if (cluster === undefined || !touched(cluster)) continue;
    const changed = clusterOf(after, clusterId);
    if (changed !== undefined && sameToExchange(cluster, changed)) continue; // it cannot tell where the change landed
    const reached: [number, AttemptPoint][] = [];
    edit(before, (draft) => runExchange(draft, id, (attempt, point) => void reached.push([attempt, point])));
    if (reached.length === 0) continue;
    const next: Landing[] = nowUs === pending.exchangeAtUs ? [...landings] : [];
    for (const l of landings) {
      for (const [attempt, point] of reached) {
        const landed = { atUs: nowUs, attempt, point, cluster };
        const state = withStore(l.state, id, (s) => {
          if (s.pending?.kind === "connect") s.pending = { ...s.pending, landed };
        });
        const why = `${what} landed at ${point} of login attempt ${attempt + 1} of ${id}'s connect`;
        next.push({ state, why: l.why === undefined ? why : `${l.why}; ${why}` });
      }
    }
    landings = next;
  }
  return landings;
}
