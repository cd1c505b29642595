// The services' front doors armed by `service-failure` faults (sim/service-failure.ts, sim/faults.ts),
// on a world driven directly: the armed error answers the next call to its service that documents it,
// before validation, authorization or any work (no virtual time, no key, no quota spent), and disarms;
// calls that do not document it pass; the operator's hsm:* actions never meet it; `after` does not delay it.
import { describe, expect, it } from "vitest";
import type { CallStep, FaultStep, Outcome } from "../../protocol/step.ts";
import { World } from "../../sim/world.ts";
import { connectedKey, scenario } from "../support/connected-key.ts";

const { principals, cluster } = scenario.world;
const arm = (service: FaultStep["service"], error: string, after?: number): FaultStep => ({
  fault: "service-failure",
  service,
  error,
  ...(after === undefined ? {} : { after }),
});
function call(world: World, name: string, input: CallStep["input"] = {}, as = "admin"): { outcome: Outcome; durationUs: number } {
  return world.call({ call: name, as, input }, principals[as]!.arn);
}
const answered = (o: Outcome) => (o.ok ? "ok" : o.error.name);

describe("a service failure at a front door", () => {
  it("answers the next call that documents it, before validation and authorization, doing nothing else", () => {
    const world = new World(scenario, "kmsim:service-failure");
    world.fault(arm("kms", "KMSInternalException"));
    expect(world.kms.frontDoor.armed).toBe("KMSInternalException");
    const failed = call(world, "CreateKey", { KeyUsage: "NOT_A_USAGE" }, "alice");
    expect(failed.outcome).toEqual({
      ok: false,
      error: {
        name: "KMSInternalException",
        message: "The request was rejected because an internal exception occurred. The request can be retried.",
      },
    });
    expect(failed.durationUs).toBe(0);
    expect(world.kms.keys.size).toBe(0);
    expect(world.kms.frontDoor.armed).toBeUndefined();
    expect(answered(call(world, "CreateKey", { KeyUsage: "NOT_A_USAGE" }).outcome)).toBe("ValidationException");
  });

  it("lets a crypto call that documents it fail without reaching the cluster, and others pass", () => {
    const { world, keyId } = connectedKey();
    world.fault(arm("kms", "KeyUnavailableException"));
    expect(answered(call(world, "DescribeKey", { KeyId: keyId }).outcome)).toBe("ok"); // DescribeKey does not document it
    expect(answered(call(world, "cloudhsmv2:DescribeClusters").outcome)).toBe("ok"); // another service
    const failed = call(world, "Encrypt", { KeyId: keyId, Plaintext: "aGk=" });
    expect(answered(failed.outcome)).toBe("KeyUnavailableException");
    expect(failed.durationUs).toBe(0); // no HSM request: no virtual time
    expect(answered(call(world, "Encrypt", { KeyId: keyId, Plaintext: "aGk=" }).outcome)).toBe("ok");
  });

  it("keeps one armed error per service (arming again replaces it) and arms at once even with `after`", () => {
    const world = new World(scenario, "kmsim:service-failure");
    world.fault(arm("iam", "ConcurrentModification", 5));
    expect(world.faultInFlight).toBe(false);
    world.fault(arm("iam", "ServiceFailure"));
    world.fault(arm("cloudhsmv2", "CloudHsmInternalFailureException"));
    expect(answered(call(world, "iam:DeleteUserPolicy", { UserName: "alice", PolicyName: "none" }).outcome)).toBe("ServiceFailure");
    expect(world.iamService.frontDoor.armed).toBeUndefined();
    expect(world.cloudhsm.frontDoor.armed).toBe("CloudHsmInternalFailureException");
  });

  it("is met by the cloudhsmv2 API, never by the operator's actions inside the cluster", () => {
    const world = new World(scenario, "kmsim:service-failure");
    world.fault(arm("cloudhsmv2", "CloudHsmServiceException"));
    const logout = call(world, "hsm:Logout", { ClusterId: cluster.clusterId, Username: "kmsuser" });
    expect(answered(logout.outcome)).not.toBe("CloudHsmServiceException");
    expect(answered(call(world, "cloudhsmv2:DescribeClusters").outcome)).toBe("CloudHsmServiceException");
    expect(answered(call(world, "cloudhsmv2:DescribeClusters").outcome)).toBe("ok");
  });
});
