// The server-side failures a `service-failure` fault can arm, by service: the errors AWS documents as
// the service's own trouble (HTTP 500-class, retryable; spec §3.4, §8.4, §13), not the caller's. The
// model and the virtual services each keep their own armed errors and decide when one is answered; which
// operations document which error both read from AWS's models (protocol/aws/service-model.ts errorCodes).
// Data only.
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
