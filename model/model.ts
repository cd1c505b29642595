// The reference model: (state, step, time) → the branches the step may take. Pure: no I/O, no
// timers, no PRNG; every rule names the spec section it encodes. Before a step, background processes
// due by then are settled (a connect's procedure run, its result published, a disconnect finished);
// a step that can go more than one way returns more than one branch, and the runner keeps every state
// that agrees with what the virtual world actually did.
import { isAdvance, isCall, isFault, type CallStep, type FaultStep, type Json, type Outcome, type Step } from "../protocol/step.ts";
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from "./aliases.ts";
import * as cloudhsm from "./cloudhsm.ts";
import { GetKeyPolicy, ListKeyPolicies, PutKeyPolicy } from "./key-policies.ts";
import * as iam from "./iam.ts";
import { CreateGrant, grantsInFlux, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant } from "./grants.ts";
import type { Branch, CallContext } from "./context.ts";
import { Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, ReEncrypt } from "./crypto.ts";
import { CancelKeyDeletion, CreateKey, DescribeKey, DisableKey, EnableKey, ListKeys, ScheduleKeyDeletion } from "./keys.ts";
import { ListResourceTags, TagResource, UntagResource, UpdateKeyDescription } from "./tags.ts";
import * as stores from "./keystores.ts";
import { runExchange } from "./keystores.ts";
import { okPattern } from "../protocol/pattern.ts";
import { Refusal } from "./refuse.ts";
import {
  clusterOf,
  copy,
  deleteObjects,
  failover,
  scheduleReplication,
  synchronize,
  type AttemptPoint,
  type MidCall,
  type ModelCluster,
  type ModelGrant,
  type ModelState,
  type ModelSubnet,
  type ModelWorld,
} from "./state.ts";

export const MODEL_OPERATIONS: Record<string, (ctx: CallContext) => Branch[]> = {
  CreateCustomKeyStore: stores.CreateCustomKeyStore,
  ConnectCustomKeyStore: stores.ConnectCustomKeyStore,
  DisconnectCustomKeyStore: stores.DisconnectCustomKeyStore,
  UpdateCustomKeyStore: stores.UpdateCustomKeyStore,
  DeleteCustomKeyStore: stores.DeleteCustomKeyStore,
  DescribeCustomKeyStores: stores.DescribeCustomKeyStores,
  CreateKey,
  DescribeKey,
  EnableKey,
  DisableKey,
  ScheduleKeyDeletion,
  CancelKeyDeletion,
  Encrypt,
  Decrypt,
  UpdateKeyDescription,
  TagResource,
  UntagResource,
  ListResourceTags,
  ListKeys,
  CreateAlias,
  UpdateAlias,
  DeleteAlias,
  ListAliases,
  GenerateDataKey,
  GenerateDataKeyWithoutPlaintext,
  ReEncrypt,
  GenerateRandom,
  PutKeyPolicy,
  GetKeyPolicy,
  ListKeyPolicies,
  CreateGrant,
  ListGrants,
  RevokeGrant,
  RetireGrant,
  ListRetirableGrants,
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
  "iam:PutRolePolicy": iam.PutRolePolicy,
  "iam:PutUserPolicy": iam.PutUserPolicy,
  "iam:DeleteRolePolicy": iam.DeleteRolePolicy,
  "iam:DeleteUserPolicy": iam.DeleteUserPolicy,
  "iam:TagRole": iam.TagRole,
  "iam:TagUser": iam.TagUser,
  "iam:UntagRole": iam.UntagRole,
  "iam:UntagUser": iam.UntagUser,
  "iam:DeleteServiceLinkedRole": iam.DeleteServiceLinkedRole,
};

/**
 * The window after a connect's procedure starts in which it may still be on the wire: one request
 * timeout for each HSM a cluster may have. A step inside it may have happened before or after it.
 */
export function exchangeWindowUs(world: ModelWorld): number {
  return world.hsmsPerClusterMax * world.hsmRequestTimeoutUs;
}

/** A background event due by the time being settled, applied to each state it still applies to. */
interface Due {
  atUs: number;
  apply: (s: ModelState) => ModelState[];
}

/** §4: the KMS's best-effort deletion of a deleted key's key objects, by failover; `midCall` unused. */
function deleteMaterial(state: ModelState, clusterId: string, label: string): void {
  const cluster = clusterOf(state, clusterId);
  if (cluster === undefined) return;
  failover(cluster, () => {
    if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
    deleteObjects(cluster, label);
    return "ok";
  });
}

/** `state` after the replication pass scheduled in cluster `clusterId` has run (§4). */
function replicated(state: ModelState, clusterId: string): ModelState {
  const next = copy(state);
  const cluster = clusterOf(next, clusterId)!;
  delete cluster.replicationAtUs;
  synchronize(cluster);
  return next;
}

/** The events of `state` due at `nowUs`, in time order. */
function dueEvents(world: ModelWorld, state: ModelState, nowUs: number): Due[] {
  const window = exchangeWindowUs(world);
  const due: Due[] = [];
  for (const { id, pending } of state.stores) {
    if (pending?.kind === "disconnect" && nowUs >= pending.doneAtUs) {
      due.push({
        atUs: pending.doneAtUs,
        apply: (s) => {
          const next = copy(s);
          const x = next.stores.find((y) => y.id === id);
          if (x?.pending?.kind !== "disconnect") return [s];
          x.state = "DISCONNECTED"; // §3.2
          delete x.pending;
          return [next];
        },
      });
    }
    if (pending?.kind === "connect" && pending.result === undefined && nowUs >= pending.exchangeAtUs) {
      due.push({
        atUs: pending.exchangeAtUs,
        apply: (s) => {
          const p = s.stores.find((y) => y.id === id)?.pending;
          if (p?.kind !== "connect" || p.result !== undefined) return [s];
          const ran = copy(s);
          runExchange(ran, id);
          // Inside its window the procedure may not have run yet as far as this step is concerned.
          return nowUs < p.exchangeAtUs + window ? [s, ran] : [ran];
        },
      });
    }
    if (pending?.kind === "connect" && nowUs >= pending.publishAtUs) {
      due.push({
        atUs: pending.publishAtUs,
        apply: (s) => {
          const next = copy(s);
          const x = next.stores.find((y) => y.id === id);
          if (x?.pending?.kind !== "connect" || x.pending.result === undefined) return [s];
          const result = x.pending.result;
          x.state = result === "CONNECTED" ? "CONNECTED" : "FAILED"; // §3.2, §3.3
          if (result !== "CONNECTED") x.errorCode = result;
          delete x.pending;
          return [next];
        },
      });
    }
  }
  for (const { arn, deletionAtUs } of state.keys) {
    if (deletionAtUs === undefined || nowUs < deletionAtUs) continue;
    due.push({
      atUs: deletionAtUs,
      apply: (s) => {
        const key = s.keys.find((k) => k.arn === arn);
        if (key?.deletionAtUs !== deletionAtUs) return [s];
        // §5.4: the key and all the KMS holds of it go; §4: the material is deleted best effort, only
        // through a CONNECTED store — otherwise it is orphaned.
        const next = copy(s);
        next.keys = next.keys.filter((k) => k.arn !== arn);
        next.aliases = next.aliases.filter((a) => a.targetArn !== arn); // §6.1: deleting a key deletes its aliases
        next.grants = next.grants.filter((g) => g.keyArn !== arn); // and its grants (§5.4)
        next.deletedKeys.push(arn);
        const store = next.stores.find((x) => x.id === key.storeId);
        if (store?.state !== "CONNECTED" || clusterOf(next, store.clusterId) === undefined) return [next];
        const done = copy(next);
        deleteMaterial(done, store.clusterId, arn);
        if (nowUs >= deletionAtUs + window) return [done];
        // Still on the wire as far as this step is concerned: done, or done later (at the next settle).
        next.backingDeletions.push({ label: arn, clusterId: store.clusterId, atUs: deletionAtUs });
        return [next, done];
      },
    });
  }
  for (const { label, clusterId, atUs } of state.backingDeletions) {
    due.push({
      atUs,
      apply: (s) => {
        if (!s.backingDeletions.some((d) => d.label === label)) return [s];
        const done = copy(s);
        done.backingDeletions = done.backingDeletions.filter((d) => d.label !== label);
        deleteMaterial(done, clusterId, label);
        return nowUs < atUs + window ? [s, done] : [done];
      },
    });
  }
  for (const { id: clusterId, replicationAtUs: atUs } of state.clusters) {
    if (atUs === undefined || nowUs < atUs) continue;
    due.push({
      atUs,
      apply: (s) => {
        if (clusterOf(s, clusterId)?.replicationAtUs !== atUs) return [s];
        const done = replicated(s, clusterId);
        return nowUs < atUs + window ? [s, done] : [done];
      },
    });
  }
  // §12: a retired grant past the longest propagation delay authorizes no more.
  for (const { grant, retiredUs } of state.retiredGrants) {
    const atUs = retiredUs + world.grantPropagationUsMax;
    if (nowUs < atUs) continue;
    due.push({
      atUs,
      apply: (s) => {
        const next = copy(s);
        next.retiredGrants = next.retiredGrants.filter((r) => r.grant.id !== grant.id);
        return [next];
      },
    });
  }
  return due.sort((a, b) => a.atUs - b.atUs);
}

/**
 * Settles every background event due at `nowUs`, in time order: a connect's procedure and its
 * result, a disconnect finishing, a key's deletion. Where a step may have come before an event still
 * on the wire, both orders are kept, so the result can be more than one state.
 */
export function settle(world: ModelWorld, state: ModelState, nowUs: number): ModelState[] {
  let states = [state];
  for (const event of dueEvents(world, state, nowUs)) states = states.flatMap(event.apply);
  return states;
}

/** Faults change the world, never a store's state by themselves (§3.2, §17.1). */
function applyFault(world: ModelWorld, state: ModelState, step: FaultStep, nowUs: number): ModelState {
  const next = copy(state);
  faultInPlace(world, next.clusters, next.subnets, step, nowUs);
  return next;
}

/**
 * Applies `step`, in a step starting at `nowUs`, to these clusters and subnets, in place (every fault
 * is idempotent). An HSM that comes back catches up by a replication pass (§4).
 */
function faultInPlace(world: ModelWorld, clusters: ModelCluster[], subnets: ModelSubnet[], step: FaultStep, nowUs: number): void {
  const hsms = clusters.flatMap((c) => c.hsms.map((h) => ({ cluster: c, hsm: h })));
  const named = hsms.find((x) => x.hsm.hsmId === step.hsm);
  switch (step.fault) {
    case "hsm-crash":
      if (named !== undefined) named.hsm.crashed = true;
      break;
    case "hsm-restore":
      if (named !== undefined) {
        named.hsm.crashed = false;
        scheduleReplication(world, named.cluster, nowUs);
      }
      break;
    case "partition":
      if (named !== undefined) {
        const direction = step.direction ?? "both";
        if (direction !== "from-hsm") named.hsm.cutTo = true;
        if (direction !== "to-hsm") named.hsm.cutFrom = true;
      }
      break;
    case "slow-hsm":
      // [MODEL CHOICE] a slow HSM does the work at its usual pace and is slow to answer: a late reply is a lost one.
      if (named !== undefined) named.hsm.repliesLate = (step.factor ?? 1) >= world.lateFactorMin;
      break;
    case "heal":
      for (const x of hsms) if (step.hsm === undefined || x.hsm.hsmId === step.hsm) x.hsm.cutTo = x.hsm.cutFrom = false;
      break;
    case "az-outage":
    case "az-restore":
      for (const c of clusters) {
        const hit = c.hsms.filter((h) => h.availabilityZone === step.az);
        for (const h of hit) h.zoneDown = step.fault === "az-outage";
        if (step.fault === "az-restore" && hit.length > 0) scheduleReplication(world, c, nowUs);
      }
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
    if (!isCall(step)) return faultLandings(world, base, inFlight, nowUs).flatMap((l) => modelStep(world, l.state, step, nowUs));
    const landings: Branch[] = faultLandings(world, base, inFlight, nowUs).flatMap((l) =>
      callBranches(world, l.state, step, nowUs).map((b) => ({ ...b, why: l.why ?? `${inFlight.fault} landed before the call` })),
    );
    const exchangeVariants = faultLandings(world, base, inFlight, nowUs).length;
    const points: (readonly [number, AttemptPoint] | undefined)[] = [undefined];
    // Up to two failovers a call (ReEncrypt: source, then destination key), numbered one after the other.
    for (let attempt = 0; attempt < 2 * world.hsmsPerClusterMax; attempt++)
      for (const point of ["send", "serve", "reply"] as const) points.push([attempt, point]);
    for (const at of points) {
      const midCall: MidCall | undefined =
        at === undefined
          ? undefined
          : (attempt, point, cluster) => {
              if (attempt === at[0] && point === at[1]) faultInPlace(world, [cluster], [], inFlight, nowUs);
            };
      const why =
        at === undefined ? `${inFlight.fault} landed after the call` : `${inFlight.fault} landed at ${at[1]} of HSM attempt ${at[0] + 1}`;
      for (const b of callBranches(world, base, step, nowUs, midCall, at === undefined)) {
        // Landing after the call, it may also land inside a connect's login exchange still on the wire.
        for (let k = 0; k < (at === undefined ? exchangeVariants : 1); k++) {
          landings.push({
            ...b,
            why,
            next: (actual: Outcome) =>
              faultLandings(world, b.next(actual), inFlight, nowUs)[k]?.state ?? applyFault(world, b.next(actual), inFlight, nowUs),
          });
        }
      }
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
    return faultLandings(world, state, step, nowUs).map((l) => ({
      outcome: okPattern(),
      ...(l.why !== undefined ? { why: l.why } : {}),
      next: () => l.state,
    }));
  }
  return callBranches(world, state, step, nowUs);
}

/**
 * The states a fault can leave: applied to `state`, and — where a connect's login exchange may still
 * be on the wire (§3.2) — the exchange run with the fault landing at each point of each HSM attempt.
 */
function faultLandings(world: ModelWorld, state: ModelState, step: FaultStep, nowUs: number): { state: ModelState; why?: string }[] {
  const landings: { state: ModelState; why?: string }[] = [{ state: applyFault(world, state, step, nowUs) }];
  for (const { id, pending } of state.stores) {
    if (
      pending?.kind !== "connect" ||
      pending.result !== undefined ||
      nowUs < pending.exchangeAtUs ||
      nowUs >= pending.exchangeAtUs + exchangeWindowUs(world)
    )
      continue;
    for (let attempt = 0; attempt < world.hsmsPerClusterMax; attempt++) {
      for (const point of ["send", "serve", "reply"] as const) {
        const next = copy(state);
        runExchange(next, id, (a, p, cluster) => {
          if (a === attempt && p === point) faultInPlace(world, [cluster], next.subnets, step, nowUs);
        });
        faultInPlace(world, next.clusters, next.subnets, step, nowUs);
        landings.push({ state: next, why: `${step.fault} landed at ${point} of login attempt ${attempt + 1} of ${id}'s connect` });
      }
    }
  }
  return landings;
}

/**
 * The branches of a call, with every replication pass that may run while it is under way (§4): one
 * not due yet at the call's start but due before it can end. A pass only adds key objects, so the
 * call answers as it would have with the pass run before its HSM work or not at all. When a fault in
 * flight lands as the call ends (`faultAtEnd`), the pass may also come between the call's HSM work
 * and the fault, taking the objects the call made (see `withPasses`); otherwise settling after the
 * step covers that order. Calls to the CloudHSM service and the operator take no time and meet none.
 */
function callBranches(
  world: ModelWorld,
  state: ModelState,
  step: CallStep,
  nowUs: number,
  midCall?: MidCall,
  faultAtEnd = false,
): Branch[] {
  const instant = step.call.startsWith("cloudhsmv2:") || step.call.startsWith("hsm:");
  const due = instant
    ? []
    : state.clusters.flatMap(({ id, replicationAtUs: atUs }) =>
        atUs === undefined || atUs <= nowUs || atUs >= nowUs + exchangeWindowUs(world) ? [] : [{ id, atUs }],
      );
  return withPasses(due, state, faultAtEnd, (s) => callOnce(world, s, step, nowUs, midCall));
}

/**
 * The branches of `run` with each replication pass of `due` not run yet, run before the call's HSM
 * work, or — with `faultAtEnd` — run after it (then the objects the call made go with it, and it runs
 * before the fault in flight that lands as the call ends).
 */
function withPasses(
  due: { id: string; atUs: number }[],
  state: ModelState,
  faultAtEnd: boolean,
  run: (s: ModelState) => Branch[],
): Branch[] {
  const [pass, ...rest] = due;
  if (pass === undefined) return run(state);
  const notRun = withPasses(rest, state, faultAtEnd, run);
  const before = withPasses(rest, replicated(state, pass.id), faultAtEnd, run).map((b) => ({
    ...b,
    why: b.why ?? "a replication pass ran during the call, before its HSM work",
  }));
  if (!faultAtEnd) return [...notRun, ...before];
  const after = notRun.map((b) => ({
    ...b,
    why: b.why ?? "a replication pass ran during the call, after its HSM work",
    next: (actual: Outcome) => {
      const next = b.next(actual);
      return clusterOf(next, pass.id)?.replicationAtUs === pass.atUs ? replicated(next, pass.id) : next;
    },
  }));
  return [...notRun, ...before, ...after];
}

function callOnce(world: ModelWorld, state: ModelState, step: CallStep, nowUs: number, midCall?: MidCall): Branch[] {
  const operation = MODEL_OPERATIONS[step.call];
  const principal = world.principals[step.as];
  if (operation === undefined || principal === undefined) throw new Error(`model: cannot run ${step.call} as ${step.as}`);
  // The caller's identity policies as they stand now (iam:* steps change them), read as documents.
  const policies = Object.fromEntries(
    Object.entries(state.identityPolicies[principal.arn] ?? {}).map(([n, text]) => [n, JSON.parse(text) as Json]),
  );
  const caller = { arn: principal.arn, policies, tags: state.principalTags[principal.arn] ?? {} };
  // §12: a grant inside its propagation window may or may not count; every combination is allowed.
  const { certain, uncertain } = grantsInFlux(world, state, caller.arn, nowUs);
  if (uncertain.length > GRANTS_IN_FLUX_MAX)
    throw new ModelLimitError(`${uncertain.length} grants of ${step.as} in flux at once; the model follows at most ${GRANTS_IN_FLUX_MAX}`);
  const views = uncertain.reduce<ModelGrant[][]>((acc, g) => acc.flatMap((v) => [v, [...v, g]]), [certain]);
  return views.flatMap((grantView, i) => {
    const branches = callWithView(operation, {
      world,
      state,
      caller,
      input: step.input ?? {},
      nowUs,
      grantView,
      decisions: [],
      ...(midCall !== undefined ? { midCall } : {}),
    });
    return i === 0 || views.length === 1 ? branches : branches.map((b) => ({ ...b, why: b.why ?? GRANT_WINDOW }));
  });
}

/**
 * The model cannot judge a step because following every way it could go would take too many states
 * (a limit of the harness, not a finding about the KMS): the run stops there with kind `model-limit`.
 */
export class ModelLimitError extends Error {}

/** Why a branch exists: a grant change inside its propagation window counted in it (§12). */
export const GRANT_WINDOW = "grants inside their propagation window (§12)";

/** Most grants of one caller whose effect may still be propagating at once (each doubles the views). */
const GRANTS_IN_FLUX_MAX = 8;

function callWithView(operation: (ctx: CallContext) => Branch[], ctx: CallContext): Branch[] {
  const { state, decisions } = ctx;
  const withDecisions = (b: Branch): Branch => (decisions.length > 0 ? { ...b, decisions } : b);
  try {
    return operation(ctx).map(withDecisions);
  } catch (e) {
    if (e instanceof Refusal) {
      const after = e.state ?? state;
      return [e.outcome, ...e.alternatives].map((outcome) =>
        withDecisions({ outcome, ...(e.ambiguity !== undefined ? { why: `§15 ambiguity: ${e.ambiguity}` } : {}), next: () => after }),
      );
    }
    throw e;
  }
}
