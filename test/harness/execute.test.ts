// The executor's own limits: a run the model cannot follow (too many ways it could have gone) ends
// with kind model-limit at the step where it happened, and a virtual world that throws while its due
// events run (a runaway process, a broken handler) ends with kind crash there — results a campaign
// reports and goes past, never an internal error that stops the campaign. And its access check (§17.12): a dry run that says
// "would have succeeded" to a caller the model denies is the same leak as a call that succeeds.
import { describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { worldSeed } from "../../harness/seed.ts";
import { mutantNamed } from "../../mutants/catalogue.ts";
import { World } from "../../sim/world.ts";

describe("a run the model cannot follow", () => {
  it("stops with kind model-limit, naming the limit, instead of aborting the campaign", () => {
    const authz = loadScenario("authz");
    const scenario = { ...authz, quotas: { ...authz.quotas, grantsPerKey: 50 } };
    const app = scenario.world.principals["app"]!.arn;
    const grants = Array.from({ length: 9 }, () => ({
      call: "CreateGrant",
      as: "admin",
      input: { KeyId: "${k.KeyMetadata.Arn}", GranteePrincipal: app, Operations: ["Encrypt"] },
    }));
    const steps = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      ...grants,
      { call: "Encrypt", as: "app", input: { KeyId: "${k.KeyMetadata.Arn}", Plaintext: "AAECAwQ=" } },
    ];
    const result = executeSteps(scenario, worldSeed(1), steps as never);
    expect(result.verdict).toBe("fail");
    expect(result.failure?.kind).toBe("model-limit");
    expect(result.failure?.step).toBe(10);
    expect(result.failure?.message).toMatch(/9 grants of app in flux at once; the model follows at most 8/);
  });
});

describe("a virtual world that throws between calls", () => {
  it("stops with kind crash at the step, whether its events throw before the step or after it", () => {
    const scenario = loadScenario("default");
    const steps = [
      { call: "CreateKey", as: "admin", input: {} },
      { call: "ListKeys", as: "admin", input: {} },
      { call: "ListAliases", as: "admin", input: {} },
    ];
    // Each step runs what is due twice: before it, and after it before the state audit.
    for (const [nth, step] of [
      [3, 1],
      [4, 1],
    ]) {
      let calls = 0;
      const runDue = World.prototype.runDue;
      const spy = vi.spyOn(World.prototype, "runDue").mockImplementation(function (this: World) {
        if (++calls === nth) throw new Error("scheduler: advancing to 5 ran more than 1000000 events");
        runDue.call(this);
      });
      try {
        const result = executeSteps(scenario, worldSeed(1), steps as never);
        expect(result.failure).toMatchObject({ kind: "crash", step });
        expect(result.failure?.message).toMatch(/^the virtual world threw: Error: scheduler: advancing to 5 ran more than 1000000 events/);
      } finally {
        spy.mockRestore();
      }
    }
  });
});

describe("the access check on a dry run", () => {
  it("fails a DryRunOperationException answered to a caller the model denies as an access invariant", () => {
    const scenario = loadScenario("default");
    const encrypt = (DryRun: boolean) => ({
      call: "Encrypt",
      as: "app",
      input: { KeyId: "${k.KeyMetadata.Arn}", Plaintext: "AAECAwQ=", DryRun },
    });
    const steps = (DryRun: boolean) => [{ call: "CreateKey", as: "admin", save: "k", input: {} }, encrypt(DryRun)];
    expect(executeSteps(scenario, worldSeed(1), steps(true) as never).failure).toBeUndefined();
    const undo = mutantNamed("key-policy-unchecked")!.apply(); // the virtual KMS checks no key permission
    try {
      for (const dryRun of [true, false]) {
        const failure = executeSteps(scenario, worldSeed(1), steps(dryRun) as never).failure;
        expect({ dryRun, kind: failure?.kind, check: failure?.check, step: failure?.step }).toEqual({
          dryRun,
          kind: "invariant",
          check: "access",
          step: 1,
        });
      }
    } finally {
      undo();
    }
  });
});
