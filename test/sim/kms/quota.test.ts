// Spec §11.2, the custom key store request quota, through both sides: the keystores scenario lowers
// it to 6 per second so a script can reach it. Crypto calls on the store's keys and GenerateRandom from
// the store count against it; calls on other keys, and GenerateRandom without a store, do not.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";
import { connect, create } from "../../support/store-steps.ts";

const scenario = loadScenario("keystores");

/** A connected store "cks" of the world's cluster (this scenario's world is the default one), and a key "k" in it. */
const STORE_WITH_KEY: Step[] = [
  create(),
  connect,
  { advance: scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs },
  { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
];

/** Encrypt under the store's key "k". */
const encrypt = (expect: object): Step =>
  ({ call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect }) as Step;

describe("custom key store request quota (§11.2)", () => {
  it("throttles the request past the quota within one second, and not after the second has passed", () => {
    expect(scenario.quotas.storeRequestsPerSecond).toBe(6);
    const plainKey = (expect: object): Step =>
      ({ call: "Encrypt", as: "admin", input: { KeyId: "${plain.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect }) as Step;
    const steps: Step[] = [
      ...STORE_WITH_KEY,
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

  it("counts GenerateRandom from the store with its crypto calls (§11.2), GenerateRandom without a store is not held to it", () => {
    const random = (input: object, expect: object): Step =>
      ({ call: "GenerateRandom", as: "admin", input: { NumberOfBytes: 16, ...input }, expect }) as Step;
    const fromStore = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
    const steps: Step[] = [
      ...STORE_WITH_KEY,
      { advance: 1000 },
      ...Array.from({ length: 3 }, () => random(fromStore, { ok: true })),
      ...Array.from({ length: 3 }, () => encrypt({ ok: true })),
      random(fromStore, { ok: false, error: { name: "ThrottlingException" } }),
      random({}, { ok: true }),
      { advance: 1000 },
      random(fromStore, { ok: true }),
    ];
    const result = executeSteps(scenario, "kmsim:quota-random", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
  });
});
