// Malformed members in the generator (spec §16 step 1): in a seed whose swarm malforms (one in
// MALFORMED_SWARM_ODDS), one plain call in CORRUPTION_ODDS of a KMS operation has one member of its input,
// at any depth — a top-level member, a list's item, a member of a structure in a list, a map's value —
// replaced by a value of another JSON type, a text longer than a member may be, or one strict base64
// refuses. The other malformed inputs (harness/operations/inputs.ts) are top-level and chosen by hand;
// these reach every nesting of every shape, so that both validators (model/validation.ts,
// sim/wire/request-shape.ts) are compared on lists, maps and structures inside lists too. A member that
// refers to something made earlier is replaced whole, never inside. A swarm's own choice, so the other
// seeds draw what they drew before; the roll shrinks towards the plain input.
import fc from "fast-check";
import { KMS_MODEL } from "../protocol/aws/service-model.ts";
import type { Json, JsonObject } from "../protocol/step.ts";

/** One seed's swarm in this many malforms. */
export const MALFORMED_SWARM_ODDS = 4;
/** In such a seed, one plain call of a KMS operation in this many has a member replaced. */
export const CORRUPTION_ODDS = 10;

/**
 * What a member is replaced by: each JSON type, a text past every KMS string limit but a policy's, one
 * of a single character (the shortest most members take; as base64, not a whole quantum), and texts of
 * a whole number of base64 quanta that strict base64 refuses (where a blob belongs, a
 * SerializationException; elsewhere a string): a URL-safe character, padding inside, a character past
 * ASCII, and one past the length decoded in JavaScript (sim/wire/encoding.ts reads short and long texts
 * two ways).
 */
export const REPLACEMENTS: readonly Json[] = [
  42,
  1.5,
  true,
  "text",
  {},
  [],
  "x".repeat(2049),
  "te-t",
  "t=xt",
  "t\u00ebxt",
  `${"A".repeat(99)}_${"A".repeat(100)}`,
  "x",
];

type Path = readonly (string | number)[];

/** A reference to something made earlier (`{"ref": "key", "index": 3}`), resolved when the step runs: left whole. */
const isReference = (value: Json): boolean =>
  typeof value === "object" && value !== null && !Array.isArray(value) && typeof value["ref"] === "string";

/** Every place in `value` a replacement can go, depth first: each member, item and map value (a reference whole, never inside it). */
function placesIn(value: Json, path: Path, out: Path[]): Path[] {
  if (path.length > 0) out.push(path);
  if (isReference(value)) return out;
  if (Array.isArray(value)) value.forEach((item, i) => placesIn(item, [...path, i], out));
  else if (typeof value === "object" && value !== null) for (const name of Object.keys(value)) placesIn(value[name]!, [...path, name], out);
  return out;
}

/** `value` with the member at `path` replaced by `by`; copies only along the path. */
function replaced(value: Json, path: Path, by: Json): Json {
  if (path.length === 0) return by;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaced(item, rest, by) : item));
  const object = value as JsonObject;
  return { ...object, [head!]: replaced(object[head!]!, rest, by) };
}

/** `input` with its `pick`-th place (mod their number) replaced by replacement `kind`; unchanged if it has none. */
export function corrupted(input: JsonObject, pick: number, kind: number): JsonObject {
  const places = placesIn(input, [], []);
  if (places.length === 0) return input;
  return replaced(input, places[pick % places.length]!, REPLACEMENTS[kind % REPLACEMENTS.length]!) as JsonObject;
}

const rolls = fc.tuple(fc.integer({ min: 0, max: CORRUPTION_ODDS - 1 }), fc.nat(), fc.nat());

/** The inputs of operation `name`, one in CORRUPTION_ODDS with a member replaced (a KMS operation's only). */
export function withCorruptions(name: string, input: fc.Arbitrary<JsonObject>): fc.Arbitrary<JsonObject> {
  if (KMS_MODEL.operations[name] === undefined) return input;
  return fc.tuple(input, rolls).map(([i, [roll, pick, kind]]) => (roll < CORRUPTION_ODDS - 1 ? i : corrupted(i, pick, kind)));
}
