// The invariants a run is checked against after every step, apart from the model, in the order they
// are asked (the first violation is the one reported). Made fresh for each run: some keep a ledger.
import type { Scenario } from "../scenario.ts";
import { cryptoLedger } from "./crypto-ledger.ts";
import { cryptoPath } from "./crypto-path.ts";
import { grantWindow } from "./grant-window.ts";
import type { Invariant } from "./invariant.ts";
import { outcomeFields } from "./outcome-fields.ts";
import { replication } from "./replication.ts";
import { storeKeyCreation } from "./store-key-creation.ts";
import { stores } from "./stores.ts";
import { survivalClaim } from "./survival-claim.ts";

export type { Invariant, StepFacts } from "./invariant.ts";

export function invariantsFor(scenario: Scenario): Invariant[] {
  return [
    grantWindow(scenario.timing.grantPropagationMsMax * 1000),
    outcomeFields(),
    cryptoLedger(),
    cryptoPath(),
    survivalClaim(),
    storeKeyCreation(),
    stores(),
    replication(),
  ];
}
