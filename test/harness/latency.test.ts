// Latency budgets per fault condition: a call's worst case from the latency model and the fault
// ledger (a partitioned HSM tried first costs one timeout; a crashed one is not tried; a call goes to
// one cluster, so the costliest cluster bounds it), the
// condition each call is filed under, and the 90th percentile per run and over a campaign; and the
// ledger's view of every HSM held against the world's through generated runs of faults and HSMs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { campaignLatencyExceeded, LatencyBudget, PERCENTILE_SAMPLES_MIN } from "../../harness/latency.ts";
import { ok, type CallStep, type JsonObject, type Step } from "../../protocol/step.ts";
import { KMS_NODE } from "../../sim/kms/hsm-exchange.ts";
import { World } from "../../sim/world.ts";

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

  it("expects a call refused with KMSInvalidStateException after reaching the cluster to have asked every HSM of it", () => {
    // No HSM answered, or none held the key material (spec §8.1 step 4): one untailed round trip per
    // HSM is its typical time, where a call answered takes one.
    const oneCluster = { ...scenario, world: { ...scenario.world, otherClusters: [] } };
    const hsms = oneCluster.world.cluster.hsms.length;
    const roundTripUs = 2 * timing.latency.latencyUsMax + timing.hsmServiceUs.Encrypt;
    const refused = { ok: false as const, error: { name: "KMSInvalidStateException", message: "" } };
    const budget = new LatencyBudget(oneCluster);
    budget.afterStep(encrypt, ok(), 0, hsms * roundTripUs, false);
    budget.afterStep(encrypt, refused, 0, hsms * roundTripUs, false);
    budget.afterStep(encrypt, refused, 0, hsms * roundTripUs + 1, false);
    budget.afterStep(encrypt, { ok: false, error: { name: "InvalidCiphertextException", message: "" } }, 0, roundTripUs + 1, false);
    expect(budget.samples["Encrypt|steady"]).toEqual([(hsms - 1) * roundTripUs, 0, 1, 1]);
    // With an HSM cut off, its timeout too, wherever it comes in the order.
    const cut = new LatencyBudget(oneCluster);
    cut.afterStep({ fault: "partition", hsm: second }, ok(), 0, 0, false);
    cut.afterStep(encrypt, refused, 0, timeoutUs + (hsms - 1) * roundTripUs, false);
    cut.afterStep(encrypt, ok(), 0, timeoutUs + (hsms - 1) * roundTripUs, false);
    expect(cut.samples["Encrypt|one HSM lost"]).toEqual([0, timeoutUs + (hsms - 2) * roundTripUs]);
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

  it("keeps the world's view of every HSM through any run of faults and HSMs made and deleted", () => {
    // The ledger mirrors what the world's faults did to each HSM: down (crashed, its zone out), cut off
    // (a partition either way), slowed. Held against the world itself after every step.
    const keystores = loadScenario("keystores");
    const admin = keystores.world.principals["admin"]!.arn;
    const zones = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const action = fc.oneof(
      fc.record({ kind: fc.constantFrom("partition", "hsm-crash", "hsm-restore", "slow-hsm", "DeleteHsm"), pick: fc.nat() }),
      fc.record({ kind: fc.constantFrom("heal"), pick: fc.option(fc.nat()) }),
      fc.record({ kind: fc.constantFrom("az-outage", "az-restore", "CreateHsm"), pick: fc.nat() }),
    );
    const directions = ["both", "to-hsm", "from-hsm"] as const;
    fc.assert(
      fc.property(fc.array(action, { maxLength: 24 }), (actions) => {
        const world = new World(keystores, "kmsim:ledger");
        const budget = new LatencyBudget(keystores);
        const everHeld = new Set<string>(); // deleted HSMs stay nameable, as a generated step may name one
        for (const { kind, pick } of actions) {
          const clusters = [...world.cloudhsm.clusters.values()];
          const hsms = clusters.flatMap((c) => c.hsms.map((h) => h.id));
          for (const id of hsms) everHeld.add(id);
          const named = [...everHeld];
          const hsm = pick === null ? undefined : named[pick % named.length];
          let step: Step;
          if (kind === "CreateHsm" || kind === "DeleteHsm") {
            const cluster = clusters[(pick ?? 0) % clusters.length]!;
            const input: JsonObject =
              kind === "CreateHsm"
                ? { ClusterId: cluster.id, AvailabilityZone: zones[(pick ?? 0) % zones.length]! }
                : { ClusterId: cluster.id, HsmId: cluster.hsms[(pick ?? 0) % Math.max(1, cluster.hsms.length)]?.id ?? "hsm-none" };
            const call: CallStep = { call: `cloudhsmv2:${kind}`, as: "admin", input };
            const { outcome } = world.call(call, admin);
            budget.afterStep(call, outcome, world.nowUs, 0, false);
            continue;
          }
          if (kind === "az-outage" || kind === "az-restore") step = { fault: kind, az: zones[(pick ?? 0) % zones.length]! };
          else if (kind === "heal") step = hsm === undefined ? { fault: "heal" } : { fault: "heal", hsm };
          else if (kind === "partition") step = { fault: kind, hsm: hsm!, direction: directions[(pick ?? 0) % 3]! };
          else if (kind === "slow-hsm") step = { fault: kind, hsm: hsm!, factor: 1 + ((pick ?? 0) % 4) };
          else step = { fault: kind as "hsm-crash" | "hsm-restore", hsm: hsm! };
          world.fault(step);
          budget.afterStep(step, ok(), world.nowUs, 0, false);
        }
        for (const cluster of world.cloudhsm.clusters.values()) {
          for (const h of cluster.hsms) {
            const cut = world.network.isCut(KMS_NODE, h.id) || world.network.isCut(h.id, KMS_NODE);
            expect(budget.viewOf(h.id), h.id).toMatchObject({ crashed: h.crashed, zoneDown: h.zoneDown, cut, slowFactor: h.slowFactor });
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
