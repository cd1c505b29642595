// The in-place comparison of the state audit must judge as the snapshot does: at every audit of real
// runs (stores, keys, grants, crypto users, faults), for the model's own views and for the world's
// snapshot changed in one place at a time — a value changed, a member added or taken away, a list
// longer, shorter or reordered — `observer.agrees(view)` says true exactly when
// `structuralEqual(view, observer.snapshot())` does.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { Observer, type Observed } from "../../harness/observer.ts";
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
    const agrees = Observer.prototype.agrees;
    const tally = { audits: 0, agreed: 0, disagreed: 0, mismatched: [] as string[] };
    vi.spyOn(Observer.prototype, "agrees").mockImplementation(function (this: Observer, view: Observed, withUsers: boolean) {
      const seen = this.snapshot(withUsers);
      // Every audit with the model's view; every other one also with the snapshot changed every way.
      const changed = tally.audits++ % 2 === 0 ? [seen, ...oneChangeAway(seen), this.snapshot(!withUsers)] : [];
      const views = [view, ...changed];
      for (const v of views) {
        const exact = structuralEqual(v, seen);
        if (agrees.call(this, v as Observed, withUsers) !== exact) tally.mismatched.push(JSON.stringify(v));
        else if (exact) tally.agreed++;
        else tally.disagreed++;
      }
      return agrees.call(this, view, withUsers);
    });
    for (const seed of seeds) runSeed(scenario, seed, { stepsMax: scenario.campaign.stepsDefault });
    expect(tally.mismatched.slice(0, 3)).toEqual([]);
    expect(tally.agreed).toBeGreaterThan(20);
    expect(tally.disagreed).toBeGreaterThan(1000);
  });
});
