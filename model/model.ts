// The reference model: (state, step, time) → the branches the step may take. Pure: no I/O, no
// timers, no PRNG; every rule names the spec section it encodes. Before a step, background
// processes due by then are settled (a connect's result published, a disconnect finished); a step
// that can go more than one way returns more than one branch, and the runner keeps every state that
// agrees with what the virtual KMS actually did.
import { isAdvance, isFault, type Step } from "../sim/step.ts";
import type { Branch, CallContext } from "./context.ts";
import { Decrypt, Encrypt } from "./crypto.ts";
import { CreateKey, DescribeKey, DisableKey, EnableKey } from "./keys.ts";
import { ConnectCustomKeyStore, CreateCustomKeyStore, DescribeCustomKeyStores, DisconnectCustomKeyStore, exchangeOutcomes } from "./keystores.ts";
import { okPattern } from "./pattern.ts";
import { Refusal } from "./refuse.ts";
import { copy, reachability, type ModelState, type ModelWorld } from "./state.ts";

export const MODEL_OPERATIONS: Record<string, (ctx: CallContext) => Branch[]> = {
  CreateCustomKeyStore, ConnectCustomKeyStore, DisconnectCustomKeyStore, DescribeCustomKeyStores,
  CreateKey, DescribeKey, EnableKey, DisableKey, Encrypt, Decrypt,
};

/** Settles every background process due at `nowUs`; more than one state when an exchange was disturbed. */
export function settle(world: ModelWorld, state: ModelState, nowUs: number): ModelState[] {
  let states = [state];
  for (const store of state.stores) {
    const pending = store.pending;
    if (pending === undefined) continue;
    states = states.flatMap((s) => {
      const at = s.stores.find((x) => x.id === store.id)!;
      const p = at.pending;
      if (p?.kind === "disconnect" && nowUs >= p.doneAtUs) {
        const next = copy(s);
        const x = next.stores.find((y) => y.id === store.id)!;
        x.state = "DISCONNECTED"; // §3.2
        delete x.pending;
        return [next];
      }
      if (p?.kind !== "connect" || nowUs < p.exchangeAtUs) return [s];
      const withSnapshot = copy(s);
      const q = withSnapshot.stores.find((y) => y.id === store.id)!.pending;
      if (q?.kind === "connect" && q.snapshot === undefined) q.snapshot = reachability(s);
      if (nowUs < p.publishAtUs) return [withSnapshot];
      return exchangeOutcomes(withSnapshot, store.id).map(({ state: after, result }) => {
        const x = after.stores.find((y) => y.id === store.id)!;
        x.state = result === "CONNECTED" ? "CONNECTED" : "FAILED"; // §3.2, §3.3
        if (result !== "CONNECTED") x.errorCode = result;
        delete x.pending;
        return after;
      });
    });
  }
  return states;
}

/** The branches `step` may take from `state` at `nowUs` (time at the step's start). */
export function modelStep(world: ModelWorld, state: ModelState, step: Step, nowUs: number): Branch[] {
  if (isAdvance(step)) return [{ outcome: okPattern(), next: () => state }];
  if (isFault(step)) {
    const next = copy(state);
    const hsm = next.hsms.find((h) => h.hsmId === step.hsm);
    if (step.fault === "hsm-crash") hsm!.crashed = true;
    if (step.fault === "hsm-restore") hsm!.crashed = false;
    if (step.fault === "partition") hsm!.partitioned = true;
    if (step.fault === "heal") for (const h of next.hsms) if (step.hsm === undefined || h.hsmId === step.hsm) h.partitioned = false;
    // A fault inside a login exchange may land on either side of it (§3.3, model/keystores.ts).
    for (const s of next.stores) {
      const p = s.pending;
      if (p?.kind === "connect" && nowUs >= p.exchangeAtUs && nowUs < p.exchangeAtUs + world.exchangeWorstUs) {
        p.disturbedBy = step.fault === "partition" || p.disturbedBy === "partition" ? "partition" : "other";
      }
    }
    return [{ outcome: okPattern(), next: () => next }];
  }
  const operation = MODEL_OPERATIONS[step.call];
  const caller = world.principals[step.as];
  if (operation === undefined || caller === undefined) throw new Error(`model: cannot run ${step.call} as ${step.as}`);
  try {
    return operation({ world, state, caller, input: step.input ?? {}, nowUs });
  } catch (e) {
    if (e instanceof Refusal) return [{ outcome: e.outcome, next: () => state }];
    throw e;
  }
}
