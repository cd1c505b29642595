// Service failures on the harness side: the (operation, error) pairs the generator aims at, the
// generated arm-call-retry sequences, the shape check's refusals, and the scripted example
// (scenarios/scripts/service-failure.json) run through both sides with its expectations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario, loadScript } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { drawSwarm, stepsArbitrary } from "../../harness/generate.ts";
import { worldSeed } from "../../harness/seed.ts";
import { aimedFailures } from "../../harness/service-failures.ts";
import { checkShape } from "../../harness/shape.ts";
import { InputError } from "../../protocol/input-error.ts";
import { isCall, isFault, type Step } from "../../protocol/step.ts";
import { Prng } from "../../sim/kernel/prng.ts";

const scenario = loadScenario("default");

describe("the service failures the generator aims", () => {
  it("pairs each call with the service failures its AWS model documents, and the operator's actions with none", () => {
    const pairs = aimedFailures(["TagResource", "Encrypt", "iam:UntagUser", "iam:PutUserPolicy", "cloudhsmv2:CreateHsm", "hsm:Login"]);
    expect(pairs.map((p) => `${p.call} ${p.service} ${p.error}`)).toEqual([
      "TagResource kms KMSInternalException",
      "Encrypt kms KMSInternalException",
      "Encrypt kms DependencyTimeoutException",
      "Encrypt kms KeyUnavailableException",
      "iam:UntagUser iam ServiceFailure",
      "iam:UntagUser iam ConcurrentModification",
      "iam:PutUserPolicy iam ServiceFailure",
      "cloudhsmv2:CreateHsm cloudhsmv2 CloudHsmInternalFailureException",
      "cloudhsmv2:CreateHsm cloudhsmv2 CloudHsmServiceException",
    ]);
  });

  it("arms them without `after`, mostly just before a call that documents the error, retried at once", () => {
    let aimed = 0;
    let arms = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const swarm = drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm"));
      const [steps] = fc.sample(stepsArbitrary(scenario, swarm, scenario.campaign.stepsDefault), { seed, numRuns: 1 });
      (steps as Step[]).forEach((step, i, all) => {
        if (!isFault(step) || step.fault !== "service-failure") return;
        arms++;
        expect(step.after).toBeUndefined();
        const [next, retry] = [all[i + 1], all[i + 2]];
        if (next === undefined || !isCall(next) || retry === undefined || !isCall(retry) || next !== retry) return;
        expect(aimedFailures([next.call]).some((p) => p.service === step.service && p.error === step.error)).toBe(true);
        aimed++;
      });
    }
    expect(arms).toBeGreaterThan(10);
    expect(aimed).toBeGreaterThan(arms / 2);
  });
});

describe("the shape check of a service failure", () => {
  const refused = (step: Step) => {
    try {
      checkShape(scenario, step, "step 3", []);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error("checkShape accepted it");
  };
  it("names the service and error it needs, and refuses `after`", () => {
    expect(refused({ fault: "service-failure", error: "ServiceFailure" })).toBe(
      `step 3: fault 'service-failure' needs "service", one of kms, cloudhsmv2, iam`,
    );
    expect(refused({ fault: "service-failure", service: "iam", error: "KMSInternalException" })).toBe(
      `step 3: fault 'service-failure' on iam needs "error", one of ServiceFailure, ConcurrentModification`,
    );
    expect(refused({ fault: "service-failure", service: "kms", error: "KMSInternalException", after: 0 })).toBe(
      `step 3: fault 'service-failure' takes no "after": it arms at once`,
    );
  });
});

describe("the scripted example", () => {
  it("passes both sides and every expectation it states", () => {
    const script = loadScript("scenarios/scripts/service-failure.json");
    const result = executeSteps(scenario, worldSeed(script.seed), script.steps);
    expect(result.failure).toBeUndefined();
    expect(result.records.filter((r) => !r.sut.ok).map((r) => (r.sut.ok ? "" : r.sut.error.name))).toEqual([
      "KeyUnavailableException",
      "NotFoundException",
      "KMSInternalException",
      "ConcurrentModification",
      "CloudHsmServiceException",
    ]);
  });
});
