// AWS's request validation, as the model predicts it (spec §16 step 1: before anything else). The
// request is read against the operation's input shape in its service model (protocol/aws/kms.json, and
// cloudhsmv2.json for the CloudHSM control plane, whose API validates alike):
// a member the JSON protocol cannot read as its type is a SerializationException; otherwise every
// failed constraint is listed, in the model's member order, in one ValidationException whose text the
// model states (`N validation error(s) detected: ...`), so a wrong text is a mismatch. Written apart
// from the virtual KMS's validator (sim/wire/request-shape.ts) on purpose.
import { KMS_MODEL, type ServiceModelData, type ShapeData } from "../protocol/aws/service-model.ts";
import type { Json, JsonObject } from "../protocol/step.ts";
import { errorPattern } from "../protocol/pattern.ts";
import { Refusal, refuseWith, type Check } from "./refusal.ts";

function shape(model: ServiceModelData, name: string): ShapeData {
  const s = model.shapes[name];
  if (s === undefined) throw new Error(`model: no shape ${name} in ${model.source.file}`);
  return s;
}

const present = (v: Json | undefined): v is Json => v !== undefined && v !== null;
const record = (v: Json): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** Strict base64's decoded length, or -1 when the text is not base64. */
function base64Bytes(text: string): number {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return -1;
  return (text.length / 4) * 3 - (text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0);
}

/**
 * A value the JSON protocol cannot read as `s`: `{message}` where the model knows Coral's text (an
 * object or list out of place, a number for a string [MODEL CHOICE: the texts Coral answers other JSON
 * services with]), `{}` where it does not (the name is compared, not the message); undefined if readable.
 */
function misread(s: ShapeData, v: Json): { message?: string } | undefined {
  if (Array.isArray(v)) return s.type === "list" ? undefined : { message: "Start of list found where not expected" };
  if (record(v))
    return s.type === "structure" || s.type === "map" ? undefined : { message: "Start of structure or map found where not expected" };
  if (s.type === "string")
    return typeof v === "string" ? undefined : typeof v === "number" ? { message: "NUMBER_VALUE cannot be converted to String" } : {};
  if (s.type === "blob") return typeof v === "string" && base64Bytes(v) >= 0 ? undefined : {};
  if (s.type === "integer" || s.type === "long") return Number.isInteger(v) ? undefined : {};
  if (s.type === "boolean") return typeof v === "boolean" ? undefined : {};
  if (s.type === "list" || s.type === "map" || s.type === "structure") return {}; // a scalar where a container belongs
  return typeof v === "number" ? undefined : {};
}

/** A structure member as validation walks it: its name, its path segment in AWS's text, its shape. */
interface Member {
  name: string;
  /** The member name as AWS's messages write it in a path: first letter lower case. */
  segment: string;
  shape: ShapeData;
  required: boolean;
}

const membersByShape = new Map<ShapeData, Member[]>();
/** A structure's members in the model's order, worked out once per shape. */
function membersOf(model: ServiceModelData, structure: ShapeData): Member[] {
  let members = membersByShape.get(structure);
  if (members === undefined) {
    members = Object.entries(structure.members ?? {}).map(([name, sn]) => ({
      name,
      segment: name[0]!.toLowerCase() + name.slice(1),
      shape: shape(model, sn),
      required: structure.required?.includes(name) ?? false,
    }));
    membersByShape.set(structure, members);
  }
  return members;
}

/** The first value under `v` (depth first, members in the model's order) the JSON protocol cannot read as its shape. */
function serialization(model: ServiceModelData, s: ShapeData, v: Json): { message?: string } | undefined {
  const bad = misread(s, v);
  if (bad !== undefined) return bad;
  if (s.type === "structure" && record(v)) {
    for (const m of membersOf(model, s)) {
      const child = v[m.name];
      const found = present(child) ? serialization(model, m.shape, child) : undefined;
      if (found !== undefined) return found;
    }
  } else if ((s.type === "list" && Array.isArray(v)) || (s.type === "map" && record(v))) {
    const item = shape(model, s.type === "list" ? s.member! : s.value!);
    for (const child of Object.values(v)) {
      const found = present(child) ? serialization(model, item, child) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** What AWS writes for a value: quoted, lists as `[a, b]`; nothing for blobs and sensitive members. */
function quoted(s: ShapeData, v: Json): string | undefined {
  if (s.type === "blob" || s.sensitive) return undefined;
  const text = (x: Json) => (typeof x === "string" ? x : JSON.stringify(x));
  return `'${Array.isArray(v) ? `[${v.map(text).join(", ")}]` : text(v)}'`;
}

const patterns = new Map<string, RegExp>();
/** A model pattern matched against a whole value [MODEL CHOICE: AWS's validator applies it so]. */
function whole(pattern: string): RegExp {
  const known = patterns.get(pattern);
  if (known !== undefined) return known;
  const made = new RegExp(`^(?:${pattern})$`, "u");
  patterns.set(pattern, made);
  return made;
}

/** Appends the constraint texts `v` fails: bounds (length or value), then pattern, then enum [MODEL CHOICE: this order]. */
function breaks(s: ShapeData, v: Json, out: string[]): void {
  const bound = (what: "length" | "value", n: number) => {
    if (s.min !== undefined && n < s.min) out.push(`Member must have ${what} greater than or equal to ${s.min}`);
    if (s.max !== undefined && n > s.max) out.push(`Member must have ${what} less than or equal to ${s.max}`);
  };
  if (typeof v === "number") bound("value", v);
  else if (typeof v === "string") bound("length", s.type === "blob" ? base64Bytes(v) : v.length);
  else if (Array.isArray(v)) bound("length", v.length);
  else if (record(v)) bound("length", Object.keys(v).length);
  if (typeof v === "string" && s.type === "string") {
    if (s.pattern !== undefined && !whole(s.pattern).test(v)) out.push(`Member must satisfy regular expression pattern: ${s.pattern}`);
    if (s.enum !== undefined && !s.enum.includes(v)) out.push(`Member must satisfy enum value set: [${s.enum.join(", ")}]`);
  }
}

/** One violation as AWS words it: the value (where shown), its path, the constraint it fails. */
function line(s: ShapeData, value: Json, path: string, constraint: string): string {
  const shown = quoted(s, value);
  return `Value${shown === undefined ? "" : ` ${shown}`} at '${path}' failed to satisfy constraint: ${constraint}`;
}

/** Appends the violations under a structure to `out`, each as AWS words one. */
function violations(model: ServiceModelData, structure: ShapeData, v: JsonObject, prefix: string, out: string[]): void {
  for (const { name, segment, shape: s, required } of membersOf(model, structure)) {
    const value = v[name];
    if (!present(value)) {
      if (required) out.push(`Value null at '${prefix + segment}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    const path = prefix + segment; // made only for a member present (most are absent)
    const own = out.length;
    breaks(s, value, out);
    for (let i = own; i < out.length; i++) out[i] = line(s, value, path, out[i]!);
    if (s.type === "structure" && record(value)) violations(model, s, value, `${path}.`, out);
    if (s.type !== "list" || !Array.isArray(value)) continue;
    const item = shape(model, s.member!);
    if (item.type === "structure") {
      value.forEach((x, i) => record(x) && violations(model, item, x, `${path}.${i + 1}.member.`, out));
      continue;
    }
    // A list of scalars is reported once, with the first constraint an item breaks [MODEL CHOICE].
    const broken: string[] = [];
    for (const x of value) if (broken.length === 0 && present(x)) breaks(item, x, broken);
    if (broken.length > 0) out.push(line(s, value, path, `Member must satisfy constraint: [${broken[0]}]`));
  }
}

/**
 * Member-specific texts AWS answers in this layer (recorded from real AWS: LocalStack
 * tests/aws/services/kms/test_kms.snapshot.json, test_generate_random_invalid_number_of_bytes[None]).
 */
function ownRule(operation: string, input: JsonObject): string | undefined {
  if (operation === "GenerateRandom" && !present(input["NumberOfBytes"])) return "NumberOfBytes is required.";
  return undefined;
}

/** What AWS's validation layer answers `input` to `operation` of `model` (KMS's unless named), or undefined when it lets it through. */
export function requestRefusal(operation: string, input: JsonObject, model: ServiceModelData = KMS_MODEL): Refusal | undefined {
  const op = model.operations[operation];
  if (op === undefined || op.input === null) return undefined;
  const structure = shape(model, op.input);
  const bad = serialization(model, structure, input);
  if (bad !== undefined) return new Refusal(errorPattern("SerializationException", bad.message));
  const found: string[] = [];
  violations(model, structure, input, "", found);
  if (found.length > 0) {
    const head = `${found.length} validation error${found.length > 1 ? "s" : ""} detected`;
    return new Refusal(errorPattern("ValidationException", `${head}: ${found.join("; ")}`));
  }
  const own = ownRule(operation, input);
  return own === undefined ? undefined : new Refusal(errorPattern("ValidationException", own));
}

/** Refuses `input` to KMS `operation` as AWS's validation layer would, or lets it through. */
export function* validRequest(operation: string, input: JsonObject): Check<void> {
  const refusal = requestRefusal(operation, input);
  if (refusal !== undefined) yield* refuseWith(refusal);
}
