// The virtual KMS's request-validation layer, run before anything else (spec §16 step 1): the request
// is read against its operation's input shape in the KMS service model (protocol/aws/kms.json). A
// member the JSON protocol cannot read as its shape's type (or a blob that is not base64) is a
// SerializationException; then every constraint — required members, lengths, value ranges, patterns,
// enums — is checked and all that fail are reported in one ValidationException, in AWS's words:
// `N validation error(s) detected: Value 'x' at 'memberName' failed to satisfy constraint: ...; ...`.
import { KMS_MODEL, type ServiceModelData } from "../../protocol/aws/service-model.ts";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { base64ByteLength, isStrictBase64 } from "./encoding.ts";
import { walkShapeOf, type Member, type WalkShape } from "./shape-members.ts";
import { Rejection } from "./validate.ts";

/** One failed constraint: where, the value as AWS shows it (null: missing; undefined: not shown), what. */
interface Violation {
  at: string;
  shown: string | null | undefined;
  constraint: string;
}

const isObject = (v: Json): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Why the JSON protocol cannot read `value` as `shape`, or undefined when it can (Coral's texts). */
function unreadable(shape: WalkShape, value: Json): string | undefined {
  // The usual answer first: a value of its shape's own kind (a string, a base64 blob, a structure, …).
  switch (shape.type) {
    case "string":
      if (typeof value === "string") return undefined;
      break;
    case "blob":
      if (typeof value === "string") return isStrictBase64(value) ? undefined : "Base64 encoded value is not valid";
      break;
    case "structure":
    case "map":
      if (isObject(value)) return undefined;
      break;
    case "list":
      if (Array.isArray(value)) return undefined;
      break;
  }
  return unreadableWhy(shape, value);
}

/** unreadable's answer, worked out in full (Coral's texts). */
function unreadableWhy(shape: WalkShape, value: Json): string | undefined {
  const wanted = shape.type;
  if (Array.isArray(value)) return wanted === "list" ? undefined : "Start of list found where not expected";
  if (isObject(value)) return wanted === "structure" || wanted === "map" ? undefined : "Start of structure or map found where not expected";
  const token = typeof value === "number" ? "NUMBER_VALUE" : typeof value === "boolean" ? "BOOLEAN_VALUE" : "STRING_VALUE";
  switch (wanted) {
    case "string":
      return typeof value === "string" ? undefined : `${token} cannot be converted to String`;
    case "blob":
      if (typeof value !== "string") return `${token} cannot be converted to a Base64 blob`;
      return isStrictBase64(value) ? undefined : "Base64 encoded value is not valid";
    case "integer":
    case "long":
      return typeof value === "number" && Number.isInteger(value) ? undefined : `${token} cannot be converted to an Integer`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `${token} cannot be converted to a Boolean`;
    case "timestamp":
    case "double":
    case "float":
      return typeof value === "number" ? undefined : `${token} cannot be converted to a Number`;
    default:
      return `Start of ${wanted} expected`;
  }
}

/** The first member, anywhere in `value`, the protocol cannot read (depth first, in the model's member order). */
function firstUnreadable(shape: WalkShape, value: Json): string | undefined {
  const why = unreadable(shape, value);
  if (why !== undefined) return why;
  if (shape.type === "structure" && isObject(value)) {
    for (const { name, shape: memberShape } of shape.members.list) {
      const v = value[name];
      if (v === undefined || v === null) continue;
      const inner = firstUnreadable(memberShape, v);
      if (inner !== undefined) return inner;
    }
  }
  if (shape.type === "list" && Array.isArray(value) && shape.member !== undefined) return firstUnreadableItem(shape.member, value);
  if (shape.type === "map" && isObject(value) && shape.value !== undefined) return firstUnreadableItem(shape.value, Object.values(value));
  return undefined;
}

/** The first of `items` (a list's members or a map's values, each of `shape`; nulls skipped) the protocol cannot read. */
function firstUnreadableItem(shape: WalkShape, items: readonly Json[]): string | undefined {
  for (const item of items) {
    const inner = item === null ? undefined : firstUnreadable(shape, item);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** How AWS shows a value in a message; blobs and sensitive values are not shown. */
function show(shape: WalkShape, value: Json): string | undefined {
  if (shape.type === "blob" || shape.sensitive === true) return undefined;
  if (Array.isArray(value)) return `'[${value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(", ")}]'`;
  return `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
}

const compiled = new Map<string, RegExp>();

/** A model pattern, applied to the whole value. */
function wholeMatch(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) compiled.set(pattern, (re = new RegExp(`^(?:${pattern})$`, "u")));
  return re;
}

const NO_FAILURES: readonly string[] = [];

/** The constraints `value` (already readable as `shape`) fails, by AWS's text, in a fixed order. */
function failed(shape: WalkShape, value: Json): readonly string[] {
  let out: string[] | undefined; // made only when a constraint fails: most members fail none
  if (typeof value === "number") {
    if (shape.min !== undefined && value < shape.min) (out ??= []).push(`Member must have value greater than or equal to ${shape.min}`);
    if (shape.max !== undefined && value > shape.max) (out ??= []).push(`Member must have value less than or equal to ${shape.max}`);
  } else if (shape.min !== undefined || shape.max !== undefined) {
    const size =
      typeof value === "string"
        ? shape.type === "blob"
          ? base64ByteLength(value) // readable, so strict base64
          : value.length
        : Array.isArray(value)
          ? value.length
          : isObject(value)
            ? Object.keys(value).length
            : undefined;
    if (size !== undefined) {
      if (shape.min !== undefined && size < shape.min) (out ??= []).push(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && size > shape.max) (out ??= []).push(`Member must have length less than or equal to ${shape.max}`);
    }
  }
  if (typeof value === "string" && shape.type === "string") {
    // [MODEL CHOICE] a pattern must match the whole value, as the service's validator applies it.
    if (shape.pattern !== undefined && !wholeMatch(shape.pattern).test(value))
      (out ??= []).push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    if (shape.enum !== undefined && !shape.enum.includes(value))
      (out ??= []).push(`Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
  }
  return out ?? NO_FAILURES;
}

/**
 * Reads a structure's members in the model's order, depth first: the first member the protocol cannot
 * read anywhere (firstUnreadable's answer, in the same order), or undefined when every one can be read,
 * and then `into` holds every violated constraint, in order. One walk does both, each member's value
 * looked up once: a request that cannot be read is answered as such, its violations dropped.
 */
function walkStructure(shape: WalkShape, value: JsonObject, path: string, into: Violation[]): string | undefined {
  const members = shape.members;
  const list = members.list;
  if (!members.byEnumeration) {
    for (const member of list) {
      const why = walkMember(member, value, path, into);
      if (why !== undefined) return why;
    }
    return undefined;
  }
  // Only the members the value holds and the required ones can have anything to report: a bit each.
  let bits = members.requiredBits;
  for (const name in value) {
    const place = members.placeByName.get(name);
    if (place !== undefined) bits |= 1 << place;
  }
  for (let place = 0; bits !== 0; place++, bits >>>= 1) {
    if ((bits & 1) === 0) continue;
    const why = walkMember(list[place]!, value, path, into);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** One member of a structure, as walkStructure reads each (a missing one is reported if it is required). */
function walkMember(member: Member, value: JsonObject, path: string, into: Violation[]): string | undefined {
  const at = path === "" ? member.camelName : `${path}.${member.camelName}`;
  const v = value[member.name];
  if (v === undefined || v === null) {
    if (member.required) into.push({ at, shown: null, constraint: "Member must not be null" });
    return undefined;
  }
  return walkValue(member.shape, v, at, into);
}

function walkValue(shape: WalkShape, value: Json, at: string, into: Violation[]): string | undefined {
  const why = unreadable(shape, value);
  if (why !== undefined) return why;
  for (const constraint of failed(shape, value)) into.push({ at, shown: show(shape, value), constraint });
  if (shape.type === "structure" && isObject(value)) return walkStructure(shape, value, at, into);
  if (shape.type === "list" && Array.isArray(value) && shape.member !== undefined) {
    const member = shape.member;
    if (member.type === "structure") {
      for (let i = 0; i < value.length; i++) {
        const item = value[i]!;
        if (item === null) continue;
        const inner = unreadable(member, item) ?? walkStructure(member, item as JsonObject, `${at}.${i + 1}.member`, into);
        if (inner !== undefined) return inner;
      }
      return undefined;
    }
    const unread = firstUnreadableItem(member, value);
    if (unread !== undefined) return unread;
    // A list of scalars: the first constraint an item fails, reported once for the list [MODEL CHOICE].
    const inner = value.flatMap((item) => (item === null ? [] : failed(member, item)))[0];
    if (inner !== undefined) into.push({ at, shown: show(shape, value), constraint: `Member must satisfy constraint: [${inner}]` });
    return undefined;
  }
  if (shape.type === "map" && isObject(value) && shape.value !== undefined) return firstUnreadableItem(shape.value, Object.values(value));
  return undefined;
}

/** AWS's ValidationException text for `violations` (at least one). */
export function validationMessage(violations: readonly Violation[]): string {
  const parts = violations.map((v) => {
    const value = v.shown === null ? "Value null" : v.shown === undefined ? "Value" : `Value ${v.shown}`;
    return `${value} at '${v.at}' failed to satisfy constraint: ${v.constraint}`;
  });
  const count = `${parts.length} validation error${parts.length === 1 ? "" : "s"} detected`;
  return `${count}: ${parts.join("; ")}`;
}

/**
 * Member-specific checks AWS makes in the same layer, with its own texts (recorded answers, LocalStack
 * tests/aws/services/kms/test_kms.snapshot.json): GenerateRandom's NumberOfBytes is optional in the
 * model but required by the service.
 */
const MEMBER_RULES: Record<string, (input: JsonObject) => string | undefined> = {
  GenerateRandom: (input) =>
    input["NumberOfBytes"] === undefined || input["NumberOfBytes"] === null ? "NumberOfBytes is required." : undefined,
};

/** What checkRequest reads of one operation: its input shape (null: it takes none) and its own rule, if any. */
interface OperationCheck {
  input: WalkShape | null;
  rule: ((input: JsonObject) => string | undefined) | undefined;
}

const operationChecks = new WeakMap<ServiceModelData, Map<string, OperationCheck>>();

/** `operation`'s check in `model`, looked up once per model and operation (a request names one of a few dozen). */
function operationCheck(model: ServiceModelData, operation: string): OperationCheck {
  let byOperation = operationChecks.get(model);
  if (byOperation === undefined) operationChecks.set(model, (byOperation = new Map()));
  let check = byOperation.get(operation);
  if (check === undefined) {
    const op = model.operations[operation];
    if (op === undefined) throw new Error(`request-shape: ${operation} is not in ${model.source.file}`);
    const rule = Object.hasOwn(MEMBER_RULES, operation) ? MEMBER_RULES[operation] : undefined;
    check = { input: op.input === null ? null : walkShapeOf(model, op.input), rule };
    byOperation.set(operation, check);
  }
  return check;
}

/** Checks `input` for KMS operation `operation` against the service model: a Rejection as AWS would answer, or undefined. */
export function checkRequest(operation: string, input: JsonObject, model: ServiceModelData = KMS_MODEL): Rejection | undefined {
  const { input: inputShape, rule } = operationCheck(model, operation);
  if (inputShape === null) return undefined;
  const violations: Violation[] = [];
  const unread = unreadable(inputShape, input) ?? walkStructure(inputShape, input, "", violations);
  if (unread !== undefined) return new Rejection("SerializationException", unread);
  if (violations.length > 0) return new Rejection("ValidationException", validationMessage(violations));
  const own = rule?.(input);
  if (own !== undefined) return new Rejection("ValidationException", own);
  return undefined;
}
