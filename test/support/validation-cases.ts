// AWS's request validation as both sides must answer it, one set of cases for each (the model's
// model/validation.ts and the virtual KMS's sim/wire/request-shape.ts are tested apart, by the same
// cases): AWS's recorded answers, and the KMS service model's own constraints for every modelled
// operation — a missing required member, a value past a length or range bound, an unknown enum value —
// answered in AWS's words.
import { expect, it } from "vitest";
import { KMS_MODEL } from "../../protocol/aws/service-model.ts";
import type { Json, JsonObject, Outcome } from "../../protocol/step.ts";
import { recordedCases } from "./recorded.ts";

/** One side's answer to a request its validation refuses; undefined when it lets the request through. */
export type ValidationAnswer = (operation: string, input: JsonObject) => Outcome | undefined;

const camel = (name: string) => name[0]!.toLowerCase() + name.slice(1);
/** A value of the right JSON type that meets every constraint the modelled operations put on it. */
function filler(shapeName: string): Json {
  const s = KMS_MODEL.shapes[shapeName]!;
  if (s.enum !== undefined) return s.enum[0]!;
  if (s.type === "list") return [filler(s.member!)];
  if (s.type === "structure") return Object.fromEntries((s.required ?? []).map((r) => [r, filler(s.members![r]!)]));
  return s.type === "map" ? {} : s.type === "blob" ? "AAEC" : s.type === "integer" ? 1 : "filler";
}
const fail = (name: string, message: string) => ({ ok: false, error: { name, message } });

/** Declares, inside the caller's describe, the validation cases every side must pass. */
export function requestValidationCases(answer: ValidationAnswer): void {
  for (const c of recordedCases("kms-validation.json")) {
    it(`${c.operation}: as recorded (${c.source.split(" ").at(-1)})`, () => {
      expect(answer(c.operation, c.input)).toEqual({ ok: false, error: c.error });
    });
  }

  it("names every missing required member of every modelled operation with `Value null at`", () => {
    let checked = 0;
    for (const [operation, op] of Object.entries(KMS_MODEL.operations)) {
      const shape = KMS_MODEL.shapes[op.input!]!;
      for (const member of shape.required ?? []) {
        const message = answer(operation, {});
        expect(message, operation).toMatchObject({ ok: false, error: { name: "ValidationException" } });
        const text = message!.ok ? "" : message!.error.message;
        expect(text, operation).toContain(`Value null at '${camel(member)}' failed to satisfy constraint: Member must not be null`);
        expect(text, operation).toMatch(new RegExp(`^${shape.required!.length} validation errors? detected: `));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("answers a string past its model bound, and an unknown enum value, in AWS's words", () => {
    let checked = 0;
    for (const [operation, op] of Object.entries(KMS_MODEL.operations)) {
      const shape = KMS_MODEL.shapes[op.input!]!;
      for (const [member, memberShape] of Object.entries(shape.members ?? {})) {
        const s = KMS_MODEL.shapes[memberShape]!;
        if (s.type !== "string" || s.sensitive === true) continue;
        let value: string;
        let constraint: string;
        if (s.enum !== undefined) [value, constraint] = ["NOT_A_VALUE", `Member must satisfy enum value set: [${s.enum.join(", ")}]`];
        else if (s.max !== undefined && s.pattern === undefined)
          [value, constraint] = ["y".repeat(s.max + 1), `Member must have length less than or equal to ${s.max}`];
        else continue;
        const others = Object.fromEntries((shape.required ?? []).filter((r) => r !== member).map((r) => [r, filler(shape.members![r]!)]));
        const result = answer(operation, { ...others, [member]: value });
        const text = result?.ok === false ? result.error.message : "";
        expect(text, `${operation}.${member}`).toContain(
          `Value '${value}' at '${camel(member)}' failed to satisfy constraint: ${constraint}`,
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it("never shows a blob's or a sensitive member's value", () => {
    const result = answer("CreateCustomKeyStore", { CustomKeyStoreName: "s", KeyStorePassword: "short" });
    expect(result).toEqual(
      fail(
        "ValidationException",
        "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length greater than or equal to 7",
      ),
    );
  });

  it("reports a list of enum values once, with the member's constraint inside AWS's brackets", () => {
    const result = answer("CreateGrant", { KeyId: "k", GranteePrincipal: "p", Operations: ["Encrypt", "encrypt"] });
    const set = KMS_MODEL.shapes["GrantOperation"]!.enum!.join(", ");
    expect(result).toEqual(
      fail(
        "ValidationException",
        `1 validation error detected: Value '[Encrypt, encrypt]' at 'operations' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${set}]]`,
      ),
    );
  });

  it("answers a body it cannot read with SerializationException, before any constraint", () => {
    expect(answer("Encrypt", { KeyId: 7, Plaintext: "AAEC" })).toMatchObject({ ok: false, error: { name: "SerializationException" } });
    expect(answer("Encrypt", { KeyId: "k", Plaintext: "not base64!" })).toMatchObject({
      ok: false,
      error: { name: "SerializationException" },
    });
    expect(answer("Decrypt", { CiphertextBlob: "AAEC", EncryptionContext: { a: 1 } })).toEqual(
      fail("SerializationException", "NUMBER_VALUE cannot be converted to String"),
    );
    expect(answer("Encrypt", { KeyId: ["k"], Plaintext: "AAEC" })).toEqual(
      fail("SerializationException", "Start of list found where not expected"),
    );
    // A number or text where a list, map or structure belongs: unreadable too (the message is each side's own).
    const containersAsScalars: JsonObject[] = [
      { KeyId: "k", Plaintext: "AAEC", EncryptionContext: 42 },
      { KeyId: "k", Plaintext: "AAEC", GrantTokens: 42 },
      { KeyId: "k", Plaintext: "AAEC", GrantTokens: "t" },
    ];
    for (const input of containersAsScalars)
      expect(answer("Encrypt", input)).toMatchObject({ ok: false, error: { name: "SerializationException" } });
    expect(answer("TagResource", { KeyId: "k", Tags: [42] })).toMatchObject({ ok: false, error: { name: "SerializationException" } });
    // And inside a structure in a list or in a structure: a member of the wrong type, first or after
    // members that read well, in the first item or a later one.
    const tags: Json[] = [
      [{ TagKey: "k", TagValue: 5 }],
      [{ TagKey: 5, TagValue: "v" }],
      [
        { TagKey: "k", TagValue: "v" },
        { TagKey: "k2", TagValue: ["v"] },
      ],
    ];
    for (const Tags of tags)
      expect(answer("TagResource", { KeyId: "k", Tags }), JSON.stringify(Tags)).toMatchObject({
        ok: false,
        error: { name: "SerializationException" },
      });
    const grant = { KeyId: "k", GranteePrincipal: "arn:aws:iam::111122223333:role/App", Operations: ["Encrypt"] };
    for (const Constraints of [
      { EncryptionContextSubset: { a: "b" }, EncryptionContextEquals: { a: 1 } },
      { EncryptionContextSubset: { a: 1 }, EncryptionContextEquals: { a: "b" } },
      { EncryptionContextSubset: { a: "b" }, EncryptionContextEquals: "a" },
    ])
      expect(answer("CreateGrant", { ...grant, Constraints }), JSON.stringify(Constraints)).toMatchObject({
        ok: false,
        error: { name: "SerializationException" },
      });
    // And inside a list of scalars: an item of the wrong type, among good ones or alone, even after a
    // member that breaks a constraint (the body is read whole before any constraint is checked).
    for (const GrantTokens of [[42], ["t", 42], [["t"]], [{ t: "t" }]])
      for (const KeyId of ["k", ""])
        expect(answer("Encrypt", { KeyId, Plaintext: "AAEC", GrantTokens })).toMatchObject({
          ok: false,
          error: { name: "SerializationException" },
        });
  });

  it("lets a valid request through", () => {
    expect(answer("Encrypt", { KeyId: "alias/x", Plaintext: "AAEC", EncryptionContext: { a: "b" } })).toBeUndefined();
    expect(answer("ListKeys", {})).toBeUndefined();
  });
}
