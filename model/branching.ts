// Call branching: the ways one call can go. The rule for the operation runs once per view of the
// grants still propagating (§12: each may or may not count yet) and once per replication pass that
// may come due while the call is under way (§4); a refusal becomes its expected outcome (and the
// alternatives §15 allows). Each branch keeps what the call's authorizations decided, for reports.
import { flatMap } from "../protocol/flat-map.ts";
import type { CallStep, Json, Outcome } from "../protocol/step.ts";
import { policyDocument } from "./access.ts";
import { clusterOf, exchangeWindowUs, synchronize, type MidCall } from "./cluster.ts";
import { branchOf, branchWith, type Branch, type CallContext, type Rule } from "./context.ts";
import { grantsInFlux } from "./grant-authority.ts";
import { MODEL_OPERATIONS } from "./operations.ts";
import { settleCheck } from "./refusal.ts";
import { NO_POLICIES } from "./remembered-decisions.ts";
import { armedFailure } from "./service-failures.ts";
import { replicated } from "./settle.ts";
import type { AttemptPoint, ModelGrant, ModelState, ModelWorld } from "./state.ts";
import { packedMap } from "../protocol/packed-map.ts";
import { changed } from "./state-change.ts";

/**
 * The model cannot judge a step because following every way it could go would take too many states
 * (a limit of the harness, not a finding about the KMS): the run stops there with kind `model-limit`.
 */
export class ModelLimitError extends Error {}

/** Why a branch exists: a grant change inside its propagation window counted in it (§12). */
export const GRANT_WINDOW = "grants inside their propagation window (§12)";

/** Most grants of one caller whose effect may still be propagating at once (each doubles the views). */
const GRANTS_IN_FLUX_MAX = 8;

/**
 * The branches of a call, with every replication pass that may run while it is under way (§4): one
 * due before the call can end and not known to have run at its start. A pass only adds key objects, so the
 * call answers as it would have with the pass run before its HSM work or not at all. When a fault in
 * flight lands as the call ends (`faultAtEnd`), the pass may also come between the call's HSM work
 * and the fault, taking the objects the call made (see `withPasses`); otherwise settling after the
 * step covers that order. Calls to the CloudHSM service and the operator take no time and meet none.
 */
export function callBranches(
  world: ModelWorld,
  state: ModelState,
  step: CallStep,
  nowUs: number,
  midCall?: MidCall,
  faultAtEnd = false,
): Branch[] {
  // An armed service failure is answered before anything else, and the call does nothing (§3.4, §13).
  const failed = armedFailure(state, step);
  if (failed !== undefined) return [branchOf(failed.outcome, undefined, undefined, () => failed.next)];
  const instant = step.call.startsWith("cloudhsmv2:") || step.call.startsWith("hsm:");
  const due: DuePass[] = [];
  if (!instant) {
    const windowUs = exchangeWindowUs(world);
    for (const { id, replicationAtUs: atUs, replicationByUs: byUs } of state.clusters) {
      if (atUs === undefined || atUs >= nowUs + windowUs) continue;
      // Due during the call, or due already and maybe not run yet (settled both ways until `byUs`).
      if (atUs > nowUs || (byUs !== undefined && byUs > nowUs)) due.push({ id, atUs });
    }
  }
  // A pass between a call's HSM attempts leaves the objects the call makes placed otherwise than a pass
  // before or after them; CreateKey is the one call that makes key objects (GenerateKey, model/keys.ts).
  const placedBetween = step.call === "CreateKey";
  return withPasses(due, state, faultAtEnd, placedBetween, (s, at) => callOnce(world, s, step, nowUs, both(midCall, at))).branches;
}

/** `first` then `second` at each point of each HSM attempt (either may be absent). */
function both(first: MidCall | undefined, second: MidCall | undefined): MidCall | undefined {
  if (first === undefined || second === undefined) return first ?? second;
  return (attempt, point, cluster) => {
    first(attempt, point, cluster);
    second(attempt, point, cluster);
  };
}

/** A call's branches, and the clusters whose HSMs it reached (a replication pass matters only to those). */
interface Evaluated {
  branches: Branch[];
  reached: readonly string[];
}

/** A replication pass that may run during a call: its cluster and its time. */
interface DuePass {
  id: string;
  atUs: number;
}

/**
 * `state` in which `pass` runs during the call (before, between or after its HSM work): the call lasted
 * until the pass's time at least, which settling checks against the clock once the call is over.
 */
function lastedUntilPass(state: ModelState, pass: DuePass): ModelState {
  if ((state.clockAtLeastUs ?? -Infinity) >= pass.atUs) return state;
  return changed(state, (next) => void (next.clockAtLeastUs = pass.atUs));
}

/**
 * The branches of `run` with each replication pass of `due` not run yet, run before the call's HSM
 * work, between two of its HSM attempts (`placedBetween`: a call that makes key objects), or — with
 * `faultAtEnd` — run after it (then the objects the call made go with it, and it runs before the fault
 * in flight that lands as the call ends). A call that reached none of the pass's cluster's HSMs answers
 * alike either way, and settling after the step runs the pass: the pass adds a branch only when a fault
 * lands as the call ends (the pass may come before it). Not run during the call stands for run after its
 * HSM work too (settling runs it, with the objects the call made); between two attempts of a call that
 * makes none it leaves what before or after leaves.
 */
function withPasses(
  due: DuePass[],
  state: ModelState,
  faultAtEnd: boolean,
  placedBetween: boolean,
  run: (s: ModelState, at?: MidCall) => Evaluated,
): Evaluated {
  const [pass, ...rest] = due;
  if (pass === undefined) return run(state);
  const notRun = withPasses(rest, state, faultAtEnd, placedBetween, run);
  const touched = notRun.reached.includes(pass.id);
  if (!touched && !faultAtEnd) return notRun;
  const ranBefore = withPasses(rest, lastedUntilPass(replicated(state, pass.id), pass), faultAtEnd, placedBetween, run);
  const reached = [...notRun.reached, ...ranBefore.reached.filter((id) => !notRun.reached.includes(id))];
  const before = packedMap(ranBefore.branches, (b) =>
    branchWith(b, b.why ?? "a replication pass ran during the call, before its HSM work", b.decisions, b.next),
  );
  if (touched && placedBetween) before.push(...passBetweenAttempts(pass, rest, state, faultAtEnd, run));
  if (!faultAtEnd || !touched) return { branches: [...notRun.branches, ...before], reached };
  const after = packedMap(notRun.branches, (b) =>
    branchWith(b, b.why ?? "a replication pass ran during the call, after its HSM work", b.decisions, (actual: Outcome) => {
      const next = b.next(actual);
      return clusterOf(next, pass.id)?.replicationAtUs === pass.atUs ? lastedUntilPass(replicated(next, pass.id), pass) : next;
    }),
  );
  return { branches: [...notRun.branches, ...before, ...after], reached };
}

/**
 * The branches of `run` with `pass` run at a point of one of the call's HSM attempts on its cluster after
 * the first request goes out (there it is the same as before the call's HSM work): the pass synchronizes
 * the cluster as it is at that point (the draft the call works on) and is done.
 */
function passBetweenAttempts(
  pass: DuePass,
  rest: DuePass[],
  state: ModelState,
  faultAtEnd: boolean,
  run: (s: ModelState, at?: MidCall) => Evaluated,
): Branch[] {
  const points: [number, AttemptPoint][] = [];
  run(state, (attempt, point, cluster) => {
    if (cluster.id === pass.id && (attempt > 0 || point !== "send")) points.push([attempt, point]);
  });
  const branches: Branch[] = [];
  for (const [a, p] of points) {
    const at: MidCall = (attempt, point, cluster) => {
      if (attempt !== a || point !== p || cluster.id !== pass.id || cluster.replicationAtUs !== pass.atUs) return;
      cluster.replicationAtUs = cluster.replicationByUs = undefined;
      synchronize(cluster);
    };
    const ran = withPasses(rest, lastedUntilPass(state, pass), faultAtEnd, true, (s, inner) => run(s, both(inner, at)));
    const why = `a replication pass ran during the call, at ${p} of HSM attempt ${a + 1}`;
    for (const b of ran.branches) branches.push(branchWith(b, b.why ?? why, b.decisions, b.next));
  }
  return branches;
}

const documentsByPolicies = new WeakMap<Readonly<Record<string, string>>, Record<string, Json>>();
/** A principal's inline policies (name → text) as documents, read once per (immutable) set of them. */
function documents(texts: Readonly<Record<string, string>> | undefined): Readonly<Record<string, Json>> {
  if (texts === undefined) return NO_POLICIES; // one object for every caller without any, so their decisions are remembered too
  let docs = documentsByPolicies.get(texts);
  if (docs === undefined) {
    docs = Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, policyDocument(text)]));
    documentsByPolicies.set(texts, docs);
  }
  return docs;
}

function callOnce(world: ModelWorld, state: ModelState, step: CallStep, nowUs: number, faultIn?: MidCall): Evaluated {
  const rule = MODEL_OPERATIONS[step.call];
  const principal = world.principals[step.as];
  if (rule === undefined || principal === undefined) throw new Error(`model: cannot run ${step.call} as ${step.as}`);
  // The caller's identity policies as they stand now (iam:* steps change them), read as documents.
  const caller = {
    arn: principal.arn,
    policies: documents(state.identityPolicies[principal.arn]),
    tags: state.principalTags[principal.arn] ?? {},
  };
  // §12: a grant inside its propagation window may or may not count; every combination is allowed.
  const { certain, uncertain } = grantsInFlux(world, state, caller.arn, nowUs);
  if (uncertain.length > GRANTS_IN_FLUX_MAX) {
    throw new ModelLimitError(`${uncertain.length} grants of ${step.as} in flux at once; the model follows at most ${GRANTS_IN_FLUX_MAX}`);
  }
  let views: ModelGrant[][] = [certain];
  for (const g of uncertain) views = flatMap(views, (v) => [v, [...v, g]]);
  // Every HSM attempt of the call passes here: it notes the cluster, and lands a fault in flight there.
  const reached: string[] = []; // a list, not a set: a call reaches one cluster or two
  const midCall: MidCall = (attempt, point, cluster) => {
    if (!reached.includes(cluster.id)) reached.push(cluster.id);
    faultIn?.(attempt, point, cluster);
  };
  const branches: Branch[] = [];
  for (let i = 0; i < views.length; i++) {
    const ctx: CallContext = { world, state, caller, input: step.input ?? {}, nowUs, grantView: views[i], decisions: [], midCall };
    for (const b of runRule(rule, ctx))
      branches.push(i === 0 || b.why !== undefined ? b : branchWith(b, GRANT_WINDOW, b.decisions, b.next));
  }
  return { branches, reached };
}

/** Runs a rule: its branches, or its refusal as the expected outcome (and the alternatives §15 allows). */
function runRule(rule: Rule, ctx: CallContext): Branch[] {
  const { state, decisions } = ctx;
  const withDecisions = (b: Branch): Branch => (decisions.length > 0 ? branchWith(b, b.why, decisions, b.next) : b);
  const ran = settleCheck(rule(ctx));
  if (ran.done) return packedMap(ran.value, withDecisions);
  const { refusal } = ran;
  const after = refusal.state ?? state;
  const why = refusal.ambiguity !== undefined ? `§15 ambiguity: ${refusal.ambiguity}` : undefined;
  return packedMap([refusal.outcome, ...refusal.alternatives], (outcome) => withDecisions(branchOf(outcome, why, undefined, () => after)));
}
