// A service's front door, armed by a `service-failure` fault (sim/faults.ts) with one of the service's
// own errors (spec §3.4, §8.4, §13: retryable, HTTP 500). The next call whose operation lists that
// error in the service's AWS model is answered with it before the service does anything at all —
// validation, authorization, quotas, state — and the door disarms. Calls to operations that do not
// list it pass as usual and leave it armed. Arming again before it fires replaces the armed error.
import { errorCodes, type ServiceModelData } from "../protocol/aws/service-model.ts";
import type { Outcome } from "../protocol/step.ts";
import { Rejection } from "./wire/validate.ts";

/** The text each armable error is answered with (as each service's API reference words the exception). */
const MESSAGES: Readonly<Record<string, string>> = {
  KMSInternalException: "The request was rejected because an internal exception occurred. The request can be retried.",
  DependencyTimeoutException: "The system timed out while trying to fulfill the request. You can retry the request.",
  KeyUnavailableException: "The request was rejected because the specified KMS key was not available. You can retry the request.",
  CloudHsmInternalFailureException: "The request was rejected because of an AWS CloudHSM internal failure. The request can be retried.",
  CloudHsmServiceException: "The request was rejected because an error occurred.",
  ServiceFailure: "The request processing has failed because of an unknown error, exception or failure.",
  ConcurrentModification:
    "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.",
};

export class FrontDoor {
  /** The error armed for the next call that documents it, if any. */
  armed: string | undefined;

  constructor(
    /** The service's AWS model: which errors each operation documents. */
    private readonly model: ServiceModelData,
  ) {}

  arm(error: string): void {
    if (MESSAGES[error] === undefined) throw new Error(`front door: ${error} is not a service failure`);
    this.armed = error;
  }

  /** The armed failure, if `operation` (AWS's name, no service prefix) documents it: answered, and disarmed. */
  take(operation: string): Outcome | undefined {
    const error = this.armed;
    if (error === undefined) return undefined;
    if (!errorCodes(this.model, operation).includes(error)) return undefined;
    this.armed = undefined;
    return new Rejection(error, MESSAGES[error]!);
  }
}
