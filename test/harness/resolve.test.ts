// Generated references: a context reference may ask for the same context with one value changed,
// one key added or one removed, so a ciphertext is tried under a context that is almost its own. The
// step as run copies only what resolves to something else; nothing writes to a step, which seeds run
// on frozen steps show.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps, type RunResult } from "../../harness/execute.ts";
import { drawSwarm, stepsArbitrary } from "../../harness/generate.ts";
import { Resolver } from "../../harness/resolve.ts";
import { worldSeed } from "../../harness/seed.ts";
import { Prng } from "../../sim/kernel/prng.ts";
import { InputError } from "../../protocol/input-error.ts";
import type { Step } from "../../protocol/step.ts";

const scenario = loadScenario("default");

function resolverWith(context: Record<string, string>): Resolver {
  const resolver = new Resolver(scenario);
  resolver.record(
    { call: "Encrypt", as: "admin", input: { KeyId: "k", Plaintext: "AA==", EncryptionContext: context } },
    { ok: true, output: { CiphertextBlob: "AAAA" } },
  );
  return resolver;
}

const decrypt = (vary?: string): Step => ({
  call: "Decrypt",
  as: "admin",
  input: {
    CiphertextBlob: { ref: "ciphertext", index: -1 },
    EncryptionContext: { ref: "context", index: -1, ...(vary !== undefined ? { vary } : {}) },
  },
});
const contextOf = (step: Step) => ("input" in step ? step.input?.["EncryptionContext"] : undefined);

describe("context references", () => {
  it("resolve as made, or with one value changed, one key added or one removed", () => {
    const r = resolverWith({ purpose: "test", team: "blue" });
    expect(contextOf(r.resolve(decrypt(), "step 0"))).toEqual({ purpose: "test", team: "blue" });
    expect(contextOf(r.resolve(decrypt("value"), "step 0"))).toEqual({ purpose: "prod", team: "blue" });
    expect(contextOf(r.resolve(decrypt("add"), "step 0"))).toEqual({ purpose: "test", team: "blue", env: "prod" });
    expect(contextOf(r.resolve(decrypt("remove"), "step 0"))).toEqual({ purpose: "test" });
  });

  it("reject an unknown variation as the script's mistake", () => {
    expect(() => resolverWith({ purpose: "test" }).resolve(decrypt("shuffle"), "step 3")).toThrow(InputError);
  });
});

describe("the step as run", () => {
  it("is the step as written when nothing in it refers to anything, and copies only the parts that do", () => {
    const r = resolverWith({ purpose: "test" });
    const plain: Step = { call: "Encrypt", as: "admin", input: { KeyId: "k", Plaintext: "AA==", EncryptionContext: { team: "blue" } } };
    expect(r.resolve(plain, "step 0")).toBe(plain);
    const written = decrypt();
    const before = JSON.stringify(written);
    const run = r.resolve(written, "step 1");
    expect(run).not.toBe(written);
    expect(JSON.stringify(written)).toBe(before);
    expect(contextOf(run)).toEqual({ purpose: "test" });
    expect("input" in run && run.input?.["CiphertextBlob"]).toBe("AAAA");
  });
});

/** `value` with every object in it given a null prototype, as fast-check's fc.record does to about half its records. */
function nullPrototyped<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(nullPrototyped) as T;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [k, member] of Object.entries(value)) out[k] = nullPrototyped(member);
  return out as T;
}

/** Does any object in `value` have a prototype other than Object.prototype? */
function anyNotPlain(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(anyNotPlain);
  return Object.getPrototypeOf(value) !== Object.prototype || Object.values(value).some(anyNotPlain);
}

describe("records with a null prototype", () => {
  it("run as plain objects with the same members in the same order, at every depth", () => {
    const r = resolverWith({ purpose: "test" });
    for (const written of [
      nullPrototyped<Step>({
        call: "Encrypt",
        as: "admin",
        input: { KeyId: "k", Plaintext: "AA==", EncryptionContext: { b: "1", a: "2" } },
      }),
      nullPrototyped(decrypt()),
      nullPrototyped<Step>({ call: "TagResource", as: "admin", input: { KeyId: "k", Tags: [{ TagKey: "t", TagValue: "v" }] } }),
    ]) {
      expect(anyNotPlain(written)).toBe(true);
      const run = r.resolve(written, "step 0");
      expect(anyNotPlain(run)).toBe(false);
      expect(JSON.stringify(run)).toBe(JSON.stringify(r.resolve(structuredClone(written), "step 0")));
    }
  });

  it("are what fast-check makes of a seed's records, and the seed runs the same with every one of them plain", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const swarm = drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm"));
      const [steps] = fc.sample(stepsArbitrary(scenario, swarm, scenario.campaign.stepsDefault), { seed, numRuns: 1 });
      if (seed === 1) expect(steps!.some(anyNotPlain)).toBe(true);
      const generated = executeSteps(scenario, worldSeed(seed), steps!);
      const plain = executeSteps(scenario, worldSeed(seed), structuredClone(steps!));
      expect(generated.records.some((r) => anyNotPlain(r.step))).toBe(false);
      expect(generated.traceHash).toBe(plain.traceHash);
    }
  });
});

/** `value` with every object and array in it frozen. */
function deepFrozen<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFrozen(member);
    Object.freeze(value);
  }
  return value;
}

// The step as run shares what it does not resolve with the step as written (harness/resolve.ts): so
// neither side may write to a step, or a shrunk or replayed list would not be the list generated.
describe("steps nothing writes to", () => {
  it.each(["default", "keys", "keystores", "authz"])("%s: seeds run on frozen steps as on fresh ones, trace for trace", (name) => {
    const scenario = loadScenario(name);
    for (let seed = 1; seed <= 8; seed++) {
      const swarm = drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm"));
      const [steps] = fc.sample(stepsArbitrary(scenario, swarm, scenario.campaign.stepsDefault), { seed, numRuns: 1 });
      const fresh = executeSteps(scenario, worldSeed(seed), structuredClone(steps!));
      const frozen = executeSteps(scenario, worldSeed(seed), deepFrozen(structuredClone(steps!)));
      const summary = (r: RunResult) => ({ seed, kind: r.failure?.kind, steps: r.records.length, traceHash: r.traceHash });
      expect(summary(frozen)).toEqual(summary(fresh));
    }
  });
});
