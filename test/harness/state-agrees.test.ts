// The in-place comparison of the state audit must never agree where the views differ: at every audit
// of real runs (stores, keys, grants, crypto users, faults), for the model's own states and for those
// states changed in one place at a time in a part the audit reads — a value changed, a member added or
// taken away, a list longer, shorter or reordered — `observer.agreesWith(state)` says true only when
// `structuralEqual(observeModel(state), observer.snapshot())` does (the audit then judges by the views,
// so it judges exactly either way); and for the model's own states, exactly when it does (else every
// step would pay for the views). Where `observer.judgesExactly(state)` holds (harness/in-place-exact.ts),
// the audit takes a false without the views: it holds for every state the model makes, and never for a
// changed state the in-place comparison is cautious about.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import type { ModelState } from "../../model/state.ts";
import { observeModel } from "../../harness/audit.ts";
import { Observer } from "../../harness/observer.ts";
import { runSeed } from "../../harness/seed.ts";
import { structuralEqual } from "../../protocol/structural.ts";

type Tree = unknown;

/** Copies of `value`, each changed in one place (sharing the unchanged parts: nothing here is mutated). */
function oneChangeAway(value: Tree): Tree[] {
  const out: Tree[] = [];
  if (typeof value === "string") out.push(`${value}x`);
  else if (typeof value === "number") out.push(value + 1);
  else if (typeof value === "boolean") out.push(!value);
  else if (value === null) out.push("x", {});
  else if (Array.isArray(value)) {
    out.push([...value, "x"]);
    if (value.length > 0) out.push(value.slice(1));
    if (value.length > 1) out.push([...value].reverse());
    value.forEach((item, i) => oneChangeAway(item).forEach((changed) => out.push(value.map((x, j) => (j === i ? changed : x)))));
  } else if (typeof value === "object") {
    const members = value as Record<string, Tree>;
    out.push({ ...members, extra: "x" }, null, []);
    for (const key of Object.keys(members)) {
      const { [key]: _, ...without } = members;
      out.push(without);
      for (const changed of oneChangeAway(members[key])) out.push({ ...members, [key]: changed });
    }
  }
  return out;
}

/** The parts of a model state the audit reads. */
const AUDITED = ["stores", "keys", "aliases", "grants", "clusters", "deletedKeys", "armedFailures", "principalTags"] as const;

/** Copies of `state`, each changed in one place in a part the audit reads. */
function statesOneChangeAway(state: ModelState): ModelState[] {
  const parts = state as unknown as Record<string, Tree>;
  return AUDITED.flatMap((part) => oneChangeAway(parts[part]).map((changed) => ({ ...state, [part]: changed }) as ModelState));
}

/** What the views judge, or undefined when a changed state is too malformed to view at all. */
function exactly(observer: Observer, state: ModelState, withUsers: boolean): boolean | undefined {
  try {
    return structuralEqual(observeModel(state, withUsers), observer.snapshot(withUsers));
  } catch {
    return undefined;
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the state audit's in-place comparison", () => {
  it.each([
    ["default", [1, 3]],
    ["keystores", [2]],
    ["authz", [1]],
  ])("judges as the snapshot does at the audits of %s seeds %j", (name, seeds) => {
    const scenario = loadScenario(name);
    const agreesWith = Observer.prototype.agreesWith;
    const tally = {
      audits: 0,
      agreed: 0,
      disagreed: 0,
      disagreedGiven: 0,
      disagreedExactly: 0,
      cautious: 0,
      unsound: [] as string[],
      inexact: [] as string[],
      trusted: [] as string[],
    };
    vi.spyOn(Observer.prototype, "agreesWith").mockImplementation(function (
      this: Observer,
      state: ModelState,
      withUsers: boolean,
      agreed?: ModelState,
    ) {
      // Every audit with the model's state; every other one also with the state changed every way, and
      // (when the state agrees) each change judged once more with the state given as `agreed`, as the
      // audit gives a state found agreeing to the next: the changed part must still be compared.
      const changed = tally.audits++ % 2 === 0 ? statesOneChangeAway(state) : [];
      const givens = changed.length > 0 && exactly(this, state, withUsers) === true ? [undefined, state] : [undefined];
      const own: [ModelState, boolean, ModelState | undefined][] = [
        [state, withUsers, undefined],
        [state, !withUsers, undefined],
      ];
      const others = changed.flatMap((c) => givens.map((given): [ModelState, boolean, ModelState | undefined] => [c, withUsers, given]));
      for (const [k, [s, users, given]] of [...own, ...others].entries()) {
        const exact = exactly(this, s, users);
        if (exact === undefined) continue;
        let fast: boolean | string;
        try {
          fast = agreesWith.call(this, s, users, given);
        } catch (e) {
          fast = String(e);
        }
        const seen = () =>
          `${String(fast)} for ${JSON.stringify(observeModel(s, users))}${given === undefined ? "" : " (given an agreeing state)"}`;
        const trusted = this.judgesExactly(s);
        if (k < own.length && !trusted) tally.trusted.push(`not judged exactly in place: ${seen()}`);
        if (fast === exact) tally[exact ? "agreed" : "disagreed"]++;
        else if (fast !== false) tally.unsound.push(seen());
        else if (k < own.length) tally.inexact.push(seen());
        else if (trusted) tally.trusted.push(`judged exactly in place, wrongly: ${seen()}`);
        else tally.cautious++; // a changed state that views as the world does, judged by the views
        if (!exact && trusted) tally.disagreedExactly++;
        if (given !== undefined && !exact) tally.disagreedGiven++;
      }
      return agreesWith.call(this, state, withUsers, agreed);
    });
    for (const seed of seeds) runSeed(scenario, seed, { stepsMax: scenario.campaign.stepsDefault });
    expect(tally.unsound.slice(0, 3)).toEqual([]);
    expect(tally.inexact.slice(0, 3)).toEqual([]);
    expect(tally.trusted.slice(0, 3)).toEqual([]);
    expect(tally.disagreedExactly).toBeGreaterThan(500);
    expect(tally.agreed).toBeGreaterThan(20);
    expect(tally.disagreed).toBeGreaterThan(1000);
    expect(tally.disagreedGiven).toBeGreaterThan(500);
    expect(tally.cautious).toBeLessThan(tally.disagreed / 100);
  });
});
