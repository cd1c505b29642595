// §9.6.1 as a table, held against both implementations: the model reads a Condition element straight
// off the document (model/conditions.ts), the virtual KMS compiles it (sim/iam/conditions.ts). Every
// operator appears, with its negation, IfExists, the set operators, absent keys and malformed blocks;
// and generated dates near the calendar's edges, held against JavaScript's calendar as well.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { conditionHolds, conditionWellFormed, type RequestContext as ModelContext } from "../../model/conditions.ts";
import { isoSeconds } from "../../model/request-context.ts";
import { compileCondition, RequestContext } from "../../sim/iam/conditions.ts";
import { isoTime } from "../../sim/iam/request-context.ts";
import type { Json } from "../../protocol/step.ts";

const REQUEST: ModelContext = {
  "aws:PrincipalArn": ["arn:aws:iam::111122223333:role/App"],
  "kms:CallerAccount": ["111122223333"],
  "kms:EncryptionContext:purpose": ["test"],
  "kms:EncryptionContextKeys": ["purpose", "team"],
  "kms:ScheduleKeyDeletionPendingWindowInDays": ["7"],
  "aws:CurrentTime": ["2026-01-01T00:05:00Z"],
  "kms:ReEncryptOnSameKey": ["true"],
  "kms:GrantOperations": ["Decrypt", "Encrypt"],
};

const rows: [string, Json, boolean][] = [
  ["StringEquals matches exactly", { StringEquals: { "kms:CallerAccount": "111122223333" } }, true],
  ["StringEquals: any listed value", { StringEquals: { "kms:CallerAccount": ["444455556666", "111122223333"] } }, true],
  ["StringEquals is case-sensitive in values", { StringEquals: { "kms:EncryptionContext:purpose": "TEST" } }, false],
  ["condition key names are case-insensitive", { StringEquals: { "KMS:encryptioncontext:Purpose": "test" } }, true],
  ["StringNotEquals", { StringNotEquals: { "kms:CallerAccount": "444455556666" } }, true],
  ["StringNotEquals: none of the values may match", { StringNotEquals: { "kms:CallerAccount": ["444455556666", "111122223333"] } }, false],
  ["StringEqualsIgnoreCase", { StringEqualsIgnoreCase: { "kms:EncryptionContext:purpose": "TEST" } }, true],
  ["StringNotEqualsIgnoreCase", { StringNotEqualsIgnoreCase: { "kms:EncryptionContext:purpose": "TEST" } }, false],
  ["StringLike with *", { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/A*" } }, true],
  ["StringLike with ?", { StringLike: { "kms:CallerAccount": "11112222333?" } }, true],
  ["StringLike is case-sensitive", { StringLike: { "aws:PrincipalArn": "*:role/app" } }, false],
  ["StringNotLike", { StringNotLike: { "aws:PrincipalArn": "*:user/*" } }, true],
  ["NumericEquals", { NumericEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": 7 } }, true],
  ["NumericNotEquals", { NumericNotEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" } }, false],
  ["NumericLessThan", { NumericLessThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" } }, false],
  ["NumericLessThanEquals", { NumericLessThanEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" } }, true],
  ["NumericGreaterThan", { NumericGreaterThan: { "kms:ScheduleKeyDeletionPendingWindowInDays": "6.5" } }, true],
  ["NumericGreaterThanEquals", { NumericGreaterThanEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": "8" } }, false],
  ["Numeric on a value that is not a number", { NumericEquals: { "kms:CallerAccount": "7" } }, false],
  ["DateEquals", { DateEquals: { "aws:CurrentTime": "2026-01-01T00:05:00Z" } }, true],
  ["DateNotEquals", { DateNotEquals: { "aws:CurrentTime": "2026-01-01T00:05:00Z" } }, false],
  ["DateLessThan", { DateLessThan: { "aws:CurrentTime": "2026-01-01T00:10:00Z" } }, true],
  ["DateLessThanEquals with an offset", { DateLessThanEquals: { "aws:CurrentTime": "2026-01-01T01:05:00+01:00" } }, true],
  ["DateGreaterThan a date alone", { DateGreaterThan: { "aws:CurrentTime": "2026-01-01" } }, true],
  ["DateGreaterThanEquals epoch seconds", { DateGreaterThanEquals: { "aws:CurrentTime": "1767225901" } }, false],
  ["DateGreaterThan epoch seconds a second before", { DateGreaterThan: { "aws:CurrentTime": "1767225899" } }, true],
  ["Bool true", { Bool: { "kms:ReEncryptOnSameKey": "true" } }, true],
  ["Bool as a JSON boolean", { Bool: { "kms:ReEncryptOnSameKey": false } }, false],
  ["ArnEquals with wildcards per part", { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } }, true],
  ["ArnLike", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/App" } }, true],
  ["ArnNotEquals", { ArnNotEquals: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/App" } }, false],
  ["ArnNotLike", { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::444455556666:*" } }, true],
  ["ArnLike against a value that is not an ARN", { ArnLike: { "kms:CallerAccount": "arn:*:*:*:*:*" } }, false],
  ["Null true: key absent", { Null: { "kms:RequestAlias": "true" } }, true],
  ["Null false: key present", { Null: { "kms:CallerAccount": "false" } }, true],
  ["Null true on a present key", { Null: { "kms:CallerAccount": true } }, false],
  ["absent key: a positive operator fails", { StringEquals: { "kms:RequestAlias": "alias/x" } }, false],
  ["absent key: a negated operator holds", { StringNotEquals: { "kms:RequestAlias": "alias/x" } }, true],
  ["absent key: IfExists holds", { StringEqualsIfExists: { "kms:RequestAlias": "alias/x" } }, true],
  ["present key: IfExists tests it", { StringEqualsIfExists: { "kms:CallerAccount": "444455556666" } }, false],
  ["ForAnyValue: one request value matches", { "ForAnyValue:StringEquals": { "kms:EncryptionContextKeys": "team" } }, true],
  ["ForAnyValue: absent key fails", { "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/x" } }, false],
  [
    "ForAllValues: every request value in the list",
    { "ForAllValues:StringEquals": { "kms:GrantOperations": ["Encrypt", "Decrypt", "DescribeKey"] } },
    true,
  ],
  ["ForAllValues: one request value outside", { "ForAllValues:StringEquals": { "kms:GrantOperations": ["Decrypt"] } }, false],
  ["ForAllValues: absent key holds", { "ForAllValues:StringEquals": { "kms:ResourceAliases": "alias/x" } }, true],
  ["ForAllValues with a negated operator", { "ForAllValues:StringNotLike": { "kms:GrantOperations": "Create*" } }, true],
  ["multi-valued key without a set operator: some value", { StringEquals: { "kms:EncryptionContextKeys": "team" } }, true],
  [
    "multi-valued key, negated, without a set operator: no value may match",
    { StringNotEquals: { "kms:EncryptionContextKeys": "team" } },
    false,
  ],
  [
    "ForAnyValue with a negated operator: some value matches none",
    { "ForAnyValue:StringNotEquals": { "kms:EncryptionContextKeys": "team" } },
    true,
  ],
  ["Null false on an absent key", { Null: { "kms:RequestAlias": "false" } }, false],
  ["absent key: a negated IfExists holds", { StringNotEqualsIfExists: { "kms:RequestAlias": "alias/x" } }, true],
  ["a leap day is a date", { DateGreaterThan: { "aws:CurrentTime": "2024-02-29T12:00:00Z" } }, true],
  ["29 February of a year divisible by 400 is a date", { DateGreaterThan: { "aws:CurrentTime": "2000-02-29T00:00:00Z" } }, true],
  ["the last second of a month's last day is a date", { DateGreaterThan: { "aws:CurrentTime": "2000-04-30T23:59:59Z" } }, true],
  ["the first second of the year 1000 is a date", { DateGreaterThan: { "aws:CurrentTime": "1000-01-01T00:00:00Z" } }, true],
  ["operators are ANDed", { StringEquals: { "kms:CallerAccount": "111122223333" }, Bool: { "kms:ReEncryptOnSameKey": "false" } }, false],
  [
    "keys in one operator are ANDed",
    { StringEquals: { "kms:CallerAccount": "111122223333", "kms:EncryptionContext:purpose": "test" } },
    true,
  ],
];

const malformed: [string, Json][] = [
  ["not an object", "StringEquals"],
  ["an unknown operator", { StringMatches: { "kms:CallerAccount": "1" } }],
  ["operator names are case-sensitive", { stringequals: { "kms:CallerAccount": "1" } }],
  ["an empty operator block", { StringEquals: {} }],
  ["an empty value list", { StringEquals: { "kms:CallerAccount": [] } }],
  ["an object as a value", { StringEquals: { "kms:CallerAccount": { a: 1 } } }],
  ["a Numeric value that is not a number", { NumericEquals: { "kms:ScheduleKeyDeletionPendingWindowInDays": "seven" } }],
  ["a Date value that is not a date", { DateLessThan: { "aws:CurrentTime": "tomorrow" } }],
  ["a Bool value that is not true or false", { Bool: { "kms:ReEncryptOnSameKey": "yes" } }],
  ["Null with IfExists", { NullIfExists: { "kms:RequestAlias": "true" } }],
  ["ForAllValues with kms:EncryptionContext:* (§9.3)", { "ForAllValues:StringEquals": { "kms:EncryptionContext:purpose": "test" } }],
  ["ForAllValues with aws:RequestTag/* (§9.3)", { "ForAllValues:StringEquals": { "aws:RequestTag/team": "blue" } }],
  ["an operator named like an Object property", { toString: { "kms:CallerAccount": "1" } }],
  ["a Numeric operator named like an Object property", { NumericvalueOf: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" } }],
  ["a Numeric operator named __proto__", { Numeric__proto__: { "kms:ScheduleKeyDeletionPendingWindowInDays": "7" } }],
  ["a Date operator named like an Object property", { DatehasOwnProperty: { "aws:CurrentTime": "2026-01-01" } }],
  ["IfExists alone", { IfExists: { "kms:CallerAccount": "1" } }],
  ["BinaryEquals (not modelled)", { BinaryEquals: { "kms:CallerAccount": "QUJD" } }],
  ["IpAddress (not modelled)", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }],
  ["a date that is not in the calendar", { DateLessThan: { "aws:CurrentTime": "2026-02-30" } }],
  ["a date before the year 1000", { DateLessThan: { "aws:CurrentTime": "0099-12-31" } }],
  ["the last second before the year 1000", { DateLessThan: { "aws:CurrentTime": "0999-12-31T23:59:59Z" } }],
  ["a time past 23:59:59", { DateLessThan: { "aws:CurrentTime": "2026-01-01T24:00:00Z" } }],
  ["29 February of a year not leap", { DateLessThan: { "aws:CurrentTime": "2027-02-29" } }],
  ["29 February of a century not divisible by 400", { DateLessThan: { "aws:CurrentTime": "1900-02-29" } }],
  ["month 13", { DateLessThan: { "aws:CurrentTime": "2026-13-01" } }],
  ["day 0", { DateLessThan: { "aws:CurrentTime": "2026-01-00" } }],
  ["minute 60", { DateLessThan: { "aws:CurrentTime": "2026-01-01T12:60:00Z" } }],
  ["second 60", { DateLessThan: { "aws:CurrentTime": "2026-01-01T12:00:60Z" } }],
];

function simContext(context: ModelContext): RequestContext {
  const out = new RequestContext();
  for (const [k, v] of Object.entries(context)) out.add(k, v);
  return out;
}

describe("§9.6.1 operators on both sides", () => {
  for (const [why, condition, expected] of rows) {
    it(`${why} → ${expected}`, () => {
      expect(conditionWellFormed(condition)).toBe(true);
      expect(conditionHolds(condition, REQUEST)).toBe(expected);
      const compiled = compileCondition(condition);
      if (!compiled.ok) throw new Error(compiled.message);
      expect(compiled.test(simContext(REQUEST))).toBe(expected);
    });
  }

  for (const [why, condition] of malformed) {
    it(`malformed: ${why}`, () => {
      expect(conditionWellFormed(condition)).toBe(false);
      expect(compileCondition(condition).ok).toBe(false);
    });
  }

  it("a key with no values is absent", () => {
    const context = { ...REQUEST, "kms:GrantOperations": [] };
    const condition = { Null: { "kms:GrantOperations": "true" } };
    expect(conditionHolds(condition, context)).toBe(true);
    const compiled = compileCondition(condition);
    expect(compiled.ok && compiled.test(simContext(context))).toBe(true);
  });

  it("an EC key differing only in case is one condition key with both values", () => {
    const context = { "kms:EncryptionContext:Purpose": ["a"], "kms:EncryptionContext:purpose": ["b"] };
    const condition = { StringEquals: { "kms:EncryptionContext:PURPOSE": "b" } };
    expect(conditionHolds(condition, context)).toBe(true);
    const compiled = compileCondition(condition);
    expect(compiled.ok && compiled.test(simContext(context))).toBe(true);
  });
});

describe("aws:CurrentTime on both sides", () => {
  it("formats the same instants the same way, leap days and year ends included", () => {
    for (const ms of [0, 951_782_400_000, 1_767_225_600_000, 1_767_225_600_000 + 59_999, 1_798_761_599_000, 4_107_542_400_000]) {
      expect(isoSeconds(ms)).toBe(isoTime(ms));
    }
    expect(isoSeconds(1_767_225_600_000)).toBe("2026-01-01T00:00:00Z");
    expect(isoSeconds(951_782_400_000)).toBe("2000-02-29T00:00:00Z");
  });
});

describe("policy dates on both sides", () => {
  it("takes a date or date-time near the calendar's edges as existing exactly when JavaScript's calendar has it, and orders it to the second, offsets included", () => {
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    fc.assert(
      fc.property(
        fc.constantFrom(999, 1000, 1900, 2000, 2024, 2026, 2027, 9999),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.tuple(fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })),
        fc.boolean(),
        fc.constantFrom(["Z", 0], ["+01:30", 90], ["-05:00", -300]),
        (year, month, day, [hour, minute, second], dateOnly, [zone, offsetMinutes]) => {
          const [h, mi, s] = dateOnly ? [0, 0, 0] : [hour, minute, second];
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}${dateOnly ? "" : `T${pad(h)}:${pad(mi)}:${pad(s)}${zone}`}`;
          const utc = new Date(Date.UTC(year, month - 1, day, h, mi, s)); // the parts as written, read as UTC
          const instantMs = utc.getTime() - (dateOnly ? 0 : offsetMinutes * 60_000);
          const exists =
            year >= 1000 &&
            utc.getUTCFullYear() === year &&
            utc.getUTCMonth() === month - 1 &&
            utc.getUTCDate() === day &&
            utc.getUTCHours() === h &&
            utc.getUTCMinutes() === mi &&
            utc.getUTCSeconds() === s;
          const condition = { DateLessThan: { "aws:CurrentTime": text } };
          expect(conditionWellFormed(condition), text).toBe(exists);
          const compiled = compileCondition(condition);
          expect(compiled.ok, text).toBe(exists);
          if (!compiled.ok) return;
          for (const deltaMs of [-1000, 0, 1000]) {
            const atYear = new Date(instantMs + deltaMs).getUTCFullYear();
            if (atYear < 1000 || atYear > 9999) continue; // a request's time is always in 1000–9999
            const context = { "aws:CurrentTime": [isoSeconds(instantMs + deltaMs)] };
            expect(conditionHolds(condition, context), `${text} ${deltaMs}`).toBe(deltaMs < 0);
            expect(compiled.test(simContext(context)), `${text} ${deltaMs}`).toBe(deltaMs < 0);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
