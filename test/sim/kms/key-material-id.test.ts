// Output fields current AWS returns (spec §2, §8.2), through both sides: an AWS_KMS key's KeyMetadata
// carries CurrentKeyMaterialId (64 lowercase hex digits: the KMS service model's BackingKeyIdType), and
// Decrypt, GenerateDataKey(WithoutPlaintext) and ReEncrypt name that material (KeyMaterialId,
// Source/DestinationKeyMaterialId); a CloudHSM key has none (the service model: "present for symmetric
// encryption keys with AWS_KMS or EXTERNAL origin"). The model learns the id from CreateKey's answer
// and predicts it exactly afterwards.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { KMS_MODEL } from "../../../protocol/aws/service-model.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { CONNECTED_STORE } from "../../support/store-steps.ts";

const scenario = loadScenario("default");
const pattern = KMS_MODEL.shapes["BackingKeyIdType"]!;

const STEPS: Step[] = [
  ...CONNECTED_STORE,
  { call: "CreateKey", as: "admin", save: "kms", input: {} },
  { call: "CreateKey", as: "admin", save: "hsm", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
  { advance: scenario.timing.replicationDelayMs + 1 },
  { call: "GenerateDataKey", as: "admin", save: "dk", input: { KeyId: "${kms.KeyMetadata.Arn}", KeySpec: "AES_256" } },
  { call: "Decrypt", as: "admin", input: { CiphertextBlob: "${dk.CiphertextBlob}" } },
  { call: "GenerateDataKeyWithoutPlaintext", as: "admin", input: { KeyId: "${kms.KeyMetadata.Arn}", NumberOfBytes: 16 } },
  {
    call: "ReEncrypt",
    as: "admin",
    save: "re",
    input: { CiphertextBlob: "${dk.CiphertextBlob}", DestinationKeyId: "${hsm.KeyMetadata.Arn}" },
  },
  { call: "ReEncrypt", as: "admin", input: { CiphertextBlob: "${re.CiphertextBlob}", DestinationKeyId: "${kms.KeyMetadata.Arn}" } },
  { call: "Decrypt", as: "admin", input: { CiphertextBlob: "${re.CiphertextBlob}" } },
  { call: "DescribeKey", as: "admin", input: { KeyId: "${kms.KeyMetadata.Arn}" } },
];

describe("key material ids (§2, §8.2) on both sides", () => {
  const result = executeSteps(scenario, "kmsim:material", STEPS);
  const out = (i: number): JsonObject => {
    const o = result.records[i]!.sut;
    if (!o.ok) throw new Error(`step ${i}: ${o.error.name}`);
    return o.output;
  };
  const meta = (i: number) => out(i)["KeyMetadata"] as JsonObject;

  it("runs with both sides agreeing", () => {
    expect(result.failure).toBeUndefined();
  });

  it("gives an AWS_KMS key a CurrentKeyMaterialId of the service model's form, and a CloudHSM key none", () => {
    const id = meta(3)["CurrentKeyMaterialId"];
    expect(typeof id === "string" && id.length === pattern.min && new RegExp(pattern.pattern!).test(id)).toBe(true);
    expect(meta(4)).not.toHaveProperty("CurrentKeyMaterialId");
    expect(meta(12)["CurrentKeyMaterialId"]).toBe(id);
  });

  it("names the material in the crypto outputs whose key has one", () => {
    const id = meta(3)["CurrentKeyMaterialId"];
    expect(out(6)["KeyMaterialId"]).toBe(id);
    expect(out(7)["KeyMaterialId"]).toBe(id);
    expect(out(8)["KeyMaterialId"]).toBe(id);
    expect(out(9)).toMatchObject({ SourceKeyMaterialId: id });
    expect(out(9)).not.toHaveProperty("DestinationKeyMaterialId");
    expect(out(10)).toMatchObject({ DestinationKeyMaterialId: id });
    expect(out(10)).not.toHaveProperty("SourceKeyMaterialId");
    expect(out(11)).not.toHaveProperty("KeyMaterialId");
  });
});
