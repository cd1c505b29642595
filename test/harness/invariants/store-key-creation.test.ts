// CreateKey in a store is possible only with ACTIVE HSMs in two AZs when the call begins; a success
// without them is reported, a refusal is not, and a CreateKey outside a store is not judged.
import { describe, expect, it } from "vitest";
import { storeKeyCreation } from "../../../harness/invariants/store-key-creation.ts";
import { Observer } from "../../../harness/observer.ts";
import { fail, ok, type CallStep } from "../../../protocol/step.ts";
import { connectedKey, scenario } from "../../support/connected-key.ts";

const facts = (step: CallStep, sut = ok()) => ({ step, atUs: 0, sut, decisions: [], faultInFlight: false });

describe("store-key-creation", () => {
  const { world, storeId } = connectedKey();
  const observer = new Observer(world);
  const step: CallStep = { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: storeId } };

  it("is quiet while the cluster has ACTIVE HSMs in two AZs", () => {
    const check = storeKeyCreation();
    check.before!(step, observer, false);
    expect(check.after(facts(step), observer)).toBeUndefined();
  });

  it("reports a success that began without them, and not a refusal", () => {
    world.fault({ fault: "hsm-crash", hsm: scenario.world.cluster.hsms[1]!.hsmId });
    const check = storeKeyCreation();
    check.before!(step, observer, false);
    expect(check.after(facts(step), observer)).toMatch(/two ACTIVE HSMs/);
    expect(check.after(facts(step, fail("CloudHsmClusterInvalidConfigurationException", "")), observer)).toBeUndefined();
  });

  it("does not judge a CreateKey outside a store, or one a fault landed in", () => {
    const check = storeKeyCreation();
    const outside: CallStep = { call: "CreateKey", as: "admin", input: {} };
    check.before!(outside, observer, false);
    expect(check.after(facts(outside), observer)).toBeUndefined();
    check.before!(step, observer, true);
    expect(check.after(facts(step), observer)).toBeUndefined();
  });
});
