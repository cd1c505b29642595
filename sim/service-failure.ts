// A service's front door, armed by a `service-failure` fault (sim/faults.ts) with one of the service's
// own errors (spec §3.4, §8.4, §13: retryable, HTTP 500). The next call whose operation lists that
// error in the service's AWS model is answered with it before the service does anything at all —
// validation, authorization, quotas, state — and the door disarms. Calls to operations that do not
// list it pass as usual and leave it armed. Arming again before it fires replaces the armed error.
import { errorCodes, type ServiceModelData } from "../protocol/aws/service-model.ts";
import { SERVICE_FAILURE_MESSAGES } from "../protocol/service-failures.ts";
import type { Outcome } from "../protocol/step.ts";
import { Rejection } from "./wire/validate.ts";

export class FrontDoor {
  /** The error armed for the next call that documents it, if any. */
  armed: string | undefined;

  constructor(
    /** The service's AWS model: which errors each operation documents. */
    private readonly model: ServiceModelData,
  ) {}

  arm(error: string): void {
    if (SERVICE_FAILURE_MESSAGES[error] === undefined) throw new Error(`front door: ${error} is not a service failure`);
    this.armed = error;
  }

  /** The armed failure, if `operation` (AWS's name, no service prefix) documents it: answered, and disarmed. */
  take(operation: string): Outcome | undefined {
    const error = this.armed;
    if (error === undefined) return undefined;
    if (!errorCodes(this.model, operation).includes(error)) return undefined;
    this.armed = undefined;
    return new Rejection(error, SERVICE_FAILURE_MESSAGES[error]!);
  }
}
