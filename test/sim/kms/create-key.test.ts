// CreateKey's refusals that depend on where the key would live (spec §5.1), through both sides: a
// CloudHSM key store holds only single-Region symmetric encryption keys (MultiRegion, another KeySpec
// or KeyUsage there is UnsupportedOperationException [MODEL CHOICE: the error AWS documents for an
// unsupported parameter]); KeySpec together with its deprecated name CustomerMasterKeySpec is a
// ValidationException, checked before authorization, as is a KeySpec other than SYMMETRIC_DEFAULT with no
// KeyUsage (AWS's text recorded in LocalStack's AWS-validated snapshot, test_hmac_create_key_invalid_operations);
// an unknown KeySpec is the validation layer's.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { CONNECTED_STORE } from "../../support/store-steps.ts";

const scenario = loadScenario("default");

const STORE: Step[] = [...CONNECTED_STORE];
const inStore = { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
const refused = (name: string) => ({ ok: false, error: { name } });
/** AWS's answer, recorded (LocalStack tests/aws/services/kms/test_kms.snapshot.json, create-hmac-key-without-key-usage). */
const keyUsageRequired = {
  ok: false,
  error: {
    name: "ValidationException",
    message: "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.",
  },
};

//   what, who asks, the input, the answer
const CASES: [string, string, JsonObject, JsonObject][] = [
  ["a multi-Region key in the store", "admin", { ...inStore, MultiRegion: true }, refused("UnsupportedOperationException")],
  [
    "an RSA key in the store",
    "admin",
    { ...inStore, KeySpec: "RSA_2048", KeyUsage: "ENCRYPT_DECRYPT" },
    refused("UnsupportedOperationException"),
  ],
  ["a signing key in the store", "admin", { ...inStore, KeyUsage: "SIGN_VERIFY" }, refused("UnsupportedOperationException")],
  [
    "an HMAC key in the store (deprecated spec name)",
    "admin",
    { ...inStore, CustomerMasterKeySpec: "HMAC_256", KeyUsage: "GENERATE_VERIFY_MAC" },
    refused("UnsupportedOperationException"),
  ],
  [
    "both spec names, by a caller who may not create keys",
    "app",
    { KeySpec: "SYMMETRIC_DEFAULT", CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" },
    refused("ValidationException"),
  ],
  [
    "a symmetric key in the store by the deprecated spec name",
    "admin",
    { ...inStore, CustomerMasterKeySpec: "SYMMETRIC_DEFAULT" },
    { ok: true },
  ],
  ["a single-Region symmetric key in the store", "admin", { ...inStore, MultiRegion: false }, { ok: true }],
  ["an HMAC key naming no KeyUsage", "admin", { KeySpec: "HMAC_256" }, keyUsageRequired],
  ["an RSA key naming no KeyUsage, by the deprecated spec name", "admin", { CustomerMasterKeySpec: "RSA_2048" }, keyUsageRequired],
  ["an RSA key in the store naming no KeyUsage", "admin", { ...inStore, KeySpec: "RSA_2048" }, keyUsageRequired],
  ["an ECC key naming no KeyUsage, by a caller who may not create keys", "app", { KeySpec: "ECC_NIST_P256" }, keyUsageRequired],
  ["a symmetric key naming no KeyUsage", "admin", { KeySpec: "SYMMETRIC_DEFAULT" }, { ok: true }],
];

describe("CreateKey where the key would live (§5.1) on both sides", () => {
  for (const [what, as, input, expected] of CASES) {
    it(`${what}: ${expected["ok"] ? "created" : (expected["error"] as JsonObject)["name"]}`, () => {
      const result = executeSteps(scenario, "kmsim:create-key", [...STORE, { call: "CreateKey", as, input, expect: expected }]);
      expect(result.failure).toBeUndefined();
    });
  }

  it("an unknown KeySpec is refused by the validation layer, before the store is looked at", () => {
    const result = executeSteps(scenario, "kmsim:create-key", [
      { call: "CreateKey", as: "admin", input: { ...inStore, CustomKeyStoreId: "cks-00000000000000000", KeySpec: "AES_999" } },
    ]);
    expect(result.failure).toBeUndefined();
    const answer = result.records.at(-1)!.sut;
    expect(answer.ok ? "" : answer.error.message).toContain(
      "Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [",
    );
  });
});
