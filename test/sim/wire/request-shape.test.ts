// The virtual KMS's request-validation layer alone (sim/wire/request-shape.ts), held to the cases the
// model's validation is held to (test/support/validation-cases.ts).
import { describe, expect, it } from "vitest";
import { KMS_MODEL, type ServiceModelData } from "../../../protocol/aws/service-model.ts";
import type { JsonObject } from "../../../protocol/step.ts";
import { KMS_OPERATIONS } from "../../../sim/kms/operations.ts";
import { checkRequest } from "../../../sim/wire/request-shape.ts";
import { requestValidationCases } from "../../support/validation-cases.ts";

describe("the virtual KMS's request validation", () => {
  requestValidationCases(checkRequest);

  it("knows every operation the virtual KMS answers (a new one needs its shapes in protocol/aws)", () => {
    expect(Object.keys(KMS_OPERATIONS).filter((op) => KMS_MODEL.operations[op] === undefined)).toEqual([]);
  });
});

describe("the walk over a structure's members", () => {
  /** A model whose input has `count` optional string members M0… (each at most 3 long) and a required R at `requiredAt`. */
  function modelWith(count: number, requiredAt: number): ServiceModelData {
    const members: Record<string, string> = {};
    for (let i = 0; i < count; i++) members[i === requiredAt ? "R" : `M${i}`] = i === requiredAt ? "Text" : "Short";
    return {
      source: { package: "test", version: "0", file: "test.json", sha256: "", protocol: "json", apiVersion: "0", note: "" },
      operations: { Op: { input: "OpRequest" } as ServiceModelData["operations"][string] },
      shapes: {
        OpRequest: { type: "structure", members, required: ["R"] },
        Short: { type: "string", max: 3 },
        Text: { type: "string" },
        Number: { type: "integer" },
      },
    };
  }

  it("reports in the model's order whichever way it finds the members (few: by the request's names; many: one by one)", () => {
    for (const count of [5, 29, 31, 40]) {
      const model = modelWith(count, 2);
      const input: JsonObject = { Extra: 1, [`M${count - 1}`]: "toolong", M0: "long!", M1: null };
      const message = checkRequest("Op", input, model)?.error.message;
      expect(message).toBe(
        "3 validation errors detected: Value 'long!' at 'm0' failed to satisfy constraint: Member must have length less than or equal to 3; " +
          "Value null at 'r' failed to satisfy constraint: Member must not be null; " +
          `Value 'toolong' at 'm${count - 1}' failed to satisfy constraint: Member must have length less than or equal to 3`,
      );
      expect(checkRequest("Op", { R: "x", M0: "ok" }, model)).toBeUndefined();
      expect(checkRequest("Op", { R: 5, M0: "long!" }, model)?.error.name).toBe("SerializationException");
    }
  });
});
