// Latency budgets per fault condition (issue 12), derived from the latency model at the top of the
// scenario (timing.latency, hsmServiceUs, hsmRequestTimeoutMs) rather than written by hand. The harness
// keeps its own ledger of the faults it applied, so it knows for each crypto call which HSMs were lost
// (cut off or too slow to answer: each costs at most one request timeout) and which reachable (each
// costs at most one round trip). Two checks: every call within the model's worst case for its
// condition (checked as it ends); and the 90th percentile of the calls that reached an HSM within the
// timeouts of the lost HSMs tried first (HsmId order) plus the slowest untailed round trip (of every HSM
// of the cluster, for a call refused with KMSInvalidStateException: it asked them all) — per run
// once enough calls were seen, and over a campaign (latency-pool.ts). Conditions: steady,
// one HSM lost, one AZ out, a partition healing (a returning or new HSM may still lack keys).
import { isCall, isFault, type Outcome, type Step } from "../protocol/step.ts";
import { slowFactorEffect } from "../sim/config.ts";
import type { HsmOp } from "../sim/hsm/messages.ts";
import { CONDITIONS, PERCENTILE, PERCENTILE_SAMPLES_MIN, type Condition, type LatencyExcess, type LatencySamples } from "./latency-pool.ts";
import type { Scenario } from "./scenario.ts";

export { campaignLatencyExceeded, CONDITIONS, PERCENTILE_SAMPLES_MIN } from "./latency-pool.ts";
export type { Condition, LatencyExcess, LatencySamples } from "./latency-pool.ts";

/** Crypto calls: the HSM operations each asks for, one request apiece (ReEncrypt opens, then seals). */
const REQUESTS: Record<string, HsmOp[]> = {
  Encrypt: ["Encrypt"],
  Decrypt: ["Decrypt"],
  GenerateDataKey: ["Encrypt"],
  GenerateDataKeyWithoutPlaintext: ["Encrypt"],
  ReEncrypt: ["Decrypt", "Encrypt"],
  GenerateRandom: ["GenerateRandom"],
};

export interface HsmView {
  id: string;
  cluster: string;
  az: string;
  crashed: boolean;
  /** Its zone went out while it existed (an HSM made in a zone that is out runs: the world's fault touches those it finds). */
  zoneDown: boolean;
  cut: boolean;
  slowFactor: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

/** The 90th percentile per condition, every crypto operation's calls pooled (each judged against its own bound). */
function percentileExceeded(samples: LatencySamples, scope: string): LatencyExcess | undefined {
  const pooled = new Map<string, number[]>();
  for (const [key, excess] of Object.entries(samples)) {
    const condition = key.slice(key.indexOf("|") + 1);
    pooled.set(condition, [...(pooled.get(condition) ?? []), ...excess]);
  }
  for (const condition of CONDITIONS) {
    const excess = pooled.get(condition) ?? [];
    if (excess.length < PERCENTILE_SAMPLES_MIN) continue;
    const over = percentile(excess, PERCENTILE);
    if (over <= 0) continue;
    return {
      check: `budget:p90:${condition}`,
      message: `crypto calls' p90 ${scope} under ${condition} is ${(over / 1000).toFixed(3)} ms over what the latency model allows (${excess.length} calls)`,
    };
  }
  return undefined;
}

export class LatencyBudget {
  private readonly hsms = new Map<string, HsmView>();
  private healingUntilUs = -1;
  /** slowFactorEffect of the scenario's timing by slow-hsm factor, worked out once per factor. */
  private readonly effects = new Map<number, ReturnType<typeof slowFactorEffect>>();
  readonly samples: LatencySamples = {};

  constructor(private readonly scenario: Scenario) {
    // Every cluster the world starts with: a store may be on any of them, and a crypto call's bound counts the HSMs it may try.
    for (const c of [scenario.world.cluster, ...scenario.world.otherClusters])
      for (const h of c.hsms)
        this.hsms.set(h.hsmId, {
          id: h.hsmId,
          cluster: c.clusterId,
          az: h.availabilityZone,
          crashed: false,
          zoneDown: false,
          cut: false,
          slowFactor: 1,
        });
  }

  /** Notes what a step did to the HSMs; for a crypto call, judges its duration. */
  afterStep(step: Step, sut: Outcome, atUs: number, durationUs: number, faultInFlight: boolean): LatencyExcess | undefined {
    const { timing } = this.scenario;
    if (isFault(step)) return void this.fault(step, atUs + timing.replicationDelayMs * 1000);
    if (!isCall(step)) return undefined;
    this.control(step.call, step.input ?? {}, sut, atUs + durationUs + timing.replicationDelayMs * 1000);
    const ops = REQUESTS[step.call];
    if (ops === undefined || faultInFlight || durationUs === 0) return undefined;
    const hsms = [...this.hsms.values()];
    const up = hsms.filter((h) => !h.crashed && !h.zoneDown);
    const late = (h: HsmView) => h.cut || this.effectOf(h.slowFactor) !== "in-time";
    // A call goes to one cluster (its key's store's): the worst case is that of the cluster that costs most.
    const perCluster = [...new Set(up.map((h) => h.cluster))].map((c) => {
      const lostHere = up.filter((h) => h.cluster === c && late(h)).length;
      return { lost: lostHere, reachable: up.filter((h) => h.cluster === c).length - lostHere };
    });
    const lost = up.filter(late).length;
    // The KMS tries a cluster's ACTIVE HSMs in HsmId order: lost ones before the first reachable cost a timeout each.
    const lostFirst = Math.max(
      0,
      ...[...new Set(up.map((h) => h.cluster))].map((c) => {
        const order = up.filter((h) => h.cluster === c).sort((a, b) => (a.id < b.id ? -1 : 1));
        const firstReachable = order.findIndex((h) => !late(h));
        return firstReachable === -1 ? order.length : firstReachable;
      }),
    );
    const factor = Math.max(1, ...up.filter((h) => !late(h)).map((h) => h.slowFactor));
    const healing = atUs < this.healingUntilUs;
    const condition: Condition = hsms.some((h) => h.zoneDown)
      ? "one AZ out"
      : lost > 0 || up.length < this.hsms.size
        ? "one HSM lost"
        : healing
          ? "partition healing"
          : "steady";
    const { latencyUsMax, tailUsMax } = timing.latency;
    const timeoutUs = timing.hsmRequestTimeoutMs * 1000;
    // Refused with KMSInvalidStateException once it had gone to the cluster: no HSM answered, or none
    // held the key material (spec §8.1, step 4), so the KMS asked every one of them in turn.
    const askedEvery = !sut.ok && sut.error.name === "KMSInvalidStateException";
    let worstUs = 0;
    let typicalUs = 0;
    /** The cluster whose HSMs would cost a request of `serviceUs` the most: each lost one a timeout, each reachable one a round trip with one-way latencies of up to `latencyUs`. */
    const costliest = (serviceUs: number, latencyUs: number): { lost: number; reachable: number; us: number } => {
      let most = { lost: 0, reachable: 0, us: 0 };
      for (const c of perCluster) {
        const us = c.lost * timeoutUs + c.reachable * (2 * latencyUs + serviceUs);
        if (us > most.us) most = { ...c, us };
      }
      return most;
    };
    let worst = costliest(0, tailUsMax);
    for (const op of ops) {
      const serviceUs = factor * timing.hsmServiceUs[op];
      worst = costliest(serviceUs, tailUsMax);
      worstUs += worst.us;
      // The first reachable HSM answers (a returning one may lack the key: one more round trip), unless
      // every one was asked.
      typicalUs += askedEvery
        ? costliest(serviceUs, latencyUsMax).us
        : lostFirst * timeoutUs + (healing ? 2 : 1) * (2 * latencyUsMax + serviceUs);
    }
    if (durationUs > worstUs) {
      return {
        check: `budget:${step.call}`,
        message: `${step.call} took ${durationUs / 1000} ms under ${condition}; the latency model allows at most ${worstUs / 1000} ms (${worst.lost} HSM(s) lost at ${timing.hsmRequestTimeoutMs} ms each, ${worst.reachable} reachable at one round trip each)`,
      };
    }
    (this.samples[`${step.call}|${condition}`] ??= []).push(durationUs - typicalUs);
    return undefined;
  }

  /** Are an HSM's replies slowed by `factor` in time, late or either (sim/config.ts slowFactorEffect)? */
  private effectOf(factor: number): ReturnType<typeof slowFactorEffect> {
    if (this.effects.has(factor)) return this.effects.get(factor);
    const effect = slowFactorEffect(this.scenario.timing, factor);
    this.effects.set(factor, effect);
    return effect;
  }

  /** The ledger's view of HSM `hsmId`, if it holds one (test/harness/latency.test.ts holds it against the world's). */
  viewOf(hsmId: string): Readonly<HsmView> | undefined {
    return this.hsms.get(hsmId);
  }

  /** The per-run percentile check, once the run is over. */
  runExceeded(): LatencyExcess | undefined {
    return percentileExceeded(this.samples, "in this run");
  }

  private fault(step: Step & { fault: string }, healedUntilUs: number): void {
    const f = step as { fault: string; hsm?: string; az?: string; factor?: number };
    const hsm = f.hsm === undefined ? undefined : this.hsms.get(f.hsm);
    switch (f.fault) {
      case "hsm-crash":
        if (hsm !== undefined) hsm.crashed = true;
        return;
      case "hsm-restore":
        if (hsm !== undefined) hsm.crashed = false;
        this.healingUntilUs = healedUntilUs;
        return;
      case "partition":
        if (hsm !== undefined) hsm.cut = true;
        return;
      case "heal":
        // As the world heals (sim/faults.ts): every link when the heal names no HSM, else that HSM's link
        // only; a named HSM the ledger no longer holds (deleted) heals nothing here.
        if (f.hsm !== undefined && hsm === undefined) return;
        for (const h of hsm === undefined ? this.hsms.values() : [hsm]) h.cut = false;
        this.healingUntilUs = healedUntilUs;
        return;
      case "az-outage":
      case "az-restore":
        for (const h of this.hsms.values()) if (h.az === f.az) h.zoneDown = f.fault === "az-outage";
        if (f.fault === "az-restore") this.healingUntilUs = healedUntilUs;
        return;
      case "slow-hsm":
        if (hsm !== undefined) hsm.slowFactor = f.factor ?? 1;
        return;
    }
  }

  /** HSMs made and deleted through the control plane. */
  private control(call: string, input: Record<string, unknown>, sut: Outcome, healedUntilUs: number): void {
    if (!sut.ok) return;
    const made = call === "cloudhsmv2:CreateHsm" ? sut.output["Hsm"] : undefined; // read only from CreateHsm's answers
    if (typeof made === "object" && made !== null && !Array.isArray(made)) {
      const id = made["HsmId"];
      const az = made["AvailabilityZone"];
      this.healingUntilUs = healedUntilUs; // a new HSM catches up by replication
      if (typeof id === "string")
        this.hsms.set(id, {
          id,
          cluster: String(made["ClusterId"]),
          az: typeof az === "string" ? az : "",
          crashed: false,
          zoneDown: false,
          cut: false,
          slowFactor: 1,
        });
    }
    if (call === "cloudhsmv2:DeleteHsm" && typeof input["HsmId"] === "string") this.hsms.delete(input["HsmId"]);
  }
}
