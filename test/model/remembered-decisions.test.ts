// A remembered decision is reused only for the same policy set pair, caller, action, resource and
// grant, and — when it read the request context — an equal context; anything else decides again. All
// pairs' decisions together are bounded.
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../model/conditions.ts";
import { DECISIONS_MAX, NO_POLICIES, remembered, type Question } from "../../model/remembered-decisions.ts";

const question: Question = { caller: "arn:aws:iam::111122223333:role/A", action: "kms:Encrypt", resource: "arn:k", grant: "" };

/** A decide that counts its calls and reads the context when `reads` says so. */
function counting(reads: boolean) {
  const calls = { n: 0 };
  const decide = (context: () => RequestContext) => {
    calls.n++;
    return { n: calls.n, time: reads ? context()["aws:CurrentTime"] : undefined };
  };
  return { calls, decide };
}

describe("remembered", () => {
  it("decides each question once per policy pair when the decision read no context", () => {
    const policies = {};
    const { calls, decide } = counting(false);
    const first = remembered(policies, NO_POLICIES, question, () => ({}), decide);
    expect(remembered(policies, NO_POLICIES, { ...question }, () => ({}), decide)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(calls.n).toBe(1);
    // Each part of the question, and each member of the pair, tells decisions apart.
    for (const other of [
      { ...question, caller: "arn:aws:iam::111122223333:role/B" },
      { ...question, action: "kms:Decrypt" },
      { ...question, resource: "arn:k2" },
      { ...question, grant: "g-1" },
    ])
      expect(remembered(policies, NO_POLICIES, other, () => ({}), decide)).not.toBe(first);
    expect(remembered(policies, {}, question, () => ({}), decide)).not.toBe(first);
    expect(remembered({}, NO_POLICIES, question, () => ({}), decide)).not.toBe(first);
    expect(calls.n).toBe(7);
  });

  it("decides again when the context a decision read is not equal", () => {
    const policies = {};
    const { calls, decide } = counting(true);
    const at = (time: string) => () => ({ "aws:CurrentTime": [time] });
    const first = remembered(policies, NO_POLICIES, question, at("t1"), decide);
    expect(remembered(policies, NO_POLICIES, question, at("t1"), decide)).toBe(first);
    const second = remembered(policies, NO_POLICIES, question, at("t2"), decide);
    expect(second).not.toBe(first);
    expect(second).toEqual({ n: 2, time: ["t2"] });
    expect(calls.n).toBe(2);
  });

  it("forgets every pair's decisions past the bound on them all, and still answers", () => {
    const pairs = Array.from({ length: 8 }, () => ({})); // each pair far from any bound of its own
    const { calls, decide } = counting(false);
    const ask = (i: number) =>
      remembered(pairs[i % pairs.length]!, NO_POLICIES, { ...question, resource: `arn:k${i}` }, () => ({}), decide);
    const asked = DECISIONS_MAX + 44;
    for (let i = 0; i < asked; i++) ask(i);
    expect(calls.n).toBe(asked);
    ask(0); // forgotten when the bound was passed: decided again
    ask(asked - 1); // remembered since: kept
    expect(calls.n).toBe(asked + 1);
  });
});
