// Fields of an answer that must agree with each other whatever the model says (spec §2, §17.2):
// KeyMetadata's Enabled iff its KeyState is Enabled, DeletionDate iff PendingDeletion; a listed
// store's ConnectionErrorCode iff it is FAILED.
import type { Json } from "../../protocol/step.ts";
import { isCall } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

function obj(v: Json | undefined): Record<string, Json> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
}

export function outcomeFields(): Invariant {
  return {
    name: "outcome-fields",
    after({ step, sut }) {
      if (!isCall(step) || !sut.ok) return undefined;
      // Both members are picked up as for-in gives them, not read by name: answers come in many shapes,
      // most have neither, and reads by name of what an object lacks miss V8's property caches.
      let metadata: Json | undefined;
      let stores: Json | undefined;
      const { output } = sut;
      for (const name in output) {
        if (name === "KeyMetadata") metadata = output[name];
        else if (name === "CustomKeyStores") stores = output[name];
      }
      const meta = obj(metadata);
      if (meta !== undefined && (meta["Enabled"] === true) !== (meta["KeyState"] === "Enabled")) {
        return `${step.call}: Enabled is ${String(meta["Enabled"])} but KeyState is ${String(meta["KeyState"])} (spec §2)`;
      }
      if (meta !== undefined && (meta["DeletionDate"] !== undefined) !== (meta["KeyState"] === "PendingDeletion")) {
        return `${step.call}: DeletionDate is ${meta["DeletionDate"] === undefined ? "absent" : "present"} but KeyState is ${String(meta["KeyState"])} (spec §2)`;
      }
      for (const s of Array.isArray(stores) ? stores.map(obj) : []) {
        if (s !== undefined && (s["ConnectionErrorCode"] !== undefined) !== (s["ConnectionState"] === "FAILED")) {
          return `DescribeCustomKeyStores: ${String(s["CustomKeyStoreId"])} is ${String(s["ConnectionState"])} with ConnectionErrorCode ${String(s["ConnectionErrorCode"])} (spec §17.2)`;
        }
      }
      return undefined;
    },
  };
}
