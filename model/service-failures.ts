// A `service-failure` fault as the model sees it (spec §3.4 "every op may also return
// KMSInternalException", §8.4, §13: retryable HTTP 500 errors): it arms one of a service's own errors
// for the next call to that service whose operation documents the error (the operation's error list in
// its AWS service model). [MODEL CHOICE] the armed error is answered before anything else — validation,
// throttling, authorization, lookups — and the call does nothing: no quota spent, no state changed, only
// the failure disarmed. One error per service is armed at most; arming again before it fires replaces
// it. The fault takes no `after`: it arms at once (a call it lands in would answer as if armed before).
import { awsOperationOf, errorCodes, SERVICE_MODELS } from "../protocol/aws/service-model.ts";
import { SERVICE_FAILURE_MESSAGES } from "../protocol/service-failures.ts";
import { fail, type CallStep, type FaultStep, type Outcome } from "../protocol/step.ts";
import type { ModelState } from "./state.ts";
import { changed } from "./state-change.ts";

/** `state` with `step`'s error armed for its service (replacing one armed there before). */
export function armFailure(state: ModelState, step: FaultStep): ModelState {
  const { service, error } = step;
  if (service === undefined || error === undefined) throw new Error("model: a service-failure fault needs service and error");
  return changed(state, (next) => void (next.armedFailures = { ...state.armedFailures, [service]: error }));
}

/** The armed failure `step` meets, answered and disarmed; undefined when the call goes ahead as usual. */
export function armedFailure(state: ModelState, step: CallStep): { outcome: Outcome; next: ModelState } | undefined {
  // The operator's hsm:* actions reach no service that can fail this way.
  const called = awsOperationOf(step.call);
  const error = called === undefined ? undefined : state.armedFailures?.[called.service];
  if (called === undefined || error === undefined) return undefined;
  const { service, operation } = called;
  if (!errorCodes(SERVICE_MODELS[service], operation).includes(error)) return undefined;
  const message = SERVICE_FAILURE_MESSAGES[error];
  if (message === undefined) throw new Error(`model: no message for the service failure ${error}`);
  const next = changed(state, (s) => {
    const rest = { ...state.armedFailures };
    delete rest[service];
    if (Object.keys(rest).length === 0) s.armedFailures = undefined;
    else s.armedFailures = rest;
  });
  return { outcome: fail(error, message), next };
}
