// Liveness (TigerBeetle's safety-then-liveness): after a run's last step the world heals — every fault
// lifted — and virtual time runs on for the scenario's bound; by then every connect and disconnect,
// replication pass, key deletion and grant change must have settled, with model and world agreeing
// (the settling runs as ordinary steps, so every check applies to it). What has not settled is a
// failure of kind `liveness`, naming it.
import type { Step } from "../protocol/step.ts";
import type { Observer } from "./observer.ts";
import type { Scenario } from "./scenario.ts";

/** The steps that heal the world and let it settle: each standing fault lifted, then time to settle. */
export function settlingSteps(scenario: Scenario, observer: Observer): Step[] {
  return [...observer.faultsToLift(), { advance: scenario.liveness.settleMsMax }];
}

/** What has not settled, as a failure message; undefined when everything has. */
export function unsettled(scenario: Scenario, observer: Observer): string | undefined {
  const left = observer.unsettled();
  if (left.length === 0) return undefined;
  return `${scenario.liveness.settleMsMax} ms after every fault was lifted, not settled: ${left.join("; ")}`;
}
