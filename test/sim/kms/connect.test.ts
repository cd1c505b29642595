// The connection process, through both sides: each script drives a store to one outcome and says
// what it expects, so the model, the virtual KMS and the script's author must all agree.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../sim/runner/execute.ts";
import { isCall, type JsonObject, type Step } from "../../../sim/step.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];
const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;

function create(password = cluster.kmsuserPassword): Step {
  return { call: "CreateCustomKeyStore", as: "admin", save: "cks", input: { CustomKeyStoreName: "s", CloudHsmClusterId: cluster.clusterId, TrustAnchorCertificate: cluster.trustAnchor, KeyStorePassword: password } };
}
const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
const connect: Step = { call: "ConnectCustomKeyStore", as: "admin", input: store };
const disconnect: Step = { call: "DisconnectCustomKeyStore", as: "admin", input: store };
function expectStore(state: string, code?: string): Step {
  const entry: JsonObject = { ConnectionState: state, ...(code !== undefined ? { ConnectionErrorCode: code } : {}) };
  return { call: "DescribeCustomKeyStores", as: "admin", input: store, expect: { ok: true, output: { CustomKeyStores: [entry as never], Truncated: false } } };
}

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:connect-test", steps);
}

describe("ConnectCustomKeyStore on both sides", () => {
  it("CONNECTING, then CONNECTED once the exchange is published; keys usable", () => {
    const r = run([create(), connect, { advance: wait - 1 }, { call: "DescribeCustomKeyStores", as: "admin", input: store }, { advance: 1 }, { call: "DescribeCustomKeyStores", as: "admin", input: store }]);
    expect(r.failure).toBeUndefined();
    const states = r.records.filter((x) => isCall(x.step) && x.step.call === "DescribeCustomKeyStores").map((x) => JSON.stringify(x.sut));
    expect(states[0]).toContain('"ConnectionState":"CONNECTING"');
    expect(states[1]).toContain('"ConnectionState":"CONNECTED"');
  });

  it("INVALID_CREDENTIALS when the stored password is not kmsuser's", () => {
    expect(run([create("wrongPassword9"), connect, { advance: wait }, expectStore("FAILED", "INVALID_CREDENTIALS")]).failure).toBeUndefined();
  });

  it("USER_LOCKED_OUT after five failed logins", () => {
    const attempt: Step[] = [connect, { advance: wait }, disconnect, { advance: scenario.timing.disconnectDelayMs }];
    const steps = [create("wrongPassword9"), ...Array.from({ length: 5 }, () => attempt).flat(), connect, { advance: wait }, expectStore("FAILED", "USER_LOCKED_OUT")];
    expect(run(steps).failure).toBeUndefined();
  });

  it("NETWORK_ERRORS when every HSM is partitioned away from the KMS", () => {
    const steps: Step[] = [create(), { fault: "partition", hsm: hsm0 }, { fault: "partition", hsm: hsm1 }, connect, { advance: wait }, expectStore("FAILED", "NETWORK_ERRORS")];
    expect(run(steps).failure).toBeUndefined();
  });

  it("INSUFFICIENT_CLOUDHSM_HSMS when the HSMs die while connecting", () => {
    const steps: Step[] = [create(), connect, { fault: "hsm-crash", hsm: hsm0 }, { fault: "hsm-crash", hsm: hsm1 }, { advance: wait }, expectStore("FAILED", "INSUFFICIENT_CLOUDHSM_HSMS")];
    expect(run(steps).failure).toBeUndefined();
  });

  it("CloudHsmClusterInvalidConfigurationException, synchronously, with no active HSM (§15.3)", () => {
    const steps: Step[] = [create(), { fault: "hsm-crash", hsm: hsm0 }, { fault: "hsm-crash", hsm: hsm1 },
      { ...connect, expect: { ok: false, error: { name: "CloudHsmClusterInvalidConfigurationException" } } }, expectStore("DISCONNECTED")];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a FAILED store refuses Connect until disconnected, and then reconnects", () => {
    const steps: Step[] = [create(), { fault: "partition", hsm: hsm0 }, { fault: "partition", hsm: hsm1 }, connect, { advance: wait },
      { ...connect, expect: { ok: false, error: { name: "CustomKeyStoreInvalidStateException" } } },
      { fault: "heal" }, disconnect, { advance: scenario.timing.disconnectDelayMs }, expectStore("DISCONNECTED"), connect, { advance: wait }, expectStore("CONNECTED")];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a store stays CONNECTED when all its HSMs die (§3.2); crypto then fails", () => {
    const steps: Step[] = [create(), connect, { advance: wait },
      { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
      { fault: "hsm-crash", hsm: hsm0 }, { fault: "hsm-crash", hsm: hsm1 }, expectStore("CONNECTED"),
      { call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect: { ok: false, error: { name: "KMSInvalidStateException" } } },
      { fault: "hsm-restore", hsm: hsm1 },
      { call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect: { ok: true } }];
    expect(run(steps).failure).toBeUndefined();
  });

  it("reconnecting works with the password the KMS rotated to", () => {
    const steps: Step[] = [create(), connect, { advance: wait }, disconnect, { advance: scenario.timing.disconnectDelayMs }, connect, { advance: wait }, expectStore("CONNECTED")];
    expect(run(steps).failure).toBeUndefined();
  });
});
