// Where the generator aims a `service-failure` fault: every (operation, error) pair such that the
// operation, among the calls a seed makes, documents the error in its AWS service model — so each
// pair is as likely as any other, however rarely its operation is called otherwise. The harness reads
// the service models itself (the model and the virtual services each do too, with their own code).
import { CLOUDHSMV2_MODEL, IAM_MODEL, KMS_MODEL, type ServiceModelData } from "../protocol/aws/service-model.ts";
import { FAILING_SERVICES, SERVICE_FAILURES, type FailingService } from "../protocol/service-failures.ts";

const MODELS: Readonly<Record<FailingService, ServiceModelData>> = { kms: KMS_MODEL, iam: IAM_MODEL, cloudhsmv2: CLOUDHSMV2_MODEL };

/** A service failure aimed at one operation: the call it is armed for. */
export interface AimedFailure {
  call: string;
  service: FailingService;
  error: string;
}

/** The service a call goes to, for the services that can fail this way (none for the operator's hsm:* actions). */
function serviceOf(call: string): FailingService | undefined {
  const colon = call.indexOf(":");
  if (colon < 0) return "kms";
  const prefix = call.slice(0, colon);
  return (FAILING_SERVICES as readonly string[]).includes(prefix) ? (prefix as FailingService) : undefined;
}

/** Each service failure one of `calls` documents, paired with it, in the calls' order. */
export function aimedFailures(calls: readonly string[]): AimedFailure[] {
  return calls.flatMap((call) => {
    const service = serviceOf(call);
    if (service === undefined) return [];
    const model = MODELS[service];
    const documented = (model.operations[call.slice(call.indexOf(":") + 1)]?.errors ?? []).map((s) => model.shapes[s]?.error ?? s);
    return SERVICE_FAILURES[service].filter((error) => documented.includes(error)).map((error) => ({ call, service, error }));
  });
}
