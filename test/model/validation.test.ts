// The model's request validation alone (model/validation.ts), held to the cases the virtual KMS's
// validation is held to (test/support/validation-cases.ts).
import { describe, expect, it } from "vitest";
import { KMS_MODEL } from "../../protocol/aws/service-model.ts";
import type { JsonObject, Outcome } from "../../protocol/step.ts";
import { MODEL_OPERATIONS } from "../../model/operations.ts";
import { settleCheck } from "../../model/refusal.ts";
import { validRequest } from "../../model/validation.ts";
import { requestValidationCases } from "../support/validation-cases.ts";

/** The outcome the model predicts for a request its validation refuses; undefined when it lets it through. */
function answer(operation: string, input: JsonObject): Outcome | undefined {
  const r = settleCheck(validRequest(operation, input));
  if (r.done) return undefined;
  const outcome = r.refusal.outcome;
  if (outcome.ok) throw new Error("model: validation refused with a success");
  return { ok: false, error: { name: outcome.error.name, message: outcome.error.message ?? "(any message)" } };
}

describe("the model's request validation", () => {
  requestValidationCases(answer);

  it("knows every KMS operation the model has a rule for (a new one needs its shapes in protocol/aws)", () => {
    const kms = Object.keys(MODEL_OPERATIONS).filter((op) => !op.includes(":"));
    expect(kms.filter((op) => KMS_MODEL.operations[op] === undefined)).toEqual([]);
  });
});
