// The grant-window invariant (issue 5 item 7), read off the run alone: a retired or revoked grant may
// decide a call only inside its propagation window. Driven here with the calls and decisions a run
// would show, so the check is seen to fire, and to stay quiet inside the window.
import { describe, expect, it } from "vitest";
import { checkGrantWindow, type GrantLedger } from "../../harness/invariants.ts";
import { ok, type CallStep, type Outcome } from "../../protocol/step.ts";

const WINDOW_US = 3_000_000;
const call = (name: string, input: CallStep["input"] = {}): CallStep => ({ call: name, as: "app", input });

function ledgerAfterRetiring(byToken: boolean): GrantLedger {
  const ledger: GrantLedger = { tokens: new Map(), removedAtUs: new Map() };
  checkGrantWindow(call("CreateGrant"), ok({ GrantToken: "token-1", GrantId: "g1" }), [], 0, WINDOW_US, ledger);
  const retire = byToken ? call("RetireGrant", { GrantToken: "token-1" }) : call("RevokeGrant", { KeyId: "k", GrantId: "g1" });
  checkGrantWindow(retire, ok({}), [], 1_000_000, WINDOW_US, ledger);
  return ledger;
}

const encrypted: Outcome = ok({ CiphertextBlob: "AAAA" });
const byGrant = ["kms:Encrypt: grant g1 allows"];

describe("a retired or revoked grant decides nothing after its window", () => {
  for (const byToken of [true, false]) {
    const how = byToken ? "retired by token" : "revoked by id";
    it(`${how}: allowed inside the window`, () => {
      expect(
        checkGrantWindow(call("Encrypt"), encrypted, byGrant, 1_000_000 + WINDOW_US - 1, WINDOW_US, ledgerAfterRetiring(byToken)),
      ).toBeUndefined();
    });
    it(`${how}: an invariant failure once the window has passed`, () => {
      expect(checkGrantWindow(call("Encrypt"), encrypted, byGrant, 1_000_000 + WINDOW_US, WINDOW_US, ledgerAfterRetiring(byToken))).toMatch(
        /grant g1 decided kms:Encrypt for 'app' 3000 ms after it was retired or revoked/,
      );
    });
  }

  it("other grants, and failed retirements, are not held to it", () => {
    const ledger = ledgerAfterRetiring(true);
    expect(checkGrantWindow(call("Encrypt"), encrypted, ["kms:Encrypt: grant g2 allows"], 10_000_000, WINDOW_US, ledger)).toBeUndefined();
    const fresh: GrantLedger = { tokens: new Map(), removedAtUs: new Map() };
    checkGrantWindow(
      call("RevokeGrant", { KeyId: "k", GrantId: "g1" }),
      { ok: false, error: { name: "AccessDeniedException", message: "" } },
      [],
      0,
      WINDOW_US,
      fresh,
    );
    expect(checkGrantWindow(call("Encrypt"), encrypted, byGrant, 10_000_000, WINDOW_US, fresh)).toBeUndefined();
  });
});
