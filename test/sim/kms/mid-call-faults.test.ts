// Faults landing in the middle of a call (a fault step with `after`), through both sides: the model
// allows every landing point, and the world's answer must be one of them.
import { describe, expect, it } from "vitest";
import type { Step } from "../../../protocol/step.ts";
import { connect, create, expectStore, hsm0, hsm1, run, scenario, wait } from "../../support/store-steps.ts";

describe("a fault landing in the middle of a call (after: ms)", () => {
  it("faults landing while the login exchange is on the wire: both HSMs crash 1 ms into it, NETWORK_ERRORS", () => {
    const steps: Step[] = [
      create(),
      connect,
      { advance: scenario.timing.connectDelayMs + 1 },
      { fault: "hsm-crash", hsm: hsm0 },
      { fault: "hsm-crash", hsm: hsm1 },
      { advance: scenario.timing.connectExchangeMs },
      expectStore("FAILED", "NETWORK_ERRORS"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("an HSM crashing between CreateKey's checks and its HSM work: the key is made on the other HSM", () => {
    const steps: Step[] = [
      create(),
      connect,
      { advance: wait },
      { fault: "hsm-crash", hsm: hsm0, after: 0 },
      {
        call: "CreateKey",
        as: "admin",
        save: "k",
        input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" },
        expect: { ok: true },
      },
      { call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect: { ok: true } },
      { fault: "hsm-restore", hsm: hsm0 },
      { advance: 100 },
      { fault: "partition", hsm: hsm1 },
      { call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect: { ok: true } },
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    expect(result.probes["fault-during-call:hsm-crash"]).toBe(1);
  });
});
