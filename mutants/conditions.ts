// Mutants of the condition language (spec §9.6, §9.6.1): one per operator family (String, Numeric,
// Date, Bool, Arn, Null), the qualifiers IfExists, ForAnyValue and ForAllValues, negated operators
// over absent keys, and the request context's own promises (case-insensitive key names, the
// IAM-only keys a key policy does not see). Each stands in for `conditionSemantics.holds` or a
// RequestContext method.
import { conditionSemantics, ORDER, RequestContext, type ConditionEntry } from "../sim/iam/conditions.ts";
import { patch, together, type Mutant, type Undo } from "./mutant.ts";

type Holds = typeof conditionSemantics.holds;

/** `conditionSemantics.holds` as `judge` has it, falling back to the original where `judge` says undefined. */
function holdsAs(judge: (entry: ConditionEntry, got: readonly string[] | undefined, original: Holds) => boolean | undefined): Undo {
  return patch(
    conditionSemantics,
    "holds",
    (original): Holds =>
      (entry, got) =>
        judge(entry, got, original) ?? original(entry, got),
  );
}

/** The entry with its per-value test replaced (negation re-applied). */
function passing(entry: ConditionEntry, match: (requestValue: string) => boolean): ConditionEntry {
  return { ...entry, passes: entry.negated ? (v) => !match(v) : match };
}

const absent = (got: readonly string[] | undefined) => got === undefined || got.length === 0;
/** A Date operand as the operators compare it: an instant in ms (epoch seconds, or ISO 8601). */
const instant = (text: string) => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
const day = (text: string) => Math.floor(instant(text) / 86_400_000);

/**
 * `conditionSemantics.holds` with Numeric`order` and Date`order` (e.g. NumericEquals, DateEquals) judged
 * by `passes` — a request value against the policy's values, each read as that family reads them.
 */
function comparedAs(order: string, passes: (value: number, bounds: number[]) => boolean): Undo {
  return holdsAs((e, got, original) => {
    const read = e.base === `Numeric${order}` ? Number : e.base === `Date${order}` ? instant : undefined;
    if (read === undefined) return undefined;
    const bounds = e.values.map(read);
    return original(
      passing(e, (v) => passes(read(v), bounds)),
      got,
    );
  });
}

const withoutAccount = (arn: string) => arn.split(":").filter((_, i) => i !== 4);

export const CONDITION_MUTANTS: Mutant[] = [
  {
    name: "if-exists-absent-fails",
    area: "conditions",
    description: "an …IfExists operator fails when the request does not carry its key",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () => holdsAs((e, got) => (e.ifExists && e.set === undefined && absent(got) ? false : undefined)),
  },
  {
    name: "for-all-values-as-any",
    area: "conditions",
    description: "ForAllValues is judged as ForAnyValue (one passing value is enough, none present fails)",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => holdsAs((e, got, original) => (e.set === "ForAllValues" ? original({ ...e, set: "ForAnyValue" }, got) : undefined)),
  },
  {
    name: "for-any-value-absent-passes",
    area: "conditions",
    description: "ForAnyValue holds when the request carries no value for its key",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => holdsAs((e, got) => (e.set === "ForAnyValue" && absent(got) ? true : undefined)),
  },
  {
    name: "negated-absent-fails",
    area: "conditions",
    description: "a negated operator (StringNotEquals, ArnNotLike …) fails when the request does not carry its key",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () => holdsAs((e, got) => (e.negated && e.set === undefined && !e.ifExists && absent(got) ? false : undefined)),
  },
  {
    name: "ignore-case-compares-exactly",
    area: "conditions",
    description: "StringEqualsIgnoreCase and StringNotEqualsIgnoreCase compare case-sensitively",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      holdsAs((e, got, original) =>
        /IgnoreCase$/.test(e.base)
          ? original(
              passing(e, (v) => e.values.includes(v)),
              got,
            )
          : undefined,
      ),
  },
  {
    name: "string-like-literal",
    area: "conditions",
    description: "StringLike and StringNotLike take * and ? literally",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      holdsAs((e, got, original) =>
        /^String(Not)?Like$/.test(e.base)
          ? original(
              passing(e, (v) => e.values.includes(v)),
              got,
            )
          : undefined,
      ),
  },
  {
    name: "numeric-less-than-inclusive",
    area: "conditions",
    description: "NumericLessThan holds for an equal value too (as NumericLessThanEquals)",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      holdsAs((e, got, original) =>
        e.base === "NumericLessThan"
          ? original(
              passing(e, (v) => e.values.some((bound) => Number(v) <= Number(bound))),
              got,
            )
          : undefined,
      ),
  },
  {
    name: "dates-by-day",
    area: "conditions",
    description: "Date operators compare whole days, dropping the time of day",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      holdsAs((e, got, original) => {
        const order = /^Date(.+)$/.exec(e.base)?.[1];
        if (order === undefined) return undefined;
        const test = Object.hasOwn(ORDER, order) ? ORDER[order] : undefined;
        return test === undefined
          ? undefined
          : original(
              passing(e, (v) => e.values.some((bound) => test(day(v), day(bound)))),
              got,
            );
      }),
  },
  {
    name: "bool-false-when-absent",
    area: "conditions",
    description: 'Bool "false" holds when the request does not carry the key',
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      holdsAs((e, got) => (e.base === "Bool" && absent(got) && e.values.some((v) => v.toLowerCase() === "false") ? true : undefined)),
  },
  {
    name: "arn-account-ignored",
    area: "conditions",
    description: "ArnEquals and ArnLike compare every part of an ARN but the account",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      holdsAs((e, got, original) => {
        if (!/^Arn/.test(e.base)) return undefined;
        const patterns = e.values.map((value) =>
          withoutAccount(value).map(
            (part) =>
              new RegExp(
                `^${part
                  .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                  .replace(/\*/g, ".*")
                  .replace(/\?/g, ".")}$`,
              ),
          ),
        );
        return original(
          passing(e, (v) =>
            patterns.some((p) => withoutAccount(v).every((part, i) => p[i]?.test(part) === true) && p.length === withoutAccount(v).length),
          ),
          got,
        );
      }),
  },
  {
    name: "null-false-when-absent",
    area: "conditions",
    description: 'Null "false" (the key is present) also holds when it is absent',
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () => holdsAs((e, got) => (e.base === "Null" && got === undefined && e.wantAbsent.includes(false) ? true : undefined)),
  },
  {
    name: "condition-keys-case-sensitive",
    area: "conditions",
    description: "condition key names are compared case-sensitively (stored and looked up as written)",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () => {
      const valuesOf = (context: RequestContext) => (context as unknown as { values: Map<string, string[]> }).values;
      return together(
        patch(
          RequestContext.prototype,
          "add",
          () =>
            function (this: RequestContext, key: string, values: readonly string[]) {
              if (values.length > 0) valuesOf(this).set(key, [...(valuesOf(this).get(key) ?? []), ...values]);
              return this;
            },
        ),
        patch(
          RequestContext.prototype,
          "get",
          () =>
            function (this: RequestContext, key: string) {
              return valuesOf(this).get(key);
            },
        ),
      );
    },
  },
  {
    name: "key-policy-sees-iam-only-keys",
    area: "conditions",
    description: "key policies see the IAM-only condition keys aws:ResourceTag/* and kms:ResourceAliases",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      patch(
        RequestContext.prototype,
        "without",
        () =>
          function (this: RequestContext) {
            return this;
          },
      ),
  },
  {
    name: "equals-as-not-equals",
    area: "conditions",
    description: "NumericEquals and DateEquals hold for every value but their own",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => comparedAs("Equals", (v, bounds) => bounds.every((bound) => v !== bound)),
  },
  {
    name: "greater-than-inclusive",
    area: "conditions",
    description: "NumericGreaterThan and DateGreaterThan hold for an equal value too",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () => comparedAs("GreaterThan", (v, bounds) => bounds.some((bound) => v >= bound)),
  },
  {
    name: "epoch-time-in-milliseconds",
    area: "conditions",
    description: "aws:EpochTime carries the time in milliseconds, not seconds",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      patch(
        RequestContext.prototype,
        "add",
        (add) =>
          function (this: RequestContext, key: string, values: readonly string[]) {
            return add.call(this, key, key === "aws:EpochTime" ? values.map((v) => `${v}000`) : values);
          },
      ),
  },
  {
    name: "for-any-value-negated-as-all",
    area: "conditions",
    description: "ForAnyValue with a negated operator needs every request value to pass, not one",
    scenarios: ["authz"],
    expected: { kind: "invariant" },
    apply: () => holdsAs((e, got) => (e.set === "ForAnyValue" && e.negated && !absent(got) ? got!.every(e.passes) : undefined)),
  },
];
