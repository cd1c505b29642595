// The server-side failures a `service-failure` fault can arm, by service: the errors AWS documents as
// the service's own trouble (HTTP 500-class, retryable; spec §3.4, §8.4, §13), not the caller's. The
// model and the virtual services each keep their own armed errors and decide when one is answered; which
// operations document which error both read from AWS's models (protocol/aws/service-model.ts errorCodes),
// and the text an answered one carries from here. Data only.
import type { AwsService } from "./aws/service-model.ts";

/** Every service kmsim's steps call can fail this way. */
export type FailingService = AwsService;

/** Errors a `service-failure` fault may arm, per service, by the names its answers carry. */
export const SERVICE_FAILURES: Readonly<Record<FailingService, readonly string[]>> = {
  kms: ["KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException"],
  cloudhsmv2: ["CloudHsmInternalFailureException", "CloudHsmServiceException"],
  iam: ["ServiceFailure", "ConcurrentModification"],
};

export const FAILING_SERVICES = Object.keys(SERVICE_FAILURES) as FailingService[];

/** The text each armable error is answered with [MODEL CHOICE: each service's API reference's description of the exception]. */
export const SERVICE_FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  KMSInternalException: "The request was rejected because an internal exception occurred. The request can be retried.",
  DependencyTimeoutException: "The system timed out while trying to fulfill the request. You can retry the request.",
  KeyUnavailableException: "The request was rejected because the specified KMS key was not available. You can retry the request.",
  CloudHsmInternalFailureException: "The request was rejected because of an AWS CloudHSM internal failure. The request can be retried.",
  CloudHsmServiceException: "The request was rejected because an error occurred.",
  ServiceFailure: "The request processing has failed because of an unknown error, exception or failure.",
  ConcurrentModification:
    "The request was rejected because multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.",
};
