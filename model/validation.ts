// AWS's request validation, as the model predicts it (spec §16 step 1: before anything else). The
// request is read against the operation's input shape in the KMS service model (protocol/aws/kms.json):
// a member the JSON protocol cannot read as its type is a SerializationException; otherwise every
// failed constraint is listed, in the model's member order, in one ValidationException whose text the
// model states (`N validation error(s) detected: ...`), so a wrong text is a mismatch. Written apart
// from the virtual KMS's validator (sim/wire/request-shape.ts) on purpose.
import { KMS_MODEL, type ShapeData } from "../protocol/aws/service-model.ts";
import type { Json, JsonObject } from "../protocol/step.ts";
import { refuse, type Check } from "./refusal.ts";

const model = KMS_MODEL;

function shape(name: string): ShapeData {
  const s = model.shapes[name];
  if (s === undefined) throw new Error(`model: no shape ${name} in the KMS service model`);
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
  return typeof v === "number" ? undefined : {};
}

function* serialization(name: string, v: Json): Generator<{ message?: string }> {
  const s = shape(name);
  const bad = misread(s, v);
  if (bad !== undefined) return yield bad;
  const children: [string, Json][] =
    s.type === "structure" && record(v)
      ? Object.entries(s.members ?? {}).flatMap(([m, sn]) => (present(v[m]) ? [[sn, v[m]] as [string, Json]] : []))
      : s.type === "list" && Array.isArray(v)
        ? v.filter(present).map((item) => [s.member!, item])
        : s.type === "map" && record(v)
          ? Object.values(v)
              .filter(present)
              .map((item) => [s.value!, item])
          : [];
  for (const [sn, child] of children) yield* serialization(sn, child);
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

/** Constraint texts `v` fails: bounds (length or value), then pattern, then enum [MODEL CHOICE: this order]. */
function breaks(s: ShapeData, v: Json): string[] {
  const out: string[] = [];
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
  return out;
}

/** The violations under a structure, each as AWS words one. */
function violations(structure: ShapeData, v: JsonObject, prefix: string): string[] {
  return Object.entries(structure.members ?? {}).flatMap(([member, sn]) => {
    const path = prefix + member[0]!.toLowerCase() + member.slice(1);
    const value = v[member];
    if (!present(value))
      return structure.required?.includes(member) ? [`Value null at '${path}' failed to satisfy constraint: Member must not be null`] : [];
    const s = shape(sn);
    const shown = quoted(s, value);
    const line = (c: string) => `Value${shown === undefined ? "" : ` ${shown}`} at '${path}' failed to satisfy constraint: ${c}`;
    const own = breaks(s, value).map(line);
    if (s.type === "structure" && record(value)) return [...own, ...violations(s, value, `${path}.`)];
    if (s.type !== "list" || !Array.isArray(value)) return own;
    const item = shape(s.member!);
    if (item.type === "structure")
      return [...own, ...value.flatMap((x, i) => (record(x) ? violations(item, x, `${path}.${i + 1}.member.`) : []))];
    // A list of scalars is reported once, with the first constraint an item breaks [MODEL CHOICE].
    const first = value.filter(present).flatMap((x) => breaks(item, x))[0];
    return first === undefined ? own : [...own, line(`Member must satisfy constraint: [${first}]`)];
  });
}

/**
 * Member-specific texts AWS answers in this layer (recorded from real AWS: LocalStack
 * tests/aws/services/kms/test_kms.snapshot.json, test_generate_random_invalid_number_of_bytes[None]).
 */
function ownRule(operation: string, input: JsonObject): string | undefined {
  if (operation === "GenerateRandom" && !present(input["NumberOfBytes"])) return "NumberOfBytes is required.";
  return undefined;
}

/** Refuses `input` to KMS `operation` as AWS's validation layer would, or lets it through. */
export function* validRequest(operation: string, input: JsonObject): Check<void> {
  const op = model.operations[operation];
  if (op === undefined || op.input === null) return;
  for (const bad of serialization(op.input, input)) return yield* refuse("SerializationException", bad.message);
  const found = violations(shape(op.input), input, "");
  if (found.length > 0) {
    const head = `${found.length} validation error${found.length > 1 ? "s" : ""} detected`;
    return yield* refuse("ValidationException", `${head}: ${found.join("; ")}`);
  }
  const own = ownRule(operation, input);
  if (own !== undefined) return yield* refuse("ValidationException", own);
}
