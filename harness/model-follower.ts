// Follows the reference model along a run. The model answers a step with branches (the ways it may
// go); the follower keeps every model state that agrees with what the world actually did — the
// branches whose outcome fits the answer, settled to the end of the step, and then only those the
// state audit agrees with. More than one state is kept where the model cannot know which way a
// fault, a propagation window or a lost reply went.
import type { Branch } from "../model/context.ts";
import { GRANT_WINDOW, ModelLimitError, modelStep, settle } from "../model/model.ts";
import { initialState } from "../model/initial-state.ts";
import { type ModelState, type ModelWorld } from "../model/state.ts";
import { flatMap } from "../protocol/flat-map.ts";
import { sameItems } from "../protocol/lists.ts";
import { dedupeStructural } from "../protocol/structural.ts";
import type { OutcomePattern } from "../protocol/pattern.ts";
import type { Outcome, Step } from "../protocol/step.ts";
import { auditStates } from "./audit.ts";
import { matches } from "./match.ts";
import type { Observer } from "./observer.ts";

export { ModelLimitError } from "../model/model.ts";

/** What the model made of one step, against what the world answered. */
export interface Judgement {
  branches: Branch[];
  /** Every outcome the model allows, each once. */
  allowed: OutcomePattern[];
  /** The branches whose outcome is the world's answer. */
  fitting: Branch[];
  /** Did the answer depend on whether a grant change had propagated yet (§12)? */
  decidedInGrantWindow: boolean;
}

/** The model's initial state per world: immutable, so the runs of one world share it (harness/model-world.ts). */
const initialStates = new WeakMap<ModelWorld, ModelState>();

export class ModelFollower {
  private states: ModelState[];

  constructor(
    readonly world: ModelWorld,
    /** Most model states kept at once; more means the model's windows have compounded (kind model-limit). */
    private readonly statesMax: number,
  ) {
    let initial = initialStates.get(world);
    if (initial === undefined) initialStates.set(world, (initial = initialState(world)));
    this.states = [initial];
  }

  /** The model's branches for `step` from every live state settled to `atUs`, against the world's answer `sut`. */
  judge(step: Step, atUs: number, sut: Outcome): Judgement {
    // A state kept with an event still on the wire forks again as it settles (the event run, or not yet),
    // and the fork where it ran is, as a rule, one of the states already kept: each is judged once.
    const settled = settledAll(this.world, this.states, atUs);
    const branches: Branch[] = [];
    for (let i = 0; i < settled.length; i++) for (const b of modelStep(this.world, settled[i]!, step, atUs)) branches.push(b);
    // One pass over the branches: their outcomes, those that fit the answer, those decided in a grant window.
    const outcomes: OutcomePattern[] = [];
    const fitting: Branch[] = [];
    let inFlux: OutcomePattern[] | undefined;
    for (let i = 0; i < branches.length; i++) {
      const b = branches[i]!;
      outcomes.push(b.outcome);
      if (matches(b.outcome, sut)) fitting.push(b);
      if (b.why === GRANT_WINDOW) (inFlux ??= []).push(b.outcome);
    }
    const allowed = dedupe(outcomes);
    return {
      branches,
      allowed,
      fitting,
      decidedInGrantWindow: inFlux !== undefined && dedupe(inFlux).length < allowed.length,
    };
  }

  /**
   * Takes the fitting branches' states, settled to `afterUs`, and keeps those the audit agrees with.
   * Returns the audit's differences when none agrees; throws ModelLimitError past `statesMax`.
   */
  follow(fitting: Branch[], sut: Outcome, afterUs: number, observer: Observer): string[][] | undefined {
    const next = dedupeStates(fitting.map((b) => b.next(sut)));
    const settled = flatMap(next, (s) => settle(this.world, s, afterUs));
    const audit = auditStates(observer, this.world, settled, afterUs);
    if (audit.agreeing.length === 0) return audit.differences;
    // Some of `next`, each once already, when settling changed none of them.
    this.states = sameItems(settled, next) ? audit.agreeing : dedupeStates(audit.agreeing);
    if (this.states.length > this.statesMax) {
      throw new ModelLimitError(`${this.states.length} model states agree with the run; the runner follows at most ${this.statesMax}`);
    }
    return undefined;
  }
}

/**
 * Every one of `states` (each once) settled to `nowUs`, each once: `states` themselves, not compared
 * again, when no event was due for any of them.
 */
function settledAll(world: ModelWorld, states: ModelState[], nowUs: number): ModelState[] {
  const settled = flatMap(states, (s) => settle(world, s, nowUs));
  return sameItems(settled, states) ? states : dedupeStates(settled);
}

/**
 * How many states are deduplicated pairwise before hashing (protocol/structural.ts hashes past eight).
 * The states of one step are forks of a few, sharing most of their parts, which equality passes by
 * identity where a hash walks every part it has not hashed before: over seeds 501–1,500 of `default`,
 * every list this follower deduplicated took 141 ms pairwise against 326 ms hashed past eight, same results.
 */
const PAIRWISE_STATES_MAX = 256;

/** States agreeing in every field are one, the first kept: structurally, without serialising. */
const dedupeStates = (states: ModelState[]): ModelState[] => dedupeStructural(states, PAIRWISE_STATES_MAX);
const dedupe = (patterns: OutcomePattern[]): OutcomePattern[] => dedupeStructural(patterns);
