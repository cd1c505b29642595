// The survival claim of sim/faults.ts, checked apart from the model: an Encrypt that fails with
// KMSInvalidStateException while the claim held just before it breaks the claim. Faults landing
// mid-call are outside the claim.
import { isCall } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

export function survivalClaim(): Invariant {
  let held = false;
  return {
    name: "survival-claim",
    before(step, observer, faultInFlight) {
      const encrypt = isCall(step) && step.call === "Encrypt" && !faultInFlight;
      const keyId = encrypt ? step.input?.["KeyId"] : undefined; // read only where it is asked about
      held = encrypt && typeof keyId === "string" && observer.survivalClaimHolds(keyId);
    },
    after({ step, sut }) {
      if (!held || !isCall(step) || sut.ok || sut.error.name !== "KMSInvalidStateException") return undefined;
      return `${step.call} failed with KMSInvalidStateException although a reachable ACTIVE HSM held the key (the survival claim of sim/faults.ts)`;
    },
  };
}
