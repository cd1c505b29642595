// Mutants of the services' front doors, where `service-failure` faults arm one of a service's own
// errors (sim/service-failure.ts; spec §3.4, §13): the error must be answered before the call does
// anything.
import type { JsonObject, Outcome } from "../protocol/step.ts";
import { VirtualKms } from "../sim/kms/kms.ts";
import { patch, type Mutant } from "./mutant.ts";

export const SERVICE_FAILURE_MUTANTS: Mutant[] = [
  {
    name: "service-failure-after-the-write",
    area: "service failures",
    description: "the virtual KMS performs a call met by an armed service failure, then answers the failure",
    scenarios: ["default", "keys"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualKms.prototype,
        "start",
        (start) =>
          function (this: VirtualKms, operation: string, caller: string, input: JsonObject, onDone: (outcome: Outcome) => void) {
            const failed = this.frontDoor.take(operation); // disarmed here, so the call below goes ahead
            start.call(this, operation, caller, input, failed === undefined ? onDone : () => onDone(failed));
          },
      ),
  },
];
