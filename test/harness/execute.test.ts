// The executor's own limits: a run the model cannot follow (too many ways it could have gone) ends
// with kind model-limit at the step where it happened — a result a campaign reports and goes past,
// never an internal error that stops the campaign.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { worldSeed } from "../../harness/seed.ts";

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
