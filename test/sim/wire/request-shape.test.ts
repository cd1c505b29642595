// The virtual KMS's request-validation layer alone (sim/wire/request-shape.ts), held to the cases the
// model's validation is held to (test/support/validation-cases.ts).
import { describe, expect, it } from "vitest";
import { KMS_MODEL } from "../../../protocol/aws/service-model.ts";
import { KMS_OPERATIONS } from "../../../sim/kms/operations.ts";
import { checkRequest } from "../../../sim/wire/request-shape.ts";
import { requestValidationCases } from "../../support/validation-cases.ts";

describe("the virtual KMS's request validation", () => {
  requestValidationCases(checkRequest);

  it("knows every operation the virtual KMS answers (a new one needs its shapes in protocol/aws)", () => {
    expect(Object.keys(KMS_OPERATIONS).filter((op) => KMS_MODEL.operations[op] === undefined)).toEqual([]);
  });
});
