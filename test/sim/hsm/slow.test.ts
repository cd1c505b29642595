// `slow-hsm` through both sides: a factor whose replies are all late makes the HSM as good as cut off
// on the way back (it still does the work), the KMS fails over past it after one request timeout, and
// factor 1 restores it. Factors whose effect would depend on the latency drawn are refused up front.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { InputError } from "../../../protocol/input-error.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { lateFactorMin, slowFactorEffect } from "../../../sim/config.ts";
import { isCall, type Step } from "../../../protocol/step.ts";
import { CONNECTED_STORE } from "../../support/store-steps.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];
const late = lateFactorMin(scenario.timing);
const timeoutUs = scenario.timing.hsmRequestTimeoutMs * 1000;

const connectedKey: Step[] = [
  ...CONNECTED_STORE,
  {
    call: "CreateKey",
    as: "admin",
    save: "k",
    input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" },
    expect: { ok: true },
  },
  { advance: scenario.timing.replicationDelayMs + 1 },
];
const encrypt = (ok: boolean): Step => ({
  call: "Encrypt",
  as: "admin",
  input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" },
  expect: ok ? { ok: true } : { ok: false, error: { name: "KMSInvalidStateException" } },
});

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:slow-test", steps);
}

describe("slow-hsm on both sides", () => {
  it("the timing fixes what a factor does: 1 is in time, from lateFactorMin up every reply is late", () => {
    expect(slowFactorEffect(scenario.timing, 1)).toBe("in-time");
    expect(slowFactorEffect(scenario.timing, late)).toBe("late");
    expect(slowFactorEffect(scenario.timing, late - 1)).not.toBe("late");
  });

  it("a late HSM costs one request timeout, then the KMS fails over; both late, crypto fails; factor 1 restores", () => {
    const steps: Step[] = [
      ...connectedKey,
      encrypt(true),
      { fault: "slow-hsm", hsm: hsm0, factor: late },
      encrypt(true),
      { fault: "slow-hsm", hsm: hsm1, factor: 4 * late },
      encrypt(false),
      { fault: "slow-hsm", hsm: hsm0, factor: 1 },
      encrypt(true),
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    const durations = result.records.filter((r) => isCall(r.step) && r.step.call === "Encrypt").map((r) => r.durationUs);
    expect(durations[0]).toBeLessThan(timeoutUs);
    expect(durations[1]).toBeGreaterThanOrEqual(timeoutUs);
    expect(durations[1]).toBeLessThan(2 * timeoutUs);
    expect(durations[2]).toBeGreaterThanOrEqual(2 * timeoutUs);
    expect(durations[3]).toBeLessThan(timeoutUs);
  });

  it("a connect whose every HSM answers late fails with NETWORK_ERRORS, and kmsuser is left logged in by the late-served login", () => {
    const steps: Step[] = [
      connectedKey[0]!,
      { fault: "slow-hsm", hsm: hsm0, factor: late },
      { fault: "slow-hsm", hsm: hsm1, factor: late },
      connectedKey[1]!,
      connectedKey[2]!,
      {
        call: "DescribeCustomKeyStores",
        as: "admin",
        input: { CustomKeyStoreId: "${cks.CustomKeyStoreId}" },
        expect: { ok: true, output: { CustomKeyStores: [{ ConnectionState: "FAILED", ConnectionErrorCode: "NETWORK_ERRORS" }] } },
      },
      {
        call: "hsm:Login",
        as: "admin",
        input: { ClusterId: cluster.clusterId, Username: "kmsuser", Password: cluster.kmsuserPassword },
        expect: { ok: false, error: { name: "HsmUserLoggedInException" } },
      },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a factor whose replies would be late only sometimes is an input error naming the step", () => {
    const ambiguous = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20].find((f) => slowFactorEffect(scenario.timing, f) === undefined);
    expect(ambiguous).toBeDefined();
    expect(() => run([{ fault: "slow-hsm", hsm: hsm0, factor: ambiguous! }])).toThrow(InputError);
    expect(() => run([{ fault: "slow-hsm", hsm: hsm0, factor: ambiguous! }])).toThrow(/step 0.*slow-hsm factor/);
    expect(() => run([{ fault: "slow-hsm", hsm: hsm0 }])).toThrow(/needs "factor"/);
  });
});
