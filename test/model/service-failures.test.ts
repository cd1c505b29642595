// The model's service failures (model/service-failures.ts, spec §3.4, §8.4, §13): an armed error is
// answered by the next call to its service whose operation documents it, before validation,
// authorization or any lookup, and that call changes nothing but the disarming; calls that do not
// document it pass and leave it armed; arming again replaces; `after` does not delay it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelStep } from "../../model/model.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState } from "../../model/state.ts";
import { modelWorld } from "../../harness/model-world.ts";
import type { OutcomePattern } from "../../protocol/pattern.ts";
import { ok, type CallStep, type FaultStep, type Step } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);

/** Runs `step` from `state`: its one branch's outcome and the state after it (fed the outcome as the world's answer). */
function run(state: ModelState, step: Step): { outcome: OutcomePattern; state: ModelState } {
  const branches = modelStep(world, state, step, 0);
  expect(branches).toHaveLength(1);
  const { outcome, next } = branches[0]!;
  const actual = outcome.ok
    ? ok({ KeyMetadata: { KeyId: "x" } })
    : { ok: false as const, error: { name: outcome.error.name, message: "" } };
  return { outcome, state: next(actual) };
}

const arm = (service: FaultStep["service"], error: string, extra: Partial<FaultStep> = {}): FaultStep => ({
  fault: "service-failure",
  service,
  error,
  ...extra,
});
const call = (name: string, input: CallStep["input"] = {}, as = "admin"): CallStep => ({ call: name, as, input });
const errorName = (o: OutcomePattern) => (o.ok ? "ok" : o.error.name);

describe("a service failure in the model", () => {
  it("answers the next call that documents it, before validation and authorization, and changes nothing", () => {
    const armed = run(initialState(world), arm("kms", "KMSInternalException")).state;
    expect(armed.armedFailures).toEqual({ kms: "KMSInternalException" });
    // Invalid input from a principal with no KMS permissions: the failure comes first all the same.
    const failed = run(armed, call("CreateKey", { KeyUsage: "NOT_A_USAGE" }, "alice"));
    expect(failed.outcome).toEqual({
      ok: false,
      error: {
        name: "KMSInternalException",
        message: "The request was rejected because an internal exception occurred. The request can be retried.",
      },
    });
    expect(failed.state).toEqual(initialState(world));
    // Disarmed: the same call now meets validation.
    expect(errorName(run(failed.state, call("CreateKey", { KeyUsage: "NOT_A_USAGE" })).outcome)).toBe("ValidationException");
  });

  it("lets calls that do not document it pass, and leaves it armed for one that does", () => {
    let state = run(initialState(world), arm("kms", "KeyUnavailableException")).state;
    const made = run(state, call("CreateKey", {}));
    expect(made.outcome.ok).toBe(true);
    state = made.state;
    expect(state.keys).toHaveLength(1);
    expect(state.armedFailures).toEqual({ kms: "KeyUnavailableException" });
    // Other services pass too.
    expect(errorName(run(state, call("cloudhsmv2:DescribeClusters")).outcome)).toBe("ok");
    const keyId = state.keys[0]!.id;
    const enc = run(state, call("Encrypt", { KeyId: keyId, Plaintext: "aGk=" }));
    expect(errorName(enc.outcome)).toBe("KeyUnavailableException");
    expect(enc.state.armedFailures).toBeUndefined();
    expect(enc.state.ciphertexts).toEqual(state.ciphertexts);
  });

  it("keeps one armed error per service: arming again replaces it, other services keep theirs", () => {
    let state = run(initialState(world), arm("iam", "ConcurrentModification")).state;
    state = run(state, arm("cloudhsmv2", "CloudHsmInternalFailureException")).state;
    state = run(state, arm("iam", "ServiceFailure")).state;
    expect(state.armedFailures).toEqual({ iam: "ServiceFailure", cloudhsmv2: "CloudHsmInternalFailureException" });
    const put = run(state, call("iam:DeleteUserPolicy", { UserName: "alice", PolicyName: "none" }));
    expect(errorName(put.outcome)).toBe("ServiceFailure");
    expect(put.state.armedFailures).toEqual({ cloudhsmv2: "CloudHsmInternalFailureException" });
  });

  it("is answered by no operator action (hsm:*), which has no AWS model", () => {
    const state = run(initialState(world), arm("cloudhsmv2", "CloudHsmServiceException")).state;
    const login = run(state, call("hsm:Logout", { ClusterId: scenario.world.cluster.clusterId, Username: "kmsuser" }));
    expect(errorName(login.outcome)).not.toBe("CloudHsmServiceException");
    expect(login.state.armedFailures).toEqual({ cloudhsmv2: "CloudHsmServiceException" });
  });

  it("arms at once even with `after`, which does not apply to it", () => {
    const state = run(initialState(world), arm("kms", "DependencyTimeoutException", { after: 3 })).state;
    expect(state.inFlightFault).toBeUndefined();
    expect(state.armedFailures).toEqual({ kms: "DependencyTimeoutException" });
  });
});
