// Automatic key rotation (spec §5.5, fn 7) through both sides: off at first, on with a period (365
// days unless given, 90–2560), off again; the key states of the table; a key in a custom key store
// refusing whatever its state; authorization by the key policy. Each step's answer is held against
// the model and against the expectation written here.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster, account } = scenario.world;
const key = "${k.KeyMetadata.KeyId}";
const DAY_S = 86_400;
const fails = (name: string): JsonObject => ({ ok: false, error: { name } });
const status = (expect: JsonObject, as = "admin"): Step => ({ call: "GetKeyRotationStatus", as, input: { KeyId: key }, expect });

function run(steps: Step[]) {
  const result = executeSteps(scenario, "kmsim:rotation", steps);
  return { ...result, failing: result.failure?.message };
}

describe("key rotation (§5.5) on both sides", () => {
  it("is off at first, on with a period, and off again", () => {
    const result = run([
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      status({ ok: true, output: { KeyRotationEnabled: false } }),
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key }, expect: { ok: true, output: {} } },
      status({ ok: true, output: { KeyRotationEnabled: true, RotationPeriodInDays: 365 } }),
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key, RotationPeriodInDays: 90 }, expect: { ok: true } },
      status({
        ok: true,
        output: { KeyRotationEnabled: true, RotationPeriodInDays: 90, NextRotationDate: scenario.world.epochMs / 1000 + 90 * DAY_S },
      }),
      { call: "DisableKeyRotation", as: "admin", input: { KeyId: key }, expect: { ok: true } },
      status({ ok: true, output: { KeyRotationEnabled: false } }),
    ]);
    expect(result.failing).toBeUndefined();
  });

  it("takes a period of 90 to 2560 days only", () => {
    const result = run([
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key, RotationPeriodInDays: 89 }, expect: fails("ValidationException") },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key, RotationPeriodInDays: 2561 }, expect: fails("ValidationException") },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key, RotationPeriodInDays: 2560 }, expect: { ok: true } },
    ]);
    expect(result.failing).toBeUndefined();
  });

  it("follows the key-state table: a disabled key refuses to change it, a key pending deletion too, yet both report it", () => {
    const result = run([
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { call: "DisableKey", as: "admin", input: { KeyId: key } },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key }, expect: fails("DisabledException") },
      status({ ok: true, output: { KeyRotationEnabled: false } }),
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: key, PendingWindowInDays: 7 } },
      { call: "DisableKeyRotation", as: "admin", input: { KeyId: key }, expect: fails("KMSInvalidStateException") },
      status({ ok: true, output: { KeyRotationEnabled: false } }),
    ]);
    expect(result.failing).toBeUndefined();
  });

  it("is not for a key in a custom key store, connected or not (fn 7)", () => {
    const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
    const result = run([
      {
        call: "CreateCustomKeyStore",
        as: "admin",
        save: "cks",
        input: {
          CustomKeyStoreName: "s",
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
      },
      { call: "ConnectCustomKeyStore", as: "admin", input: store },
      { advance: scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs },
      { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", ...store } },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key }, expect: fails("UnsupportedOperationException") },
      status(fails("UnsupportedOperationException")),
      { call: "DisconnectCustomKeyStore", as: "admin", input: store },
      { advance: scenario.timing.disconnectDelayMs },
      status(fails("UnsupportedOperationException")),
    ]);
    expect(result.failing).toBeUndefined();
  });

  it("needs the key policy's permission, and is not managed across accounts", () => {
    const onlyRoot = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }],
    });
    const result = run([
      { call: "CreateKey", as: "admin", save: "k", input: { Policy: onlyRoot } },
      { call: "EnableKeyRotation", as: "app", input: { KeyId: key }, expect: fails("AccessDeniedException") },
      { call: "EnableKeyRotation", as: "partner", input: { KeyId: "${k.KeyMetadata.Arn}" }, expect: fails("AccessDeniedException") },
      { call: "EnableKeyRotation", as: "admin", input: { KeyId: key }, expect: { ok: true } },
    ]);
    expect(result.failing).toBeUndefined();
  });
});
