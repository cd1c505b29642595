// How the generator draws a policy document from templates (harness/policies.ts): one in three mutated
// one statement at a time — Effect flipped, Condition dropped or its operators negated, Action widened,
// Principal swapped — so near-misses of the templates are tried too, and now and then one of a list of
// extras (malformed, oversized). A one-statement template is written now as a list of one, now as the
// statement object itself, as IAM's grammar allows both.
import fc from "fast-check";

export type Statement = Record<string, unknown>;
export type Doc = { Version: string; Statement: Statement[] };

/** Negations of the operators the templates use. */
const NEGATED: Record<string, string> = {
  StringEquals: "StringNotEquals",
  StringNotEquals: "StringEquals",
  StringLike: "StringNotLike",
  StringNotLike: "StringLike",
  StringEqualsIgnoreCase: "StringNotEqualsIgnoreCase",
  ArnLike: "ArnNotLike",
  NumericLessThan: "NumericGreaterThanEquals",
  DateLessThan: "DateGreaterThanEquals",
  DateGreaterThan: "DateLessThanEquals",
  Null: "Null",
  "ForAllValues:StringEquals": "ForAnyValue:StringNotEquals",
  "ForAnyValue:StringLike": "ForAllValues:StringNotLike",
  StringNotEqualsIfExists: "StringEqualsIfExists",
};

export type Mutation = "none" | "flip-effect" | "drop-condition" | "negate-condition" | "widen-action" | "swap-principal";

/** `template` with statement `index` (mod its length) changed by `mutation`. */
function mutate(template: Doc, mutation: Mutation, index: number, principal: string): Doc {
  if (mutation === "none") return template;
  const statements = template.Statement.map((s) => ({ ...s }));
  const s = statements[index % statements.length]!;
  if (mutation === "flip-effect") s["Effect"] = s["Effect"] === "Allow" ? "Deny" : "Allow";
  if (mutation === "drop-condition") delete s["Condition"];
  if (mutation === "negate-condition" && typeof s["Condition"] === "object" && s["Condition"] !== null) {
    s["Condition"] = Object.fromEntries(
      Object.entries(s["Condition"]).map(([op, block]) => [NEGATED[op] ?? op, op === "Null" ? flipNull(block) : block]),
    );
  }
  if (mutation === "widen-action") {
    delete s["NotAction"];
    s["Action"] = "kms:*";
  }
  if (mutation === "swap-principal" && s["Principal"] !== undefined) s["Principal"] = { AWS: principal };
  return { ...template, Statement: statements };
}

function flipNull(block: unknown): unknown {
  if (typeof block !== "object" || block === null) return block;
  return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, String(v) === "true" ? "false" : "true"]));
}

/**
 * `doc` as it is written out: with `asObject` (every other one-statement template, so both forms are
 * drawn) a one-statement document's Statement is the statement object itself, not a list of one, as
 * IAM's grammar allows both.
 */
function written(doc: Doc, asObject: boolean): object {
  return asObject && doc.Statement.length === 1 ? { ...doc, Statement: doc.Statement[0] } : doc;
}

/** Templates, one in three mutated by one of `mutations` (a swapped Principal becomes one of `principals`), as text; now and then one of `extra`. */
export function drawn(
  templates: Doc[],
  mutations: Mutation[],
  principals: string[],
  extra: string[],
  extraWeight = 1,
): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    { weight: 2, arbitrary: fc.constant<Mutation>("none") },
    { weight: 1, arbitrary: fc.constantFrom(...mutations) },
  );
  const asObject = new Set(templates.filter((t) => t.Statement.length === 1).filter((_, i) => i % 2 === 0));
  const mutated = fc
    .tuple(fc.constantFrom(...templates), mutation, fc.nat({ max: 7 }), fc.constantFrom(...principals))
    .map(([t, m, i, p]) => JSON.stringify(written(mutate(t, m, i, p), asObject.has(t))));
  return fc.oneof({ weight: 12, arbitrary: mutated }, { weight: extraWeight, arbitrary: fc.constantFrom(...extra) });
}
