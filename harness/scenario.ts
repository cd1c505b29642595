// A scenario is data: the world (accounts, principals, cluster), timing, the generator's operation
// and fault weights, latency budgets and campaign size. This file gives it a type and checks a
// parsed file field by field, naming the file and field of the first problem.
import { InputError } from "../protocol/input-error.ts";
import { FAULT_NAMES, type FaultName, type Json } from "../protocol/step.ts";
import { GRANTS_PER_KEY, type QuotaSpec, type TimingSpec, type WorldSpec } from "../sim/config.ts";
import type { HsmSpec } from "../sim/hsm/cluster.ts";
import { HSM_OPS, type HsmOp } from "../sim/hsm/messages.ts";
import type { PrincipalSpec } from "../sim/iam/iam.ts";

/** The generator's deep stories (harness/stories.ts), macros like the others. */
export const STORY_NAMES = [
  "context-variants",
  "grant-constraints",
  "condition-presence",
  "alias-moves",
  "reencrypt-pairs",
  "cancel-deletion",
  "tag-churn",
  "catch-up",
  "alias-of-deleted-key",
] as const;
export type StoryName = (typeof STORY_NAMES)[number];

/** The generator's operator sequences, by name (built in harness/macros.ts and harness/stories.ts). */
export const MACRO_NAMES = [
  "lockout",
  "lose-cluster",
  "rotate-password",
  "restore-cluster",
  "burst",
  "delete-key",
  "orphan",
  "lost-reply",
  "deny-overlay",
  "grant-window",
  "abac",
  "conditions",
  "grant-quota",
  ...STORY_NAMES,
] as const;
export type MacroName = (typeof MACRO_NAMES)[number];

export interface GeneratorSpec {
  advanceMsMax: number;
  callWeights: Record<string, number>;
  faultWeights: Partial<Record<FaultName, number>>;
  advanceWeight: number;
  /** Weights of the generator's operator sequences (see harness/macros.ts); none when absent. */
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
  /** After a run, how long a healed world has to settle everything pending (harness/liveness.ts). */
  liveness: { settleMsMax: number };
}

/** Long enough for the longest key deletion window (30 days, spec §5.4) and all else that is pending. */
const SETTLE_MS_DEFAULT = 31 * 86_400_000;

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
    if (!/^arn:aws:iam::\d{12}:(root|role\/[\w+=,.@-]+|user\/[\w+=,.@-]+)$/.test(arn))
      r.fail(`world.principals.${name}.arn`, `not an IAM principal ARN: ${arn}`);
    const policies = o["policies"] === undefined ? undefined : r.object(o["policies"], `world.principals.${name}.policies`);
    const tagsIn = o["tags"] === undefined ? undefined : r.object(o["tags"], `world.principals.${name}.tags`);
    const tags =
      tagsIn === undefined
        ? undefined
        : Object.fromEntries(Object.entries(tagsIn).map(([k, v]) => [k, r.string(v, `world.principals.${name}.tags.${k}`)]));
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
      grantPropagationMsMax:
        timing["grantPropagationMsMax"] === undefined ? 0 : r.int(timing["grantPropagationMsMax"], "timing.grantPropagationMsMax"),
      latency: {
        latencyUsMin: r.int(latency["latencyUsMin"], "timing.latency.latencyUsMin"),
        latencyUsMax: r.int(latency["latencyUsMax"], "timing.latency.latencyUsMax"),
        tailPerMille: r.int(latency["tailPerMille"], "timing.latency.tailPerMille"),
        tailUsMax: r.int(latency["tailUsMax"], "timing.latency.tailUsMax"),
      },
      hsmServiceUs: Object.fromEntries(HSM_OPS.map((op) => [op, r.int(service[op], `timing.hsmServiceUs.${op}`)])) as Record<HsmOp, number>,
    },
    generator: {
      advanceMsMax: r.int(generator["advanceMsMax"], "generator.advanceMsMax", 1),
      callWeights: r.weights(generator["callWeights"], "generator.callWeights", knownCalls),
      faultWeights: r.weights(generator["faultWeights"], "generator.faultWeights", FAULT_NAMES),
      advanceWeight: r.int(generator["advanceWeight"], "generator.advanceWeight"),
      macroWeights:
        generator["macroWeights"] === undefined ? {} : r.weights(generator["macroWeights"], "generator.macroWeights", MACRO_NAMES),
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
    liveness: {
      settleMsMax:
        top["liveness"] === undefined
          ? SETTLE_MS_DEFAULT
          : r.int(r.object(top["liveness"], "liveness")["settleMsMax"], "liveness.settleMsMax", 1),
    },
  };
  const { latencyUsMin, latencyUsMax, tailUsMax } = scenario.timing.latency;
  if (!(latencyUsMin <= latencyUsMax && latencyUsMax <= tailUsMax))
    r.fail("timing.latency", "needs latencyUsMin <= latencyUsMax <= tailUsMax");
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
  for (const p of ["root", "admin", "app", "alice", "partner"])
    if (principals[p] === undefined) r.fail(`world.principals.${p}`, "is required");
  return scenario;
}
