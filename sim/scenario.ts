// A scenario is data: the world (accounts, principals, cluster), timing, the generator's operation
// and fault weights, latency budgets and campaign size. This file gives it a type and checks a
// parsed file field by field, naming the file and field of the first problem.
import type { HsmSpec } from "./hsm/cluster.ts";
import { HSM_OPS, type HsmOp } from "./hsm/messages.ts";
import { InputError } from "./input-error.ts";
import type { LatencyOptions } from "./kernel/network.ts";
import type { PrincipalSpec } from "./iam/iam.ts";
import { MACRO_NAMES } from "./runner/macros.ts";
import { FAULT_NAMES, type FaultName, type Json } from "./step.ts";

export interface ClusterSpec {
  clusterId: string;
  trustAnchor: string;
  kmsuserPassword: string;
  hsms: HsmSpec[];
}

export interface WorldSpec {
  region: string;
  account: string;
  partnerAccount: string;
  epochMs: number;
  /** Most HSMs one cluster may have. */
  hsmsPerClusterMax: number;
  principals: Record<string, PrincipalSpec>;
  cluster: ClusterSpec;
}

export interface TimingSpec {
  connectDelayMs: number;
  connectExchangeMs: number;
  disconnectDelayMs: number;
  hsmRequestTimeoutMs: number;
  /** How long after a key object is made, or an HSM comes up, the cluster replicates key objects. */
  replicationDelayMs: number;
  /**
   * Longest time a new grant takes to authorize without its token, and a retired or revoked one to
   * stop authorizing (spec §12): each draws its delay in 0..this. 0 (the default) is immediate.
   */
  grantPropagationMsMax: number;
  latency: LatencyOptions;
  hsmServiceUs: Record<HsmOp, number>;
}

/**
 * What a `slow-hsm` factor does to an HSM's replies under `timing`: "in-time" when every reply still
 * beats the request timeout, "late" when none can, undefined when it would depend on the latency drawn
 * (the model could not tell which, so no step may ask for such a factor).
 */
export function slowFactorEffect(timing: TimingSpec, factor: number): "in-time" | "late" | undefined {
  const timeoutUs = timing.hsmRequestTimeoutMs * 1000;
  const services = Object.values(timing.hsmServiceUs);
  if (2 * timing.latency.tailUsMax + factor * Math.max(...services) < timeoutUs) return "in-time";
  if (2 * timing.latency.latencyUsMin + factor * Math.min(...services) > timeoutUs) return "late";
  return undefined;
}

/** The smallest `slow-hsm` factor whose replies are all late (see `slowFactorEffect`). */
export function lateFactorMin(timing: TimingSpec): number {
  let factor = 1;
  while (slowFactorEffect(timing, factor) !== "late") factor += 1;
  return factor;
}

export interface QuotaSpec {
  /** Crypto requests per second one custom key store takes (spec §11.2: 1,800; lower it to exercise it). */
  storeRequestsPerSecond: number;
  /** Grants one key may have (spec §11.1: 50,000; lower it to exercise it). Optional in a file. */
  grantsPerKey: number;
}

/** Spec §11.1: grants per KMS key. */
const GRANTS_PER_KEY = 50_000;

export interface GeneratorSpec {
  stepsMin: number;
  stepsMax: number;
  advanceMsMax: number;
  callWeights: Record<string, number>;
  faultWeights: Partial<Record<FaultName, number>>;
  advanceWeight: number;
  /** Weights of the generator's operator sequences (see sim/runner/generate.ts); none when absent. */
  macroWeights: Record<string, number>;
}

export interface Scenario {
  name: string;
  description: string;
  world: WorldSpec;
  timing: TimingSpec;
  generator: GeneratorSpec;
  budgets: Record<string, { p99Ms: number }>;
  quotas: QuotaSpec;
  campaign: { seedCount: number; stepsDefault: number };
}

class Reader {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new InputError(`${this.file}: ${path}: ${problem}`);
  }

  object(v: Json | undefined, path: string): Record<string, Json> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(path, "must be an object");
    return v;
  }

  string(v: Json | undefined, path: string): string {
    if (typeof v !== "string" || v === "") this.fail(path, "must be a non-empty string");
    return v;
  }

  int(v: Json | undefined, path: string, min = 0): number {
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) this.fail(path, `must be an integer >= ${min}`);
    return v;
  }

  weights(v: Json | undefined, path: string, allowed?: readonly string[]): Record<string, number> {
    const o = this.object(v, path);
    const out: Record<string, number> = {};
    for (const [k, w] of Object.entries(o)) {
      if (allowed !== undefined && !allowed.includes(k)) this.fail(`${path}.${k}`, `unknown name (known: ${allowed.join(", ")})`);
      out[k] = this.int(w, `${path}.${k}`);
    }
    return out;
  }
}

/** Checks a parsed scenario file; `knownCalls` are the operation names the harness can run. */
export function parseScenario(doc: Json, file: string, knownCalls: readonly string[]): Scenario {
  const r = new Reader(file);
  const top = r.object(doc, "(top)");
  const world = r.object(top["world"], "world");
  const principalsIn = r.object(world["principals"], "world.principals");
  const principals: Record<string, PrincipalSpec> = {};
  for (const [name, p] of Object.entries(principalsIn)) {
    const o = r.object(p, `world.principals.${name}`);
    const arn = r.string(o["arn"], `world.principals.${name}.arn`);
    if (!/^arn:aws:iam::\d{12}:(root|role\/[\w+=,.@-]+|user\/[\w+=,.@-]+)$/.test(arn)) r.fail(`world.principals.${name}.arn`, `not an IAM principal ARN: ${arn}`);
    const policies = o["policies"] === undefined ? undefined : r.object(o["policies"], `world.principals.${name}.policies`);
    const tagsIn = o["tags"] === undefined ? undefined : r.object(o["tags"], `world.principals.${name}.tags`);
    const tags = tagsIn === undefined ? undefined : Object.fromEntries(Object.entries(tagsIn).map(([k, v]) => [k, r.string(v, `world.principals.${name}.tags.${k}`)]));
    principals[name] = { arn, ...(policies !== undefined ? { policies } : {}), ...(tags !== undefined ? { tags } : {}) };
  }
  const cluster = r.object(world["cluster"], "world.cluster");
  const hsmsRaw = cluster["hsms"];
  const hsmsIn = Array.isArray(hsmsRaw) && hsmsRaw.length > 0 ? hsmsRaw : r.fail("world.cluster.hsms", "must be a non-empty list");
  const hsms: HsmSpec[] = hsmsIn.map((h, i) => {
    const o = r.object(h, `world.cluster.hsms.${i}`);
    return {
      hsmId: r.string(o["hsmId"], `world.cluster.hsms.${i}.hsmId`),
      availabilityZone: r.string(o["availabilityZone"], `world.cluster.hsms.${i}.availabilityZone`),
      subnetId: r.string(o["subnetId"], `world.cluster.hsms.${i}.subnetId`),
    };
  });
  const timing = r.object(top["timing"], "timing");
  const latency = r.object(timing["latency"], "timing.latency");
  const service = r.object(timing["hsmServiceUs"], "timing.hsmServiceUs");
  const generator = r.object(top["generator"], "generator");
  const budgetsIn = r.object(top["budgets"], "budgets");
  const campaign = r.object(top["campaign"], "campaign");
  const quotas = r.object(top["quotas"], "quotas");

  const scenario: Scenario = {
    name: r.string(top["name"], "name"),
    description: r.string(top["description"], "description"),
    world: {
      region: r.string(world["region"], "world.region"),
      account: r.string(world["account"], "world.account"),
      partnerAccount: r.string(world["partnerAccount"], "world.partnerAccount"),
      epochMs: r.int(world["epochMs"], "world.epochMs"),
      hsmsPerClusterMax: r.int(world["hsmsPerClusterMax"], "world.hsmsPerClusterMax", 1),
      principals,
      cluster: {
        clusterId: r.string(cluster["clusterId"], "world.cluster.clusterId"),
        trustAnchor: r.string(cluster["trustAnchor"], "world.cluster.trustAnchor"),
        kmsuserPassword: r.string(cluster["kmsuserPassword"], "world.cluster.kmsuserPassword"),
        hsms,
      },
    },
    timing: {
      connectDelayMs: r.int(timing["connectDelayMs"], "timing.connectDelayMs", 1),
      connectExchangeMs: r.int(timing["connectExchangeMs"], "timing.connectExchangeMs", 1),
      disconnectDelayMs: r.int(timing["disconnectDelayMs"], "timing.disconnectDelayMs", 1),
      hsmRequestTimeoutMs: r.int(timing["hsmRequestTimeoutMs"], "timing.hsmRequestTimeoutMs", 1),
      replicationDelayMs: r.int(timing["replicationDelayMs"], "timing.replicationDelayMs", 1),
      grantPropagationMsMax: timing["grantPropagationMsMax"] === undefined ? 0 : r.int(timing["grantPropagationMsMax"], "timing.grantPropagationMsMax"),
      latency: {
        latencyUsMin: r.int(latency["latencyUsMin"], "timing.latency.latencyUsMin"),
        latencyUsMax: r.int(latency["latencyUsMax"], "timing.latency.latencyUsMax"),
        tailPerMille: r.int(latency["tailPerMille"], "timing.latency.tailPerMille"),
        tailUsMax: r.int(latency["tailUsMax"], "timing.latency.tailUsMax"),
      },
      hsmServiceUs: Object.fromEntries(HSM_OPS.map((op) => [op, r.int(service[op], `timing.hsmServiceUs.${op}`)])) as Record<HsmOp, number>,
    },
    generator: {
      stepsMin: r.int(generator["stepsMin"], "generator.stepsMin", 1),
      stepsMax: r.int(generator["stepsMax"], "generator.stepsMax", 1),
      advanceMsMax: r.int(generator["advanceMsMax"], "generator.advanceMsMax", 1),
      callWeights: r.weights(generator["callWeights"], "generator.callWeights", knownCalls),
      faultWeights: r.weights(generator["faultWeights"], "generator.faultWeights", FAULT_NAMES),
      advanceWeight: r.int(generator["advanceWeight"], "generator.advanceWeight"),
      macroWeights: generator["macroWeights"] === undefined ? {} : r.weights(generator["macroWeights"], "generator.macroWeights", MACRO_NAMES),
    },
    budgets: Object.fromEntries(
      Object.entries(budgetsIn).map(([op, b]) => {
        if (!knownCalls.includes(op)) r.fail(`budgets.${op}`, "unknown operation");
        return [op, { p99Ms: r.int(r.object(b, `budgets.${op}`)["p99Ms"], `budgets.${op}.p99Ms`, 1) }];
      }),
    ),
    quotas: {
      storeRequestsPerSecond: r.int(quotas["storeRequestsPerSecond"], "quotas.storeRequestsPerSecond", 1),
      grantsPerKey: quotas["grantsPerKey"] === undefined ? GRANTS_PER_KEY : r.int(quotas["grantsPerKey"], "quotas.grantsPerKey", 1),
    },
    campaign: {
      seedCount: r.int(campaign["seedCount"], "campaign.seedCount", 1),
      stepsDefault: r.int(campaign["stepsDefault"], "campaign.stepsDefault", 1),
    },
  };
  if (scenario.generator.stepsMin > scenario.generator.stepsMax) r.fail("generator.stepsMin", "must not exceed generator.stepsMax");
  const { latencyUsMin, latencyUsMax, tailUsMax } = scenario.timing.latency;
  if (!(latencyUsMin <= latencyUsMax && latencyUsMax <= tailUsMax)) r.fail("timing.latency", "needs latencyUsMin <= latencyUsMax <= tailUsMax");
  // A reply must be able to beat the timeout, or a slow answer would be mistaken for a lost one.
  const serviceUsMax = Math.max(...Object.values(scenario.timing.hsmServiceUs));
  if (2 * tailUsMax + serviceUsMax >= scenario.timing.hsmRequestTimeoutMs * 1000) {
    r.fail("timing.hsmRequestTimeoutMs", `must exceed the slowest round trip (${2 * tailUsMax + serviceUsMax} us)`);
  }
  if (hsms.length > scenario.world.hsmsPerClusterMax) r.fail("world.cluster.hsms", "has more HSMs than world.hsmsPerClusterMax");
  // A login exchange tries each HSM once, each for at most one timeout, and must end before its result is published.
  if (scenario.world.hsmsPerClusterMax * scenario.timing.hsmRequestTimeoutMs >= scenario.timing.connectExchangeMs) {
    r.fail("timing.connectExchangeMs", "must exceed one request timeout per HSM (world.hsmsPerClusterMax of them)");
  }
  for (const p of ["root", "admin", "app", "alice", "partner"]) if (principals[p] === undefined) r.fail(`world.principals.${p}`, "is required");
  return scenario;
}
