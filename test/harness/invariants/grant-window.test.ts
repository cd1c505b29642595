// The grant-window invariant (spec §9.7, §12), read off the run alone: a retired or revoked grant may
// decide a call only inside its propagation window. Driven here with the calls and decisions a run
// would show, so the check is seen to fire, and to stay quiet inside the window.
import { describe, expect, it } from "vitest";
import { grantWindow } from "../../../harness/invariants/grant-window.ts";
import type { Invariant } from "../../../harness/invariants/invariant.ts";
import type { Observer } from "../../../harness/observer.ts";
import type { Decision } from "../../../protocol/decision.ts";
import { fail, ok, type CallStep, type Outcome } from "../../../protocol/step.ts";

const WINDOW_US = 3_000_000;
const call = (name: string, input: CallStep["input"] = {}): CallStep => ({ call: name, as: "app", input });
const observer = {} as Observer; // the check reads nothing of the world's inside
const run = (check: Invariant, step: CallStep, sut: Outcome, decisions: Decision[], atUs: number) =>
  check.after({ step, sut, decisions, atUs, faultInFlight: false }, observer);

function retired(byToken: boolean): Invariant {
  const check = grantWindow(WINDOW_US);
  run(check, call("CreateGrant"), ok({ GrantToken: "token-1", GrantId: "g1" }), [], 0);
  const retire = byToken ? call("RetireGrant", { GrantToken: "token-1" }) : call("RevokeGrant", { KeyId: "k", GrantId: "g1" });
  run(check, retire, ok({}), [], 1_000_000);
  return check;
}

const encrypted: Outcome = ok({ CiphertextBlob: "AAAA" });
const byGrant = (grantId: string): Decision[] => [{ action: "kms:Encrypt", effect: "Allow", by: { kind: "grant", grantId }, scope: "key" }];

describe("a retired or revoked grant decides nothing after its window", () => {
  for (const byToken of [true, false]) {
    const how = byToken ? "retired by token" : "revoked by id";
    it(`${how}: allowed inside the window`, () => {
      expect(run(retired(byToken), call("Encrypt"), encrypted, byGrant("g1"), 1_000_000 + WINDOW_US - 1)).toBeUndefined();
    });
    it(`${how}: an invariant failure once the window has passed`, () => {
      expect(run(retired(byToken), call("Encrypt"), encrypted, byGrant("g1"), 1_000_000 + WINDOW_US)).toMatch(
        /grant g1 decided kms:Encrypt for 'app' 3000 ms after it was retired or revoked/,
      );
    });
  }

  it("other grants, and failed retirements, are not held to it", () => {
    expect(run(retired(true), call("Encrypt"), encrypted, byGrant("g2"), 10_000_000)).toBeUndefined();
    const fresh = grantWindow(WINDOW_US);
    run(fresh, call("RevokeGrant", { KeyId: "k", GrantId: "g1" }), fail("AccessDeniedException", ""), [], 0);
    expect(run(fresh, call("Encrypt"), encrypted, byGrant("g1"), 10_000_000)).toBeUndefined();
  });

  it("a decision by a statement is not a grant's, whatever it names", () => {
    const byStatement: Decision[] = [
      {
        action: "kms:Encrypt",
        effect: "Allow",
        by: { kind: "statement", policy: "key policy", sid: "grant g1 allows", index: 0 },
        scope: "key",
      },
    ];
    expect(run(retired(true), call("Encrypt"), encrypted, byStatement, 10_000_000)).toBeUndefined();
  });
});
