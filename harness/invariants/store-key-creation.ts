// Spec §3.5, §17.9: CreateKey in a custom key store succeeds only if the store's cluster had ACTIVE
// HSMs in two Availability Zones when the call began (not judged when a fault lands mid-call).
import { isCall } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

export function storeKeyCreation(): Invariant {
  let possible: boolean | undefined;
  return {
    name: "store-key-creation",
    before(step, observer, faultInFlight) {
      const storeId = isCall(step) && step.call === "CreateKey" && !faultInFlight ? step.input?.["CustomKeyStoreId"] : undefined;
      possible = typeof storeId === "string" ? observer.storeHasTwoActiveAzs(storeId) : undefined;
    },
    after({ step, sut }) {
      if (possible !== false || !isCall(step) || !sut.ok) return undefined;
      return `${step.call} in custom key store ${String(step.input?.["CustomKeyStoreId"])} succeeded without two ACTIVE HSMs in two Availability Zones (spec §3.5)`;
    },
  };
}
