// Where the generator aims a `service-failure` fault: every (operation, error) pair such that the
// operation, among the calls a seed makes, documents the error in its AWS service model — so each
// pair is as likely as any other, however rarely its operation is called otherwise. The harness reads
// AWS's service models through protocol/aws/service-model.ts, as the model and the virtual services do.
import { awsOperationOf, errorCodes, SERVICE_MODELS } from "../protocol/aws/service-model.ts";
import { SERVICE_FAILURES, type FailingService } from "../protocol/service-failures.ts";

/** A service failure aimed at one operation: the call it is armed for. */
export interface AimedFailure {
  call: string;
  service: FailingService;
  error: string;
}

/** Each service failure one of `calls` documents, paired with it, in the calls' order (none for the operator's hsm:* actions). */
export function aimedFailures(calls: readonly string[]): AimedFailure[] {
  return calls.flatMap((call) => {
    const called = awsOperationOf(call);
    if (called === undefined) return [];
    const documented = errorCodes(SERVICE_MODELS[called.service], called.operation);
    return SERVICE_FAILURES[called.service]
      .filter((error) => documented.includes(error))
      .map((error) => ({ call, service: called.service, error }));
  });
}
