// The reference model: (state, step, time) → the branches the step may take. Pure: no I/O, no
// timers, no PRNG; every rule names the spec section it encodes. Before a step, background processes
// due by then are settled (a connect's procedure run, its result published, a disconnect finished);
// a step that can go more than one way returns more than one branch, and the runner keeps every state
// that agrees with what the virtual world actually did.
import { isAdvance, isCall, isFault, type CallStep, type FaultStep, type Outcome, type Step } from "../sim/step.ts";
import * as cloudhsm from "./cloudhsm.ts";
import type { Branch, CallContext } from "./context.ts";
import { Decrypt, Encrypt } from "./crypto.ts";
import { CreateKey, DescribeKey, DisableKey, EnableKey } from "./keys.ts";
import * as stores from "./keystores.ts";
import { okPattern } from "./pattern.ts";
import { Refusal } from "./refuse.ts";
import { copy, synchronize, type AttemptPoint, type MidCall, type ModelCluster, type ModelState, type ModelSubnet, type ModelWorld } from "./state.ts";

export const MODEL_OPERATIONS: Record<string, (ctx: CallContext) => Branch[]> = {
  CreateCustomKeyStore: stores.CreateCustomKeyStore,
  ConnectCustomKeyStore: stores.ConnectCustomKeyStore,
  DisconnectCustomKeyStore: stores.DisconnectCustomKeyStore,
  UpdateCustomKeyStore: stores.UpdateCustomKeyStore,
  DeleteCustomKeyStore: stores.DeleteCustomKeyStore,
  DescribeCustomKeyStores: stores.DescribeCustomKeyStores,
  CreateKey, DescribeKey, EnableKey, DisableKey, Encrypt, Decrypt,
  "cloudhsmv2:DescribeClusters": cloudhsm.DescribeClusters,
  "cloudhsmv2:CreateCluster": cloudhsm.CreateCluster,
  "cloudhsmv2:DeleteCluster": cloudhsm.DeleteCluster,
  "cloudhsmv2:CreateHsm": cloudhsm.CreateHsm,
  "cloudhsmv2:DeleteHsm": cloudhsm.DeleteHsm,
  "cloudhsmv2:CreateBackup": cloudhsm.CreateBackup,
  "hsm:Login": cloudhsm.OperatorLogin,
  "hsm:Logout": cloudhsm.OperatorLogout,
  "hsm:ChangePassword": cloudhsm.OperatorChangePassword,
  "hsm:CreateUser": cloudhsm.OperatorCreateUser,
  "hsm:DeleteUser": cloudhsm.OperatorDeleteUser,
  "hsm:DeleteKey": cloudhsm.OperatorDeleteKey,
};

/**
 * The window after a connect's procedure starts in which it may still be on the wire: one request
 * timeout for each HSM a cluster may have. A step inside it may have happened before or after it.
 */
export function exchangeWindowUs(world: ModelWorld): number {
  return world.hsmsPerClusterMax * world.hsmRequestTimeoutUs;
}

/** Settles every background process due at `nowUs`; more than one state when the order is open. */
export function settle(world: ModelWorld, state: ModelState, nowUs: number): ModelState[] {
  let states = [state];
  for (const { id } of state.stores) {
    states = states.flatMap((s): ModelState[] => {
      const p = s.stores.find((x) => x.id === id)?.pending;
      if (p?.kind === "disconnect") {
        if (nowUs < p.doneAtUs) return [s];
        const next = copy(s);
        const x = next.stores.find((y) => y.id === id)!;
        x.state = "DISCONNECTED"; // §3.2
        delete x.pending;
        return [next];
      }
      if (p?.kind !== "connect" || nowUs < p.exchangeAtUs) return [s];
      const out: ModelState[] = [];
      let ran = s;
      if (p.result === undefined) {
        if (nowUs < p.exchangeAtUs + exchangeWindowUs(world)) out.push(s); // the procedure may not have run yet
        ran = copy(s);
        stores.runExchange(ran, id);
      }
      const q = ran.stores.find((y) => y.id === id)!;
      if (q.pending?.kind === "connect" && nowUs >= q.pending.publishAtUs) {
        const result = q.pending.result!;
        if (ran === s) ran = copy(s);
        const x = ran.stores.find((y) => y.id === id)!;
        x.state = result === "CONNECTED" ? "CONNECTED" : "FAILED"; // §3.2, §3.3
        if (result !== "CONNECTED") x.errorCode = result;
        delete x.pending;
      }
      out.push(ran);
      return out;
    });
  }
  return states;
}

/** Faults change the world, never a store's state by themselves (§3.2, §17.1). */
function applyFault(state: ModelState, step: FaultStep): ModelState {
  const next = copy(state);
  faultInPlace(next.clusters, next.subnets, step);
  return next;
}

/** Applies `step` to these clusters and subnets, in place (every fault is idempotent). */
function faultInPlace(clusters: ModelCluster[], subnets: ModelSubnet[], step: FaultStep): void {
  const hsms = clusters.flatMap((c) => c.hsms.map((h) => ({ cluster: c, hsm: h })));
  const named = hsms.find((x) => x.hsm.hsmId === step.hsm);
  switch (step.fault) {
    case "hsm-crash":
      if (named !== undefined) named.hsm.crashed = true;
      break;
    case "hsm-restore":
      if (named !== undefined) {
        named.hsm.crashed = false;
        synchronize(named.cluster);
      }
      break;
    case "partition":
      if (named !== undefined) {
        const direction = step.direction ?? "both";
        if (direction !== "from-hsm") named.hsm.cutTo = true;
        if (direction !== "to-hsm") named.hsm.cutFrom = true;
      }
      break;
    case "heal":
      for (const x of hsms) if (step.hsm === undefined || x.hsm.hsmId === step.hsm) x.hsm.cutTo = x.hsm.cutFrom = false;
      break;
    case "az-outage":
    case "az-restore":
      for (const x of hsms) if (x.hsm.availabilityZone === step.az) x.hsm.zoneDown = step.fault === "az-outage";
      for (const c of clusters) synchronize(c);
      break;
    case "subnet-delete":
    case "subnet-full":
    case "subnet-restore":
      for (const s of subnets) {
        if (s.subnetId !== step.subnet) continue;
        if (step.fault === "subnet-delete") s.deleted = true;
        if (step.fault === "subnet-full") s.full = true;
        if (step.fault === "subnet-restore") s.deleted = s.full = false;
      }
      break;
  }
}

/**
 * The branches `step` may take from `state` at `nowUs` (time at the step's start). A fault in flight
 * (one with `after`) lands somewhere during the next call: before it, at any point of any of its HSM
 * attempts (request sent, served, reply sent), or after it — every landing is allowed. Before any
 * other step it simply lands first.
 */
export function modelStep(world: ModelWorld, state: ModelState, step: Step, nowUs: number): Branch[] {
  const inFlight = state.inFlightFault;
  if (inFlight !== undefined) {
    const base = copy(state);
    delete base.inFlightFault;
    if (!isCall(step)) return modelStep(world, applyFault(base, inFlight), step, nowUs);
    const landings: Branch[] = callBranches(world, applyFault(base, inFlight), step, nowUs).map((b) => ({ ...b, why: `${inFlight.fault} landed before the call` }));
    const points: (readonly [number, AttemptPoint] | undefined)[] = [undefined];
    for (let attempt = 0; attempt < world.hsmsPerClusterMax; attempt++) for (const point of ["send", "serve", "reply"] as const) points.push([attempt, point]);
    for (const at of points) {
      const midCall: MidCall | undefined = at === undefined ? undefined : (attempt, point, cluster) => {
        if (attempt === at[0] && point === at[1]) faultInPlace([cluster], [], inFlight);
      };
      const why = at === undefined ? `${inFlight.fault} landed after the call` : `${inFlight.fault} landed at ${at[1]} of HSM attempt ${at[0] + 1}`;
      for (const b of callBranches(world, base, step, nowUs, midCall)) landings.push({ ...b, why, next: (actual: Outcome) => applyFault(b.next(actual), inFlight) });
    }
    return landings;
  }
  if (isAdvance(step)) return [{ outcome: okPattern(), next: () => state }];
  if (isFault(step)) {
    if (step.after !== undefined) {
      const next = copy(state);
      next.inFlightFault = step;
      return [{ outcome: okPattern(), next: () => next }];
    }
    const next = applyFault(state, step);
    return [{ outcome: okPattern(), next: () => next }];
  }
  return callBranches(world, state, step, nowUs);
}

function callBranches(world: ModelWorld, state: ModelState, step: CallStep, nowUs: number, midCall?: MidCall): Branch[] {
  const operation = MODEL_OPERATIONS[step.call];
  const caller = world.principals[step.as];
  if (operation === undefined || caller === undefined) throw new Error(`model: cannot run ${step.call} as ${step.as}`);
  try {
    return operation({ world, state, caller, input: step.input ?? {}, nowUs, ...(midCall !== undefined ? { midCall } : {}) });
  } catch (e) {
    if (e instanceof Refusal) return [{ outcome: e.outcome, next: () => e.state ?? state }];
    throw e;
  }
}
