// Spec §11.2, the custom key store request quota, through both sides: the keystores scenario lowers
// it to 6 per second so a script can reach it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";

const scenario = loadScenario("keystores");
const { cluster } = scenario.world;

describe("custom key store request quota (§11.2)", () => {
  it("throttles the request past the quota within one second, and not after the second has passed", () => {
    expect(scenario.quotas.storeRequestsPerSecond).toBe(6);
    const encrypt = (expect: object): Step =>
      ({ call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect }) as Step;
    const plainKey = (expect: object): Step =>
      ({ call: "Encrypt", as: "admin", input: { KeyId: "${plain.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect }) as Step;
    const steps: Step[] = [
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        save: "cks",
        input: {
          CustomKeyStoreName: "s",
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
      },
      { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
      { advance: scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs },
      { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
      { call: "CreateKey", as: "admin", save: "plain", input: {} },
      ...Array.from({ length: 6 }, () => encrypt({ ok: true })),
      encrypt({ ok: false, error: { name: "ThrottlingException" } }),
      plainKey({ ok: true }), // keys outside the store do not count against it
      { advance: 1000 },
      encrypt({ ok: true }),
    ];
    const result = executeSteps(scenario, "kmsim:quota", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});
