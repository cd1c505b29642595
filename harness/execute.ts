// Runs one Step list through both sides: for each step, resolve its references and check its shape,
// let the virtual world answer, ask the model which outcomes it allows (keeping every model state
// that agrees), check the invariants, count the probes, fold the step into the trace hash, and stop
// at the first failure. Latency budgets are judged over the whole run at the end; then the world heals
// and everything pending must settle (liveness).
import { describeDecision, type Decision } from "../protocol/decision.ts";
import { canonicalJson } from "../protocol/canonical.ts";
import { isCall, isFault, ok, type FaultStep, type Outcome, type Step } from "../protocol/step.ts";
import { World } from "../sim/world.ts";
import { budgetExceeded } from "./budgets.ts";
import { invariantsFor, type StepFacts } from "./invariants/index.ts";
import { LatencyBudget } from "./latency.ts";
import { settlingSteps, unsettled } from "./liveness.ts";
import { meetsExpectation } from "./match.ts";
import { ModelFollower, ModelLimitError, type Judgement } from "./model-follower.ts";
import { sharedModelWorld } from "./model-world.ts";
import { Observer } from "./observer.ts";
import { Probes } from "./probes.ts";
import { Resolver } from "./resolve.ts";
import type { Scenario } from "./scenario.ts";
import { checkShape } from "./shape.ts";
import type { Failure, RunResult, StepRecord } from "./result.ts";
import { TraceHash } from "./trace.ts";

export type { Failure, FailureKind, RunResult, StepRecord } from "./result.ts";

export interface ExecuteOptions {
  /** Most model states kept at once; more means the model's windows have compounded. */
  modelStatesMax: number;
  /** After the last step, heal the world and require everything pending to settle (harness/liveness.ts). Default on. */
  liveness?: boolean;
  /** Told the index of each step as it starts (the settling steps numbered on): a watchdog's heartbeat (harness/pulse.ts). */
  onStep?: (i: number) => void;
}

export const EXECUTE_DEFAULTS: ExecuteOptions = { modelStatesMax: 64 };

/** Why each side decided as it did on authorization (§9.2), when either authorized anything. */
function decided(judgement: Judgement, sut: readonly Decision[]): string {
  const model = [...new Set(judgement.branches.flatMap((b) => (b.decisions ?? []).map(describeDecision)))];
  if (model.length === 0 && sut.length === 0) return "";
  return `. Authorization — virtual KMS: ${sut.map(describeDecision).join("; ") || "none"}; model: ${model.join("; ") || "none"}`;
}

/** The comparison of the world's answer with the model's: a failure, or undefined when the answer fits. */
function compare(step: Step, sut: Outcome, judgement: Judgement, decisions: readonly Decision[]): Omit<Failure, "step"> | undefined {
  const { allowed, fitting } = judgement;
  if (fitting.length === 0) {
    // §17.12: a call the model denies to its caller must never succeed — an access invariant, not only a
    // mismatch. A dry run's DryRunOperationException says it would have succeeded: the same leak.
    const succeeded = sut.ok || sut.error.name === "DryRunOperationException";
    if (isCall(step) && succeeded && allowed.every((o) => !o.ok && o.error.name === "AccessDeniedException")) {
      return {
        kind: "invariant",
        check: "access",
        message: `access: ${step.call} succeeded for '${step.as}', whom the model denies${decided(judgement, decisions)}`,
      };
    }
    const allows = allowed.map((o) => canonicalJson(o)).join(" or ");
    return {
      kind: "mismatch",
      check: "model",
      message: `the virtual KMS answered ${canonicalJson(sut)}; the model allows ${allows}${decided(judgement, decisions)}`,
    };
  }
  if (isCall(step) && step.expect !== undefined && !meetsExpectation(step.expect, sut)) {
    return {
      kind: "mismatch",
      check: "expect",
      message: `the script expected ${canonicalJson(step.expect)}; the virtual KMS answered ${canonicalJson(sut)}`,
    };
  }
  return undefined;
}

export function executeSteps(
  scenario: Scenario,
  seed: string,
  steps: readonly Step[],
  options: ExecuteOptions = EXECUTE_DEFAULTS,
): RunResult {
  const world = new World(scenario, seed);
  const observer = new Observer(world);
  const model = new ModelFollower(sharedModelWorld(scenario), options.modelStatesMax);
  const resolver = new Resolver(scenario);
  const invariants = invariantsFor(scenario);
  const probes = new Probes();
  const latency = new LatencyBudget(scenario);
  const trace = new TraceHash();
  const records: StepRecord[] = [];
  const settling: StepRecord[] = [];
  const finish = (failure?: Failure): RunResult => ({
    verdict: failure === undefined ? "pass" : "fail",
    ...(failure !== undefined ? { failure } : {}),
    records,
    settling,
    traceHash: trace.hex,
    probes: probes.counts,
    latency: latency.samples,
  });

  /** Runs step `i` through both sides and every check, recording it in `into`: the failure it shows, if any. */
  function runStep(i: number, written: Step, into: StepRecord[]): Failure | undefined {
    options.onStep?.(i);
    const where = `step ${i}`;
    const step = resolver.resolve(written, where);
    checkShape(scenario, step, where, resolver.knownHsms());
    const crashed = (e: unknown): Failure => ({
      kind: "crash",
      step: i,
      message: `the virtual world threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    });
    try {
      world.runDue(); // events due now happen before the step
    } catch (e) {
      return crashed(e);
    }
    const atUs = world.nowUs;
    const faultInFlight = world.faultInFlight;
    for (const invariant of invariants) invariant.before?.(step, observer, faultInFlight);

    let sut: Outcome = ok();
    let durationUs = 0;
    let landed: FaultStep | undefined;
    try {
      if (isCall(step))
        ({ outcome: sut, durationUs, landedDuringCall: landed } = world.call(step, scenario.world.principals[step.as]!.arn));
      else if (isFault(step)) world.fault(step);
      else world.advance(step.advance);
    } catch (e) {
      return crashed(e);
    }
    resolver.record(step, sut);
    const decisions = isCall(step) ? observer.decisions().slice() : [];

    let judgement: Judgement;
    try {
      judgement = model.judge(step, atUs, sut);
    } catch (e) {
      if (e instanceof ModelLimitError) return { kind: "model-limit", step: i, check: "model", message: e.message };
      throw e;
    }
    const record: StepRecord = { i, step, sut, model: judgement.allowed, ok: judgement.fitting.length > 0, atUs, durationUs };
    into.push(record);
    trace.add(traceEntry(record));
    probes.afterStep({ step, sut, landed, decidedInGrantWindow: judgement.decidedInGrantWindow }, observer);

    const disagreement = compare(step, sut, judgement, decisions);
    if (disagreement !== undefined) {
      record.ok = false;
      return { ...disagreement, step: i };
    }
    const facts: StepFacts = { step, atUs, sut, decisions, faultInFlight };
    for (const invariant of invariants) {
      const broken = invariant.after(facts, observer);
      if (broken !== undefined) return { kind: "invariant", step: i, check: invariant.name, message: broken };
    }
    const slow = latency.afterStep(step, sut, atUs, durationUs, faultInFlight);
    if (slow !== undefined) return { kind: "budget", step: i, ...slow };

    try {
      world.runDue(); // what the step left due now happens before the audit
    } catch (e) {
      return crashed(e);
    }
    try {
      const differences = model.follow(judgement.fitting, sut, world.nowUs, observer);
      if (differences === undefined) return undefined;
      const views = differences.map((d) => d.join("; ")).join(" | or, against another model state: ");
      return { kind: "mismatch", step: i, check: "state-audit", message: `state audit after the step: ${views}` };
    } catch (e) {
      if (e instanceof ModelLimitError) return { kind: "model-limit", step: i, check: "model", message: `after ${where}: ${e.message}` };
      throw e;
    }
  }

  for (const [i, written] of steps.entries()) {
    const failure = runStep(i, written, records);
    if (failure !== undefined) return finish(failure);
  }
  const over = budgetExceeded(scenario, records) ?? latency.runExceeded();
  if (over !== undefined) return finish({ kind: "budget", ...over });
  if (options.liveness === false) return finish();
  // Liveness: heal, let the world settle, and require everything pending to have settled.
  for (const [k, step] of settlingSteps(scenario, observer).entries()) {
    const failure = runStep(steps.length + k, step, settling);
    if (failure !== undefined) return finish(failure);
  }
  const left = unsettled(scenario, observer);
  return finish(
    left === undefined ? undefined : { kind: "liveness", step: steps.length + settling.length - 1, check: "liveness", message: left },
  );
}

/** What a step adds to the trace hash: the step as run, its answer, when it started and how long it took. */
export function traceEntry(r: StepRecord): { i: number; step: Step; outcome: Outcome; atUs: number; durationUs: number } {
  return { i: r.i, step: r.step, outcome: r.sut, atUs: r.atUs, durationUs: r.durationUs };
}
