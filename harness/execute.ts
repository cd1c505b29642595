// Runs one Step list through both sides: for each step, resolve references, let the virtual world
// answer, ask the model which outcomes it allows (keeping every model state that agrees), check the
// invariants, fold the step into the trace hash, and stop at the first failure. Latency budgets are
// judged over the whole run at the end.
import { canonicalJson } from "../protocol/canonical.ts";
import { InputError } from "../protocol/input-error.ts";
import { GRANT_WINDOW, ModelLimitError, modelStep, settle, MODEL_OPERATIONS } from "../model/model.ts";
import type { Branch } from "../model/context.ts";
import type { OutcomePattern } from "../protocol/pattern.ts";
import { initialState, type ModelState } from "../model/state.ts";
import { lateFactorMin, slowFactorEffect } from "../sim/config.ts";
import type { Scenario } from "./scenario.ts";
import {
  FAULT_NAMES,
  isAdvance,
  isCall,
  isFault,
  ok,
  type CallStep,
  type FaultStep,
  type JsonObject,
  type Outcome,
  type Step,
} from "../protocol/step.ts";
import { World } from "../sim/world.ts";
import { auditStates } from "./audit.ts";
import { claimHolds } from "../sim/faults.ts";
import {
  checkCryptoPath,
  checkGrantWindow,
  checkOutcome,
  checkStoreKeyCreation,
  checkSurvival,
  checkWorld,
  storeKeyPossible,
  storeStates,
  type CryptoLedger,
  type GrantLedger,
} from "./invariants.ts";
import { matches, meetsExpectation } from "./match.ts";
import { modelWorld } from "./model-world.ts";
import { Resolver } from "./resolve.ts";
import { TraceHash } from "./trace.ts";

/** `model-limit`: the model could not follow the run (too many ways it could have gone); not a KMS finding. */
export type FailureKind = "mismatch" | "invariant" | "budget" | "crash" | "nondeterminism" | "model-limit";

export interface Failure {
  kind: FailureKind;
  /** Index of the step where it showed, when it belongs to one step. */
  step?: number;
  message: string;
}

export interface StepRecord {
  i: number;
  step: Step;
  sut: Outcome;
  model: OutcomePattern[];
  ok: boolean;
  atUs: number;
  durationUs: number;
}

export interface RunResult {
  verdict: "pass" | "fail";
  failure?: Failure;
  records: StepRecord[];
  traceHash: string;
  /** The canonical text of every trace entry, for naming the first step two runs disagree on. */
  traceEntries: string[];
  /** Coverage probes: how often each corner was reached in this run. */
  probes: Record<string, number>;
}

export interface ExecuteOptions {
  /** Most model states kept at once; more means the model's windows have compounded. */
  modelStatesMax: number;
}

const DEFAULTS: ExecuteOptions = { modelStatesMax: 64 };

function probe(probes: Record<string, number>, name: string): void {
  probes[name] = (probes[name] ?? 0) + 1;
}

/** Did the CloudHSM key CreateKey just made get two key objects (a GenerateKey served twice, §4)? */
function madeTwice(world: World, output: JsonObject): boolean {
  const meta = output["KeyMetadata"];
  const arn = typeof meta === "object" && meta !== null && !Array.isArray(meta) ? meta["Arn"] : undefined;
  const key = typeof arn === "string" ? world.kms.keys.get(arn) : undefined;
  const cluster = key?.CloudHsmClusterId === undefined ? undefined : world.cloudhsm.clusters.get(key.CloudHsmClusterId);
  if (cluster === undefined) return false;
  const handles = new Set(cluster.hsms.flatMap((h) => [...h.objects].filter(([, o]) => o.label === arn).map(([handle]) => handle)));
  return handles.size > 1;
}

/** Checks a step's shape before it runs: unknown call names, principals, faults, HSMs, zones and subnets are input errors. */
function checkShape(scenario: Scenario, step: Step, where: string, knownHsms: readonly unknown[]): void {
  if (isCall(step)) {
    if (!Object.hasOwn(MODEL_OPERATIONS, step.call))
      throw new InputError(`${where}: unknown call '${step.call}' (known: ${Object.keys(MODEL_OPERATIONS).join(", ")})`);
    if (!Object.hasOwn(scenario.world.principals, step.as))
      throw new InputError(`${where}: unknown principal '${step.as}' (known: ${Object.keys(scenario.world.principals).join(", ")})`);
    const expect = step.expect;
    if (expect !== undefined && (typeof expect !== "object" || expect === null || typeof expect["ok"] !== "boolean")) {
      throw new InputError(`${where}: expect must be an outcome such as {"ok": true} or {"ok": false, "error": {"name": "..."}}`);
    }
    return;
  }
  if (isFault(step)) {
    if (!(FAULT_NAMES as readonly string[]).includes(step.fault))
      throw new InputError(`${where}: unknown fault '${step.fault}' (known: ${FAULT_NAMES.join(", ")})`);
    const hsms = scenario.world.cluster.hsms;
    const needs = (field: "hsm" | "az" | "subnet", known: readonly unknown[], optional = false) => {
      const value = step[field];
      if (value === undefined && optional) return;
      if (value === undefined) throw new InputError(`${where}: fault '${step.fault}' needs "${field}"`);
      if (!known.includes(value)) throw new InputError(`${where}: unknown ${field} '${value}' (known: ${known.join(", ")})`);
    };
    if (step.fault === "hsm-crash" || step.fault === "hsm-restore" || step.fault === "partition" || step.fault === "slow-hsm")
      needs("hsm", knownHsms);
    if (step.fault === "slow-hsm") {
      const factor = step.factor;
      if (typeof factor !== "number" || !Number.isSafeInteger(factor) || factor < 1)
        throw new InputError(`${where}: fault 'slow-hsm' needs "factor", a whole number >= 1`);
      if (slowFactorEffect(scenario.timing, factor) === undefined) {
        throw new InputError(
          `${where}: slow-hsm factor ${factor} leaves replies sometimes in time, sometimes late under this scenario's timing; use one whose replies are all in time or all late (>= ${lateFactorMin(scenario.timing)})`,
        );
      }
    }
    if (step.fault === "heal") needs("hsm", knownHsms, true);
    if (step.fault === "az-outage" || step.fault === "az-restore") needs("az", [...new Set(hsms.map((h) => h.availabilityZone))]);
    if (step.fault.startsWith("subnet-"))
      needs(
        "subnet",
        hsms.map((h) => h.subnetId),
      );
    if (step.direction !== undefined && !["both", "to-hsm", "from-hsm"].includes(step.direction)) {
      throw new InputError(`${where}: direction must be "both", "to-hsm" or "from-hsm"`);
    }
    if (step.after !== undefined && (!Number.isSafeInteger(step.after) || step.after < 0)) {
      throw new InputError(`${where}: after must be a whole number of milliseconds >= 0`);
    }
    return;
  }
  if (isAdvance(step)) {
    if (!Number.isSafeInteger(step.advance) || step.advance < 0)
      throw new InputError(`${where}: advance must be a whole number of milliseconds >= 0`);
    return;
  }
  throw new InputError(`${where}: a step needs "call", "fault" or "advance"`);
}

/** For an Encrypt naming a CloudHSM key by id or ARN: does the survival claim hold before the call? */
function claimHoldsFor(world: World, step: CallStep): boolean {
  if (step.call !== "Encrypt") return false;
  const keyId = step.input?.["KeyId"];
  const key = [...world.kms.keys.values()].find((k) => k.KeyId === keyId || k.Arn === keyId);
  return key !== undefined && claimHolds(world.kms, world.network, key);
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

export function executeSteps(scenario: Scenario, seed: string, steps: readonly Step[], options: ExecuteOptions = DEFAULTS): RunResult {
  const world = new World(scenario, seed);
  const mworld = modelWorld(scenario);
  const resolver = new Resolver(scenario);
  const trace = new TraceHash();
  const ledger: CryptoLedger = { made: new Map() };
  const grants: GrantLedger = { tokens: new Map(), removedAtUs: new Map() };
  const grantWindowUs = scenario.timing.grantPropagationMsMax * 1000;
  const records: StepRecord[] = [];
  const traceEntries: string[] = [];
  const probes: Record<string, number> = {};
  const lastErrorCodes = new Map<string, string | undefined>();
  const seenDeleted = new Set<string>();
  const seenOrphans = new Set<string>();
  let states: ModelState[] = [initialState(mworld)];
  const finish = (failure?: Failure): RunResult => ({
    verdict: failure === undefined ? "pass" : "fail",
    ...(failure !== undefined ? { failure } : {}),
    records,
    traceHash: trace.hex,
    traceEntries,
    probes,
  });

  for (const [i, written] of steps.entries()) {
    const where = `step ${i}`;
    const step = resolver.resolve(written, where);
    checkShape(scenario, step, where, resolver.knownHsms());
    world.scheduler.runTo(world.clock.nowUs); // events due now happen before the step
    const atUs = world.clock.nowUs;

    let sut: Outcome = ok();
    let durationUs = 0;
    const storesBefore = isFault(step) ? storeStates(world) : "";
    // The survival claim and the crypto-path check speak of faults between calls, not of one landing mid-call.
    const faultInFlight = world.faultInFlight;
    const claimHeld = isCall(step) && !faultInFlight && claimHoldsFor(world, step);
    const keyPossible = isCall(step) && !faultInFlight ? storeKeyPossible(step, world) : undefined;
    let landed: FaultStep | undefined;
    let decisions: string[] = [];
    let conditions: string[] = [];
    try {
      if (isCall(step))
        ({
          outcome: sut,
          durationUs,
          landedDuringCall: landed,
          decisions,
          conditions,
        } = world.call(step, scenario.world.principals[step.as]!.arn));
      else if (isFault(step)) world.fault(step);
      else world.advance(step.advance);
    } catch (e) {
      return finish({
        kind: "crash",
        step: i,
        message: `the virtual world threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      });
    }
    resolver.record(step, sut);

    let branches: Branch[];
    try {
      branches = states.flatMap((s) => settle(mworld, s, atUs)).flatMap((s) => modelStep(mworld, s, step, atUs));
    } catch (e) {
      if (e instanceof ModelLimitError) return finish({ kind: "model-limit", step: i, message: e.message });
      throw e;
    }
    const allowed = dedupe(branches.map((b) => b.outcome));
    const fitting = branches.filter((b) => matches(b.outcome, sut));
    records.push({ i, step, sut, model: allowed, ok: fitting.length > 0, atUs, durationUs });
    traceEntries.push(trace.add({ i, step, outcome: sut, atUs, durationUs }));
    if (isCall(step)) probe(probes, `call:${step.call}:${sut.ok ? "ok" : sut.error.name}`);
    // A call whose answer depended on whether a grant change had propagated yet (§12).
    const inFlux = branches.filter((b) => b.why === GRANT_WINDOW);
    if (inFlux.length > 0 && dedupe(inFlux.map((b) => b.outcome)).length < allowed.length)
      probe(probes, "grant:decided-inside-propagation-window");
    if (isCall(step) && !sut.ok && (sut.error.name === "AccessDeniedException" || sut.error.name === "AccessDenied")) {
      probe(probes, sut.error.message.includes("explicit deny") ? "access:denied-explicitly" : "access:denied-by-default");
    }
    for (const evaluated of new Set(conditions)) probe(probes, `condition:${evaluated}`);
    if (isFault(step)) probe(probes, `fault:${step.fault}`);
    if (landed !== undefined && isCall(step)) probe(probes, `fault-during-call:${landed.fault}`);
    for (const arn of world.kms.deletedKeyArns) {
      if (seenDeleted.has(arn)) continue;
      seenDeleted.add(arn);
      probe(probes, "key:deleted");
    }
    if (isCall(step) && step.call === "CreateKey" && sut.ok && madeTwice(world, sut.output)) probe(probes, "key:made-twice");
    for (const arn of world.kms.orphanedKeyArns) {
      if (seenOrphans.has(arn)) continue;
      seenOrphans.add(arn);
      probe(probes, "key:material-orphaned");
    }
    for (const store of world.kms.stores) {
      const code = store.ConnectionErrorCode;
      if (code !== undefined && lastErrorCodes.get(store.CustomKeyStoreId) !== code) probe(probes, `connection:${code}`);
      lastErrorCodes.set(store.CustomKeyStoreId, code);
    }

    if (fitting.length === 0) {
      const deniedByModel = allowed.every((o) => !o.ok && o.error.name === "AccessDeniedException");
      if (sut.ok && deniedByModel)
        return finish({
          kind: "invariant",
          step: i,
          message: `access: ${isCall(step) ? step.call : "step"} succeeded for '${isCall(step) ? step.as : ""}', whom the model denies${decided(branches, decisions)}`,
        });
      return finish({
        kind: "mismatch",
        step: i,
        message: `the virtual KMS answered ${canonicalJson(sut)}; the model allows ${allowed.map((o) => canonicalJson(o)).join(" or ")}${decided(branches, decisions)}`,
      });
    }
    if (isCall(step) && step.expect !== undefined && !meetsExpectation(step.expect, sut)) {
      records[records.length - 1]!.ok = false;
      return finish({
        kind: "mismatch",
        step: i,
        message: `the script expected ${canonicalJson(step.expect)}; the virtual KMS answered ${canonicalJson(sut)}`,
      });
    }
    const broken =
      (isCall(step)
        ? (checkGrantWindow(step, sut, decisions, atUs, grantWindowUs, grants) ??
          checkOutcome(step, sut, ledger) ??
          (faultInFlight ? undefined : checkCryptoPath(step, sut, world)) ??
          checkSurvival(step, sut, claimHeld) ??
          checkStoreKeyCreation(step, sut, keyPossible))
        : undefined) ??
      (isFault(step) && storeStates(world) !== storesBefore
        ? `fault ${step.fault} changed a store's state by itself (spec §17.1)`
        : undefined) ??
      checkWorld(world);
    if (broken !== undefined) return finish({ kind: "invariant", step: i, message: broken });

    const nextStates = dedupeStates(fitting.map((b) => b.next(sut)));
    world.scheduler.runTo(world.clock.nowUs);
    const afterUs = world.clock.nowUs;
    const settled = nextStates.flatMap((s) => settle(mworld, s, afterUs));
    const audit = auditStates(world, mworld, settled, afterUs);
    if (audit.agreeing.length === 0) {
      const views = audit.differences.map((d) => d.join("; ")).join(" | or, against another model state: ");
      return finish({ kind: "mismatch", step: i, message: `state audit after the step: ${views}` });
    }
    states = dedupeStates(audit.agreeing);
    if (states.length > options.modelStatesMax)
      return finish({
        kind: "model-limit",
        step: i,
        message: `${states.length} model states agree with the run after ${where}; the runner follows at most ${options.modelStatesMax}`,
      });
  }

  for (const [operation, budget] of Object.entries(scenario.budgets)) {
    const calls = records.filter((r) => isCall(r.step) && r.step.call === operation);
    if (calls.length === 0) continue;
    const observedMs = p99(calls.map((r) => r.durationUs)) / 1000;
    if (observedMs > budget.p99Ms) {
      const slowest = calls.reduce((a, b) => (b.durationUs > a.durationUs ? b : a));
      return finish({
        kind: "budget",
        step: slowest.i,
        message: `${operation} p99 ${observedMs} ms exceeds its budget of ${budget.p99Ms} ms over ${calls.length} calls`,
      });
    }
  }
  return finish();
}

function dedupeStates(states: ModelState[]): ModelState[] {
  if (states.length <= 1) return states; // the common case: nothing to compare, nothing to serialize
  const seen = new Map<string, ModelState>();
  for (const s of states) seen.set(canonicalJson(s), s);
  return [...seen.values()];
}

function dedupe(patterns: OutcomePattern[]): OutcomePattern[] {
  if (patterns.length <= 1) return patterns;
  const seen = new Map<string, OutcomePattern>();
  for (const p of patterns) seen.set(canonicalJson(p), p);
  return [...seen.values()];
}

/** Why each side decided as it did on authorization (§9.2), when either authorized anything. */
function decided(branches: Branch[], sut: string[]): string {
  const model = [...new Set(branches.flatMap((b) => b.decisions ?? []))];
  if (model.length === 0 && sut.length === 0) return "";
  return `. Authorization — virtual KMS: ${sut.join("; ") || "none"}; model: ${model.join("; ") || "none"}`;
}
