// Custom key stores, from the world's inside after every step: a fault never changes a store's
// ConnectionState by itself (spec §17.1); ConnectionErrorCode is present iff FAILED (§17.2); a
// CONNECTED store's KMS holds kmsuser's session in its cluster (§17.6).
import { isFault } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

export function stores(): Invariant {
  let before = "";
  return {
    name: "stores",
    before(step, observer) {
      before = isFault(step) ? observer.storeStates() : "";
    },
    after({ step }, observer) {
      if (isFault(step) && observer.storeStates() !== before) return `fault ${step.fault} changed a store's state by itself (spec §17.1)`;
      for (const store of observer.stores()) {
        if ((store.errorCode !== undefined) !== (store.state === "FAILED")) {
          return `store ${store.id}: ConnectionErrorCode present iff FAILED is broken (spec §17.2)`;
        }
        if (store.state === "CONNECTED" && store.kmsLoggedIn === false) {
          return `store ${store.id} is CONNECTED but the KMS is not logged in to its cluster as kmsuser (spec §17.6)`;
        }
      }
      return undefined;
    },
  };
}
