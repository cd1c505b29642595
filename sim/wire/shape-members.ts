// A service model's shapes as request validation (request-shape.ts) walks them, worked out once per
// shape: one class for every shape, each field present, where the model's JSON gives a dozen object
// layouts (a string with a pattern, a blob, a structure, …) and so made each read in the walk a slow,
// megamorphic one; a structure's members in the model's order with their shapes, their lowerCamelCase
// path segments, which are required, and a bit per member, so that a walk can find the few members a
// request holds by enumerating it rather than looking up every member the shape has (most absent).
import type { ServiceModelData, ShapeData, ShapeType } from "../../protocol/aws/service-model.ts";

/** AWS writes a member's path in lowerCamelCase. */
const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

export function shapeOf(model: ServiceModelData, name: string): ShapeData {
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`request-shape: no shape ${name} in ${model.source.file}`);
  return shape;
}

/**
 * A shape as the walk reads it: the model's constraints as they stand (undefined where the model has
 * none), and the shapes it holds, looked up on first use (a structure may hold itself, deep down).
 */
export class WalkShape {
  readonly type: ShapeType;
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly pattern: string | undefined;
  readonly enum: string[] | undefined;
  readonly sensitive: boolean | undefined;
  private itemShape: WalkShape | undefined = undefined;
  private valueShape: WalkShape | undefined = undefined;
  private structureMembers: Members | undefined = undefined;

  constructor(
    private readonly model: ServiceModelData,
    private readonly data: ShapeData,
  ) {
    this.type = data.type;
    this.min = data.min;
    this.max = data.max;
    this.pattern = data.pattern;
    this.enum = data.enum;
    this.sensitive = data.sensitive;
  }

  /** A list's member shape, if the model names one. */
  get member(): WalkShape | undefined {
    if (this.itemShape === undefined && this.data.member !== undefined) this.itemShape = walkShapeOf(this.model, this.data.member);
    return this.itemShape;
  }

  /** A map's value shape, if the model names one. */
  get value(): WalkShape | undefined {
    if (this.valueShape === undefined && this.data.value !== undefined) this.valueShape = walkShapeOf(this.model, this.data.value);
    return this.valueShape;
  }

  /** A structure's members, in the model's order. */
  get members(): Members {
    return (this.structureMembers ??= membersOf(this.model, this.data));
  }
}

const walkShapes = new WeakMap<ServiceModelData, Map<string, WalkShape>>();

/** The shape the model names `name`, as the walk reads it (made once per model and name). */
export function walkShapeOf(model: ServiceModelData, name: string): WalkShape {
  let byName = walkShapes.get(model);
  if (byName === undefined) walkShapes.set(model, (byName = new Map()));
  let shape = byName.get(name);
  if (shape === undefined) byName.set(name, (shape = new WalkShape(model, shapeOf(model, name))));
  return shape;
}

/** A structure member as the checks walk it: its name, its path segment, its shape, required or not. */
export interface Member {
  name: string;
  camelName: string;
  shape: WalkShape;
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

/** A structure's members in the model's order, their shapes looked up. */
function membersOf(model: ServiceModelData, shape: ShapeData): Members {
  const list = Object.entries(shape.members ?? {}).map(([name, shapeName]) => ({
    name,
    camelName: camel(name),
    shape: walkShapeOf(model, shapeName),
    required: shape.required?.includes(name) === true,
  }));
  const byEnumeration = list.length <= MEMBERS_BY_BITS_MAX && list.every((m) => !(m.name in Object.prototype));
  let requiredBits = 0;
  if (byEnumeration) list.forEach((m, i) => (requiredBits |= m.required ? 1 << i : 0));
  return { list, placeByName: new Map(list.map((m, i) => [m.name, i])), requiredBits, byEnumeration };
}
