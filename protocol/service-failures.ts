// The server-side failures a `service-failure` fault can arm, by service: the errors AWS documents as
// the service's own trouble (HTTP 500-class, retryable; spec §3.4, §8.4, §13), not the caller's. The
// model and the virtual services each decide with their own code which operations document which.
// Data only.

export type FailingService = "kms" | "iam" | "cloudhsmv2";

/** Errors a `service-failure` fault may arm, per service, by the names its answers carry. */
export const SERVICE_FAILURES: Readonly<Record<FailingService, readonly string[]>> = {
  kms: ["KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException"],
  cloudhsmv2: ["CloudHsmInternalFailureException", "CloudHsmServiceException"],
  iam: ["ServiceFailure", "ConcurrentModification"],
};

export const FAILING_SERVICES = Object.keys(SERVICE_FAILURES) as FailingService[];
