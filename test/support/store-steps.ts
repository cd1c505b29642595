// Store steps shared by the tests that drive a custom key store through both sides: make it, connect,
// disconnect, and read its ConnectionState back with an expectation.
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import type { JsonObject, Step } from "../../protocol/step.ts";

export const scenario = loadScenario("default");
export const { cluster } = scenario.world;
export const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];
/** From Connect until its result is published. */
export const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;

export function create(password = cluster.kmsuserPassword): Step {
  return {
    call: "CreateCustomKeyStore",
    as: "admin",
    save: "cks",
    input: {
      CustomKeyStoreName: "s",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: password,
    },
  };
}
export const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
export const connect: Step = { call: "ConnectCustomKeyStore", as: "admin", input: store };
/** A store made and connected, its connection published: the start of most tests of keys in a store. */
export const CONNECTED_STORE: Step[] = [create(), connect, { advance: wait }];
export const disconnect: Step = { call: "DisconnectCustomKeyStore", as: "admin", input: store };
export function expectStore(state: string, code?: string): Step {
  const entry: JsonObject = { ConnectionState: state, ...(code !== undefined ? { ConnectionErrorCode: code } : {}) };
  return {
    call: "DescribeCustomKeyStores",
    as: "admin",
    input: store,
    expect: { ok: true, output: { CustomKeyStores: [entry as never], Truncated: false } },
  };
}

export function run(steps: Step[], seed = "kmsim:connect-test") {
  return executeSteps(scenario, seed, steps);
}
