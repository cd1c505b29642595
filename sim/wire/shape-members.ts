// A service model's shapes as request validation (request-shape.ts) walks them, worked out once per
// shape: a structure's members in the model's order with their shapes looked up, their lowerCamelCase
// path segments, which are required, and a bit per member, so that a walk can find the few members a
// request holds by enumerating it rather than looking up every member the shape has (most absent).
import type { ServiceModelData, ShapeData } from "../../protocol/aws/service-model.ts";

/** AWS writes a member's path in lowerCamelCase. */
const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function shapeOf(model: ServiceModelData, name: string): ShapeData {
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`request-shape: no shape ${name} in ${model.source.file}`);
  return shape;
}

/** A structure member as the checks walk it: its name, its path segment, its shape, required or not. */
export interface Member {
  name: string;
  camelName: string;
  shape: ShapeData;
  required: boolean;
}

/** A structure's members as the walk reads them (worked out once per shape). */
export interface Members {
  /** In the model's order, their shapes looked up. */
  list: Member[];
  /** Each member's place in `list`, by name. */
  placeByName: Map<string, number>;
  /** A bit per required member (bit i: list[i]); 0 when the list is too long for bits. */
  requiredBits: number;
  /**
   * Can the walk find the members a value holds by enumerating the value (its few names) rather than
   * looking up every member (most absent)? Yes when each has a bit and no name is also inherited.
   */
  byEnumeration: boolean;
}

/** Members past this many are looked up one by one (a bit each would not fit in a 32-bit mask). */
const MEMBERS_BY_BITS_MAX = 30;

const membersByShape = new Map<ShapeData, Members>();
/** A structure's members in the model's order, their shapes looked up, worked out once per shape. */
export function membersOf(model: ServiceModelData, shape: ShapeData): Members {
  let members = membersByShape.get(shape);
  if (members === undefined) {
    const list = Object.entries(shape.members ?? {}).map(([name, shapeName]) => ({
      name,
      camelName: camel(name),
      shape: shapeOf(model, shapeName),
      required: shape.required?.includes(name) === true,
    }));
    const byEnumeration = list.length <= MEMBERS_BY_BITS_MAX && list.every((m) => !(m.name in Object.prototype));
    let requiredBits = 0;
    if (byEnumeration) list.forEach((m, i) => (requiredBits |= m.required ? 1 << i : 0));
    members = { list, placeByName: new Map(list.map((m, i) => [m.name, i])), requiredBits, byEnumeration };
    membersByShape.set(shape, members);
  }
  return members;
}
