// Judges an answer against AWS's service models (protocol/aws): a success's output must be the
// operation's output shape — no member the shape lacks, every required member, each value of its
// type and within its constraints (lengths, ranges, patterns, enums) — and an error must be one the
// operation declares or one its service answers any operation with. The shape test's checker.
import { COMMON_ERRORS, errorCodes, type ServiceModelData, type ShapeData } from "../../protocol/aws/service-model.ts";
import type { Json, Outcome } from "../../protocol/step.ts";

const isObject = (v: Json): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

function base64Bytes(text: string): number | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) return undefined;
  return Buffer.from(text, "base64").length;
}

/** What is wrong with `value` as shape `name`, each problem with its path (none: it fits). */
export function shapeProblems(model: ServiceModelData, name: string, value: Json, path: string): string[] {
  const shape: ShapeData | undefined = model.shapes[name];
  if (shape === undefined) return [`${path}: shape ${name} is not in ${model.source.file}`];
  const bounds = (size: number, what: string): string[] => [
    ...(shape.min !== undefined && size < shape.min ? [`${path}: ${what} ${size} < ${shape.min}`] : []),
    ...(shape.max !== undefined && size > shape.max ? [`${path}: ${what} ${size} > ${shape.max}`] : []),
  ];
  switch (shape.type) {
    case "structure": {
      if (!isObject(value)) return [`${path}: not a structure`];
      const members = shape.members ?? {};
      return [
        ...Object.keys(value)
          .filter((k) => members[k] === undefined)
          .map((k) => `${path}.${k}: not a member of ${name}`),
        ...(shape.required ?? []).filter((k) => value[k] === undefined || value[k] === null).map((k) => `${path}.${k}: required, missing`),
        ...Object.entries(value).flatMap(([k, v]) =>
          members[k] === undefined || v === null ? [] : shapeProblems(model, members[k], v, `${path}.${k}`),
        ),
      ];
    }
    case "list":
      if (!Array.isArray(value)) return [`${path}: not a list`];
      return [...bounds(value.length, "length"), ...value.flatMap((v, i) => shapeProblems(model, shape.member!, v, `${path}[${i}]`))];
    case "map":
      if (!isObject(value)) return [`${path}: not a map`];
      return [
        ...bounds(Object.keys(value).length, "size"),
        ...Object.entries(value).flatMap(([k, v]) => [
          ...shapeProblems(model, shape.key!, k, `${path}{key}`),
          ...shapeProblems(model, shape.value!, v, `${path}.${k}`),
        ]),
      ];
    case "string": {
      if (typeof value !== "string") return [`${path}: not a string`];
      const pattern = shape.pattern === undefined ? undefined : new RegExp(`^(?:${shape.pattern})$`, "u");
      return [
        ...bounds(value.length, "length"),
        ...(pattern !== undefined && !pattern.test(value) ? [`${path}: '${value.slice(0, 80)}' does not match ${shape.pattern}`] : []),
        ...(shape.enum !== undefined && !shape.enum.includes(value) ? [`${path}: '${value}' is not one of ${shape.enum.join(", ")}`] : []),
      ];
    }
    case "blob": {
      const bytes = typeof value === "string" ? base64Bytes(value) : undefined;
      return bytes === undefined ? [`${path}: not base64`] : bounds(bytes, "bytes");
    }
    case "integer":
    case "long":
      return typeof value === "number" && Number.isInteger(value) ? bounds(value, "value") : [`${path}: not an integer`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: not a boolean`];
    case "timestamp":
      // The JSON protocols send epoch seconds; kmsim's steps carry the same for every service.
      return typeof value === "number" ? [] : [`${path}: not a timestamp`];
    default:
      return typeof value === "number" ? [] : [`${path}: not a number`];
  }
}

/** What is wrong with `outcome` as an answer to `operation` of the service `model` describes (none: AWS could send it). */
export function answerProblems(
  service: keyof typeof COMMON_ERRORS,
  model: ServiceModelData,
  operation: string,
  outcome: Outcome,
): string[] {
  const op = model.operations[operation];
  if (op === undefined) return [`${operation} is not an operation of ${model.source.file}`];
  if (!outcome.ok) {
    const declared = errorCodes(model, operation);
    return [...declared, ...COMMON_ERRORS[service]].includes(outcome.error.name)
      ? []
      : [`${operation}: ${outcome.error.name} is neither declared (${declared.join(", ")}) nor common to the service`];
  }
  if (op.output === null)
    return Object.keys(outcome.output).length === 0 ? [] : [`${operation}: answered members where the model has no output`];
  return shapeProblems(model, op.output, outcome.output, operation);
}
