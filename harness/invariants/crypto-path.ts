// The crypto path (spec §17.10, §17): a crypto call never succeeds with a deleted key, and on a
// CloudHSM key only while its store is CONNECTED and some ACTIVE HSM of the store's cluster that holds
// the key material is reachable both ways. Judged after the call, so not when a fault landed during it.
import { isCall } from "../../protocol/step.ts";
import { operation } from "../operations/index.ts";
import type { Invariant } from "./invariant.ts";

export function cryptoPath(): Invariant {
  return {
    name: "crypto-path",
    after({ step, sut, faultInFlight }, observer) {
      if (!isCall(step) || faultInFlight || !sut.ok || operation(step.call).kind !== "crypto") return undefined;
      const arn = sut.output["KeyId"];
      if (typeof arn !== "string") return undefined;
      if (observer.deletedKeyArns().has(arn)) return `${step.call} succeeded with ${arn}, a deleted key (spec §17)`;
      const path = observer.cryptoPath(arn);
      if (path === undefined) return undefined;
      if (path.storeState !== "CONNECTED") return `${step.call} on ${arn} succeeded while its store is ${path.storeState ?? "gone"}`;
      return path.served ? undefined : `${step.call} on ${arn} succeeded with no reachable ACTIVE HSM holding its material (spec §17.10)`;
    },
  };
}
