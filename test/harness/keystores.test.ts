// The key-store scenario over a fixed seed range: every seed must pass with faults on, and the
// coverage probes must show every CloudHSM connection error code and every fault reached, between
// calls and in the middle of one — the
// proof that the corners the report claims are exercised really are.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { runSeedRange } from "../support/seed-range.ts";
import { FAULT_NAMES } from "../../protocol/step.ts";

const CLOUDHSM_CONNECTION_ERRORS = [
  "CLUSTER_NOT_FOUND",
  "INSUFFICIENT_CLOUDHSM_HSMS",
  "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET",
  "INVALID_CREDENTIALS",
  "NETWORK_ERRORS",
  "SUBNET_NOT_FOUND",
  "USER_LOCKED_OUT",
  "USER_LOGGED_IN",
  "USER_NOT_FOUND",
];

describe("keystores scenario, seeds 1..400", () => {
  const scenario = loadScenario("keystores");
  const { failures, probes } = runSeedRange(scenario, 400);

  it("passes every seed", () => {
    expect(failures).toEqual([]);
  });

  it("reaches every CloudHSM ConnectionErrorCode (spec §3.1)", () => {
    const reached = CLOUDHSM_CONNECTION_ERRORS.filter((code) => (probes[`connection:${code}`] ?? 0) > 0);
    expect(reached).toEqual(CLOUDHSM_CONNECTION_ERRORS);
  });

  it("applies every fault, and lands every fault but a service failure (which takes no `after`) in the middle of a call", () => {
    expect(FAULT_NAMES.filter((f) => (probes[`fault:${f}`] ?? 0) > 0)).toEqual([...FAULT_NAMES]);
    const landing = FAULT_NAMES.filter((f) => f !== "service-failure");
    expect(FAULT_NAMES.filter((f) => (probes[`fault-during-call:${f}`] ?? 0) > 0)).toEqual(landing);
  });

  it("answers dry runs that would have succeeded with DryRunOperationException (harness/dry-runs.ts)", () => {
    expect(["Encrypt", "Decrypt"].filter((op) => (probes[`call:${op}:DryRunOperationException`] ?? 0) === 0)).toEqual([]);
  });
});
