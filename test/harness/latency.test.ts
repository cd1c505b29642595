// Latency budgets per fault condition: a call's worst case from the latency model and the fault
// ledger (a partitioned HSM tried first costs one timeout; a crashed one is not tried; a call goes to
// one cluster, so the costliest cluster bounds it), the
// condition each call is filed under, and the 90th percentile per run and over a campaign.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { campaignLatencyExceeded, LatencyBudget, PERCENTILE_SAMPLES_MIN } from "../../harness/latency.ts";
import { ok, type Step } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const { timing } = scenario;
const [first, second] = scenario.world.cluster.hsms.map((h) => h.hsmId).sort() as [string, string];
const encrypt: Step = { call: "Encrypt", as: "admin", input: {} };
/** One tailed round trip of an Encrypt request, in µs. */
const roundTripMaxUs = 2 * timing.latency.tailUsMax + timing.hsmServiceUs.Encrypt;
const timeoutUs = timing.hsmRequestTimeoutMs * 1000;

describe("latency budgets", () => {
  it("allows a steady call one tailed round trip per HSM, and fails one over that", () => {
    const budget = new LatencyBudget(scenario);
    expect(budget.afterStep(encrypt, ok(), 0, 2 * roundTripMaxUs, false)).toBeUndefined();
    const over = budget.afterStep(encrypt, ok(), 0, 2 * roundTripMaxUs + 1, false);
    expect(over?.check).toBe("budget:Encrypt");
    expect(over?.message).toContain("under steady");
  });

  it("allows one timeout for a partitioned HSM, none for a crashed one", () => {
    const cut = new LatencyBudget(scenario);
    cut.afterStep({ fault: "partition", hsm: first }, ok(), 0, 0, false);
    expect(cut.afterStep(encrypt, ok(), 0, timeoutUs + roundTripMaxUs, false)).toBeUndefined();
    expect(cut.afterStep(encrypt, ok(), 0, timeoutUs + roundTripMaxUs + 1, false)?.message).toContain("under one HSM lost");
    // In a world of one cluster: with more, the costliest cluster bounds the call (see below).
    const crashed = new LatencyBudget({ ...scenario, world: { ...scenario.world, otherClusters: [] } });
    crashed.afterStep({ fault: "hsm-crash", hsm: first }, ok(), 0, 0, false);
    expect(crashed.afterStep(encrypt, ok(), 0, roundTripMaxUs + 1, false)?.message).toContain("at most");
  });

  it("heals only the HSM a heal names: one the ledger no longer holds (deleted) heals nothing, not every link", () => {
    // Seed 109,868 of `keystores`: a partition, then a heal naming a deleted HSM; the world heals that
    // one link only (sim/faults.ts), so the HSM cut before stays lost and costs its timeout.
    const budget = new LatencyBudget({ ...scenario, world: { ...scenario.world, otherClusters: [] } });
    const ClusterId = scenario.world.cluster.clusterId;
    budget.afterStep({ fault: "partition", hsm: first }, ok(), 0, 0, false);
    budget.afterStep(
      { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: second } },
      ok({ HsmId: second }),
      0,
      1,
      false,
    );
    budget.afterStep({ fault: "heal", hsm: second }, ok(), 0, 0, false);
    expect(budget.afterStep(encrypt, ok(), 0, timeoutUs, false)).toBeUndefined();
    // A heal naming no HSM heals every link: the one HSM left is reachable, and the same call over its bound.
    budget.afterStep({ fault: "heal" }, ok(), 0, 0, false);
    expect(budget.afterStep(encrypt, ok(), 0, timeoutUs, false)?.check).toBe("budget:Encrypt");
  });

  it("bounds a call by the cluster that costs most: with the world's cluster emptied, a store on another lineage still has its HSMs", () => {
    const budget = new LatencyBudget(scenario);
    const ClusterId = scenario.world.cluster.clusterId;
    for (const HsmId of [first, second])
      budget.afterStep({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId } }, ok({ HsmId }), 0, 1, false);
    const other = scenario.world.otherClusters[0]!;
    expect(other.hsms.length).toBe(2);
    expect(budget.afterStep(encrypt, ok(), 0, 2 * roundTripMaxUs, false)).toBeUndefined();
    expect(budget.afterStep(encrypt, ok(), 0, 2 * roundTripMaxUs + 1, false)?.message).toContain(
      "0 HSM(s) lost at 10 ms each, 2 reachable",
    );
  });

  it("does not judge a call a fault landed in, nor one that never reached an HSM", () => {
    const budget = new LatencyBudget(scenario);
    expect(budget.afterStep(encrypt, ok(), 0, 10 * timeoutUs, true)).toBeUndefined();
    budget.afterStep(encrypt, ok(), 0, 0, false);
    expect(budget.samples).toEqual({});
  });

  it("files calls by condition: one AZ out, and a partition healing for a replication delay after the heal", () => {
    const budget = new LatencyBudget(scenario);
    const zone = scenario.world.cluster.hsms.find((h) => h.hsmId === second)!.availabilityZone;
    budget.afterStep({ fault: "az-outage", az: zone }, ok(), 0, 0, false);
    budget.afterStep(encrypt, ok(), 0, 1000, false);
    budget.afterStep({ fault: "az-restore", az: zone }, ok(), 0, 0, false);
    budget.afterStep(encrypt, ok(), 1000, 1000, false);
    budget.afterStep(encrypt, ok(), timing.replicationDelayMs * 1000 + 1, 1000, false);
    expect(Object.keys(budget.samples).sort()).toEqual(["Encrypt|one AZ out", "Encrypt|partition healing", "Encrypt|steady"]);
  });

  it("judges the 90th percentile only with enough calls, per run and over a campaign", () => {
    const budget = new LatencyBudget(scenario);
    const typicalUs = 2 * timing.latency.latencyUsMax + timing.hsmServiceUs.Encrypt;
    for (let i = 0; i < PERCENTILE_SAMPLES_MIN - 1; i++) budget.afterStep(encrypt, ok(), 0, typicalUs + 100, false);
    expect(budget.runExceeded()).toBeUndefined();
    budget.afterStep(encrypt, ok(), 0, typicalUs + 100, false);
    expect(budget.runExceeded()).toMatchObject({ check: "budget:p90:steady" });
    expect(budget.runExceeded()?.message).toContain("p90 in this run under steady");
    // Pooled per condition over the operations and the runs.
    const within = { "Encrypt|steady": Array.from({ length: 15 }, () => -5), "Decrypt|steady": Array.from({ length: 15 }, () => -5) };
    const slow = { "Decrypt|steady": Array.from({ length: 30 }, (_, i) => (i < 7 ? 50 : -5)), "Encrypt|one AZ out": [900] };
    expect(campaignLatencyExceeded([within, within])).toBeUndefined();
    expect(campaignLatencyExceeded([within, slow])?.check).toBe("budget:p90:steady");
  });
});
