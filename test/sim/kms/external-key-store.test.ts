// CreateCustomKeyStore of type EXTERNAL_KEY_STORE (spec §14; kmsim models no external key store), on
// both sides (model/external-key-store.ts, sim/kms/external-key-store.ts): without what its proxy needs,
// ValidationException, before authorization; in full, authorization, then XksProxyUriUnreachableException;
// an explicit AWS_CLOUDHSM is the default's store; a type outside the enum is refused by the shape.
import { describe, expect, it } from "vitest";
import { executeSteps } from "../../../harness/execute.ts";
import type { CallStep, JsonObject, Step } from "../../../protocol/step.ts";
import { create, scenario } from "../../support/store-steps.ts";

const PROXY: JsonObject = {
  XksProxyUriEndpoint: "https://xks.example.com",
  XksProxyUriPath: "/kms/xks/v1",
  XksProxyAuthenticationCredential: { AccessKeyId: "ABCDEFGHIJKLMNOPQRST", RawSecretAccessKey: "a".repeat(43) },
  XksProxyConnectivity: "PUBLIC_ENDPOINT",
};
const external = (as: string, input: JsonObject, error: string): CallStep => ({
  call: "CreateCustomKeyStore",
  as,
  input: { CustomKeyStoreName: "x", CustomKeyStoreType: "EXTERNAL_KEY_STORE", ...input },
  expect: { ok: false, error: { name: error } },
});

describe("CreateCustomKeyStore of type EXTERNAL_KEY_STORE (§14) on both sides", () => {
  it("refuses one without its proxy's members as invalid, and one in full as unreachable, after authorization", () => {
    const { XksProxyConnectivity: _left, ...withoutConnectivity } = PROXY;
    const steps: Step[] = [
      external("admin", {}, "ValidationException"),
      external("app", {}, "ValidationException"), // before authorization
      external("admin", withoutConnectivity, "ValidationException"),
      external("app", PROXY, "AccessDeniedException"),
      external("admin", PROXY, "XksProxyUriUnreachableException"),
      external("admin", { ...PROXY, XksProxyUriPath: "/not/xks" }, "ValidationException"), // the shape's pattern
      { ...(create() as CallStep), input: { ...(create() as CallStep).input, CustomKeyStoreType: "AWS_CLOUDHSM" }, expect: { ok: true } },
      {
        ...(create() as CallStep),
        input: { ...(create() as CallStep).input, CustomKeyStoreType: "XKS" },
        expect: { ok: false, error: { name: "ValidationException" } },
      },
    ];
    const result = executeSteps(scenario, "kmsim:external-key-store", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
    expect(result.records.at(-1)?.sut).toMatchObject({ ok: false, error: { name: "ValidationException" } });
  });
});
