// The allowed-state matrix of spec §3.2, row by row, through both sides: each operation in each
// ConnectionState must succeed or fail with CustomKeyStoreInvalidStateException as the table says.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;
const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
const create = (password: string): Step => ({
  call: "CreateCustomKeyStore",
  as: "admin",
  save: "cks",
  input: {
    CustomKeyStoreName: "s",
    CloudHsmClusterId: cluster.clusterId,
    TrustAnchorCertificate: cluster.trustAnchor,
    KeyStorePassword: password,
  },
});
const connect: Step = { call: "ConnectCustomKeyStore", as: "admin", input: store };
const disconnect: Step = { call: "DisconnectCustomKeyStore", as: "admin", input: store };

/** Steps that leave the store in each ConnectionState. */
const INTO: Record<string, Step[]> = {
  DISCONNECTED: [create(cluster.kmsuserPassword)],
  CONNECTING: [create(cluster.kmsuserPassword), connect],
  CONNECTED: [create(cluster.kmsuserPassword), connect, { advance: wait }],
  FAILED: [create("wrongPassword9"), connect, { advance: wait }],
  DISCONNECTING: [create(cluster.kmsuserPassword), connect, { advance: wait }, disconnect],
};

const OPERATIONS: Record<string, Step> = {
  ConnectCustomKeyStore: connect,
  DisconnectCustomKeyStore: disconnect,
  "UpdateCustomKeyStore (name only)": { call: "UpdateCustomKeyStore", as: "admin", input: { ...store, NewCustomKeyStoreName: "renamed" } },
  "UpdateCustomKeyStore (password)": { call: "UpdateCustomKeyStore", as: "admin", input: { ...store, KeyStorePassword: "operatorPass77" } },
  DeleteCustomKeyStore: { call: "DeleteCustomKeyStore", as: "admin", input: store },
  "CreateKey in the store": { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", ...store } },
};

// ✓ allowed, ✗ CustomKeyStoreInvalidStateException (spec §3.2).
const MATRIX: Record<string, string> = {
  //                                   DISCONNECTED CONNECTING CONNECTED FAILED DISCONNECTING
  ConnectCustomKeyStore: "✓✓✓✗✗",
  DisconnectCustomKeyStore: "✗✓✓✓✗",
  "UpdateCustomKeyStore (name only)": "✓✗✓✗✗",
  "UpdateCustomKeyStore (password)": "✓✗✗✗✗",
  DeleteCustomKeyStore: "✓✗✗✗✗",
  "CreateKey in the store": "✗✗✓✗✗",
};
const STATES = ["DISCONNECTED", "CONNECTING", "CONNECTED", "FAILED", "DISCONNECTING"];

describe("§3.2 allowed-state matrix on both sides", () => {
  for (const [operation, row] of Object.entries(MATRIX)) {
    [...row].forEach((mark, i) => {
      const state = STATES[i]!;
      it(`${operation} in ${state}: ${mark === "✓" ? "allowed" : "CustomKeyStoreInvalidStateException"}`, () => {
        const expectation = mark === "✓" ? { ok: true } : { ok: false, error: { name: "CustomKeyStoreInvalidStateException" } };
        const steps: Step[] = [
          ...INTO[state]!,
          {
            call: "DescribeCustomKeyStores",
            as: "admin",
            input: store,
            expect: { ok: true, output: { CustomKeyStores: [{ ConnectionState: state }] } },
          },
          { ...OPERATIONS[operation]!, expect: expectation } as Step,
        ];
        const result = executeSteps(scenario, "kmsim:matrix", steps);
        expect(result.failure).toBeUndefined();
        expect(result.records).toHaveLength(steps.length);
      });
    });
  }
});
