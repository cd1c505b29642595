// Liveness: after the last step the harness lifts every standing fault and lets the world settle, with
// every check still on; what has not settled by the scenario's bound fails the run with kind liveness.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import type { Step } from "../../protocol/step.ts";
import { KMS_OPERATIONS } from "../../sim/kms/operations.ts";

const scenario = loadScenario("authz");
const { cluster, principals } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];

describe("liveness", () => {
  afterEach(() => vi.restoreAllMocks());

  it("lifts every standing fault, lets time pass, and passes when all has settled", () => {
    const steps: Step[] = [
      { fault: "partition", hsm: hsm0, direction: "to-hsm" },
      { fault: "hsm-crash", hsm: hsm1 },
      { fault: "az-outage", az: cluster.hsms[0]!.availabilityZone },
      { fault: "slow-hsm", hsm: hsm1, factor: 100 },
      { fault: "subnet-full", subnet: cluster.hsms[1]!.subnetId },
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", PendingWindowInDays: 30 } },
    ];
    const result = executeSteps(scenario, "kmsim:liveness", steps);
    expect(result.failure).toBeUndefined();
    expect(result.settling.map((r) => ("fault" in r.step ? r.step.fault : "advance" in r.step ? "advance" : "call"))).toEqual([
      "heal",
      "az-restore",
      "hsm-restore",
      "subnet-restore",
      "slow-hsm",
      "advance",
    ]);
    expect(result.settling[0]!.i).toBe(steps.length);
  });

  it("fails a run whose grant never propagates, naming it", () => {
    const create = KMS_OPERATIONS["CreateGrant"]!;
    vi.spyOn(KMS_OPERATIONS, "CreateGrant").mockImplementation(function* (kms, caller, input) {
      const outcome = yield* create(kms, caller, input);
      const grant = outcome.ok ? kms.grants.get(String(outcome.output["GrantId"])) : undefined;
      if (grant !== undefined) grant.visibleAtUs = Number.MAX_SAFE_INTEGER;
      return outcome;
    });
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      {
        call: "CreateGrant",
        as: "admin",
        save: "g",
        input: { KeyId: "${k.KeyMetadata.Arn}", GranteePrincipal: principals["app"]!.arn, Operations: ["Encrypt"] },
      },
    ];
    const result = executeSteps(scenario, "kmsim:liveness", steps);
    expect(result.failure?.kind).toBe("liveness");
    expect(result.failure?.message).toMatch(/grant \w+ not yet propagated/);
  });

  it("can be left out (a test that reads the world as the last step left it)", () => {
    const result = executeSteps(scenario, "kmsim:liveness", [{ fault: "hsm-crash", hsm: hsm0 }], { modelStatesMax: 64, liveness: false });
    expect(result.settling).toEqual([]);
  });
});
