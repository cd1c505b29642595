// IAM's request shapes (protocol/aws/iam.json) held against both sides' hand-written checks. The KMS side
// reads its service model (sim/wire/request-shape.ts); the virtual IAM and the model's IAM each check
// lengths and patterns by hand, where a rule both get wrong alike is no mismatch (UserName's 128
// characters and three patterns were, until 30 November 2026). For every member of every IAM operation
// kmsim has — strings, lists, and a Tag's Key and Value inside its list — values at and past the shape's
// bounds and with characters its pattern refuses are sent through both sides: the virtual IAM must answer
// ValidationError exactly when the shapes say a value is invalid, and the model must agree with it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { IAM_MODEL } from "../../../protocol/aws/service-model.ts";
import type { Json, JsonObject, Step } from "../../../protocol/step.ts";
import { checkRequest } from "../../../sim/wire/request-shape.ts";

const scenario = loadScenario("default");
const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
const allowKms = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] });

/** A well-formed input for each IAM operation kmsim has (the role App exists; the user bob does not). */
const BASE: Record<string, JsonObject> = {
  PutRolePolicy: { RoleName: "App", PolicyName: "KmsUse", PolicyDocument: allowKms },
  PutUserPolicy: { UserName: "bob", PolicyName: "KmsUse", PolicyDocument: allowKms },
  DeleteRolePolicy: { RoleName: "App", PolicyName: "Extra" },
  DeleteUserPolicy: { UserName: "bob", PolicyName: "KmsUse" },
  TagRole: { RoleName: "App", Tags: [{ Key: "team", Value: "blue" }] },
  TagUser: { UserName: "bob", Tags: [{ Key: "team", Value: "blue" }] },
  UntagRole: { RoleName: "App", TagKeys: ["env"] },
  UntagUser: { UserName: "bob", TagKeys: ["env"] },
  DeleteServiceLinkedRole: { RoleName: SLR },
  GetServiceLinkedRoleDeletionStatus: { DeletionTaskId: "task/unknown" },
};

/** Texts around a string shape's bounds, and with characters outside the patterns IAM uses. */
function texts(shapeName: string): string[] {
  const shape = IAM_MODEL.shapes[shapeName]!;
  const lengths = [0, 1, shape.min, shape.max, shape.max === undefined ? undefined : shape.max + 1].filter(
    (n): n is number => n !== undefined && n >= 0,
  );
  return [...new Set(lengths)].map((n) => "a".repeat(n)).concat(["a!", "a#", "a b", "a€", "a\u0001", "a\u00fc"]);
}

/** The input's member `name` (of shape `shapeName`) replaced by each value worth trying. */
function memberVariants(base: JsonObject, name: string, shapeName: string): JsonObject[] {
  const shape = IAM_MODEL.shapes[shapeName]!;
  const withValue = (value: Json): JsonObject => ({ ...base, [name]: value });
  if (shape.type === "string") return texts(shapeName).map(withValue);
  if (shape.type !== "list") return [];
  const item = (base[name] as Json[])[0]!;
  const out: JsonObject[] = [withValue([])];
  if (shape.max !== undefined)
    out.push(
      withValue(Array.from({ length: shape.max + 1 }, (_, i) => (typeof item === "string" ? `k${i}` : { Key: `k${i}`, Value: "" }))),
    );
  const itemShape = IAM_MODEL.shapes[shape.member!]!;
  if (itemShape.type === "string") for (const t of texts(shape.member!)) out.push(withValue([t]));
  if (itemShape.type === "structure")
    for (const [field, fieldShape] of Object.entries(itemShape.members!))
      for (const t of texts(fieldShape)) out.push(withValue([{ ...(item as JsonObject), [field]: t }]));
  return out;
}

function cases(): { operation: string; input: JsonObject }[] {
  const out: { operation: string; input: JsonObject }[] = [];
  for (const [operation, base] of Object.entries(BASE)) {
    const inputShape = IAM_MODEL.shapes[IAM_MODEL.operations[operation]!.input!]!;
    for (const [name, shapeName] of Object.entries(inputShape.members!)) {
      if (base[name] === undefined) continue;
      for (const input of memberVariants(base, name, shapeName)) out.push({ operation, input });
    }
  }
  return out;
}

/**
 * Where both sides refuse what the shapes allow, by a choice of kmsim's: TagRole and TagUser with no tags.
 * tagListType sets no minimum and AWS documents no answer for an empty list; kmsim answers ValidationError
 * [MODEL CHOICE] (model/iam.ts tagsParam, sim/iam/service.ts tag).
 */
const REFUSED_BY_CHOICE = (operation: string, input: JsonObject): boolean =>
  (operation === "TagRole" || operation === "TagUser") && Array.isArray(input["Tags"]) && input["Tags"].length === 0;

describe("IAM's request shapes on both sides", () => {
  it("answers ValidationError exactly where the shapes refuse a value, and the model agrees at every call", () => {
    const all = cases();
    expect(Object.keys(BASE).sort()).toEqual(Object.keys(IAM_MODEL.operations).sort()); // every IAM operation kmsim has
    expect(all.length).toBeGreaterThan(150);
    const steps: Step[] = all.map(({ operation, input }) => ({ call: `iam:${operation}`, as: "admin", input }));
    const result = executeSteps(scenario, "kmsim:iam-shapes", steps);
    expect(result.failure).toBeUndefined();
    const wrong = result.records.flatMap((r, i) => {
      const { operation, input } = all[i]!;
      const refused = checkRequest(operation, input, IAM_MODEL) !== undefined || REFUSED_BY_CHOICE(operation, input);
      const answered = !r.sut.ok && r.sut.error.name === "ValidationError";
      return refused === answered
        ? []
        : [
            `${operation} ${JSON.stringify(input).slice(0, 140)}: shapes ${refused ? "refuse" : "accept"}, IAM answered ${r.sut.ok ? "ok" : r.sut.error.name}`,
          ];
    });
    expect(wrong).toEqual([]);
    expect(result.records).toHaveLength(steps.length);
  });
});
