// The policy compiler's cache by text: the same text gives the same compiled object while it is
// cached, and the cache stays bounded — past COMPILED_POLICIES_MAX distinct texts the oldest is
// dropped (compiled again, it is a new object that decides the same), so a long campaign's worker does
// not grow with the number of policies its seeds have written.
import { describe, expect, it } from "vitest";
import { COMPILED_POLICIES_MAX, compilePolicy } from "../../../sim/iam/policy.ts";

const policy = (sid: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: sid, Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" }],
  });

describe("compilePolicy's cache", () => {
  it("answers the same text with the same compiled policy", () => {
    expect(compilePolicy(policy("same"), true)).toBe(compilePolicy(policy("same"), true));
    expect(compilePolicy(policy("same"), false)).not.toBe(compilePolicy(policy("same"), true)); // key and identity policies apart
  });

  it("keeps at most COMPILED_POLICIES_MAX texts of each kind, dropping the oldest first", () => {
    const first = compilePolicy(policy("first"), true);
    for (let i = 0; i < COMPILED_POLICIES_MAX - 1; i++) compilePolicy(policy(`filler-${i}`), true);
    const recent = compilePolicy(policy(`filler-${COMPILED_POLICIES_MAX - 2}`), true);
    compilePolicy(policy("one more"), true); // past the bound: the oldest text goes
    expect(compilePolicy(policy(`filler-${COMPILED_POLICIES_MAX - 2}`), true)).toBe(recent);
    const again = compilePolicy(policy("first"), true);
    expect(again).not.toBe(first);
    const summary = (p: ReturnType<typeof compilePolicy>) => (p.ok ? p.statements.map((s) => [s.effect, s.ref, s.named]) : p.message);
    expect(summary(again)).toEqual(summary(first));
  });
});
