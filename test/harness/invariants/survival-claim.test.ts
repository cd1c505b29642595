// A KMSInvalidStateException while the survival claim of sim/faults.ts holds is reported; past the
// claim it is the expected degraded outcome, and other errors are not the claim's business.
import { describe, expect, it } from "vitest";
import { survivalClaim } from "../../../harness/invariants/survival-claim.ts";
import { Observer } from "../../../harness/observer.ts";
import { fail, type CallStep } from "../../../protocol/step.ts";
import { connectedKey, scenario } from "../../support/connected-key.ts";

const invalidState = fail("KMSInvalidStateException", "");
const facts = (step: CallStep, sut = invalidState) => ({ step, atUs: 0, sut, decisions: [], faultInFlight: false });

describe("survival-claim", () => {
  it("reports KMSInvalidStateException while a reachable ACTIVE HSM holds the key", () => {
    const { world, keyId } = connectedKey();
    const observer = new Observer(world);
    const step: CallStep = { call: "Encrypt", as: "admin", input: { KeyId: keyId, Plaintext: "AAEC" } };
    const check = survivalClaim();
    check.before!(step, observer, false);
    expect(check.after(facts(step), observer)).toMatch(/survival claim/);
    expect(check.after(facts(step, fail("AccessDeniedException", "")), observer)).toBeUndefined();
  });

  it("is quiet past the claim: no HSM reachable", () => {
    const { world, keyId } = connectedKey();
    const observer = new Observer(world);
    for (const h of scenario.world.cluster.hsms) world.fault({ fault: "partition", hsm: h.hsmId });
    const step: CallStep = { call: "Encrypt", as: "admin", input: { KeyId: keyId, Plaintext: "AAEC" } };
    const check = survivalClaim();
    check.before!(step, observer, false);
    expect(check.after(facts(step), observer)).toBeUndefined();
  });
});
