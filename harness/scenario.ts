// A scenario is data: the world (accounts, principals, cluster), timing, the generator's operation
// and fault weights, latency budgets, campaign size, the probes a campaign must reach and, for a
// canary, the name of the bug planted in it. This file gives it a type and checks a parsed file field
// by field — unknown fields, bounds (harness/limits.ts) and weights that could draw no step are
// refused — naming the file and field of the first problem.
import { GENERATED_ADVANCE_MS_MAX, SETTLE_MS_MAX, STEPS_MAX, TIMING_MS_MAX } from "./limits.ts";
import { Reader, WEIGHT_MAX } from "./scenario-reader.ts";
import { readCluster, readOtherClusters } from "./world-clusters.ts";
import { FAULT_NAMES, type FaultName, type Json } from "../protocol/step.ts";
import {
  CUSTOM_KEY_STORES_PER_ACCOUNT,
  GRANTS_PER_KEY,
  type QuotaSpec,
  type TimingSpec,
  type WorldConfig,
  type WorldSpec,
} from "../sim/config.ts";
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
  "create-key-specs",
  ...STORY_NAMES,
  "lose-lineage",
  "disconnect-mid-login",
] as const;
export type MacroName = (typeof MACRO_NAMES)[number];

/** Calls every seed's swarm keeps (harness/generate.ts): without them little else can happen. */
export const SWARM_CORE_CALLS = ["CreateCustomKeyStore", "ConnectCustomKeyStore", "CreateKey", "Encrypt", "Decrypt"];

/** The kinds of coverage probe a run counts (harness/execute.ts), as `kind:detail`. */
export const PROBE_KINDS = ["call", "connection", "fault", "fault-during-call", "key", "access", "grant", "condition"];

export interface GeneratorSpec {
  advanceMsMax: number;
  callWeights: Record<string, number>;
  faultWeights: Partial<Record<FaultName, number>>;
  advanceWeight: number;
  /** Weights of the generator's operator sequences (see harness/macros.ts); none when absent. */
  macroWeights: Record<string, number>;
}

/** A scenario is also what a World is built from (WorldConfig; its `crypto` is set by the command line). */
export interface Scenario extends WorldConfig {
  name: string;
  description: string;
  world: WorldSpec;
  timing: TimingSpec;
  generator: GeneratorSpec;
  budgets: Record<string, { p99Ms: number }>;
  quotas: QuotaSpec;
  campaign: {
    seedCount: number;
    stepsDefault: number;
    /** Probes (`kind:detail`, as in a report) that a campaign of seedCount seeds must reach. */
    probesExpected: string[];
  };
  /** After a run, how long a healed world has to settle everything pending (harness/liveness.ts). */
  liveness: { settleMsMax: number };
  /**
   * A canary: the name of a planted bug that the command line switches on before running this
   * scenario, so a campaign proves it still catches one. Opaque here: the harness knows no mutant.
   */
  canary?: { mutant: string };
  /**
   * The scenario file's absolute path, when it was loaded by path rather than by a shipped name: what a
   * repro and the command that re-runs a seed name it by (cli/load.ts sets it).
   */
  file?: string;
}

/** Long enough for the longest key deletion window (30 days, spec §5.4) and all else that is pending. */
const SETTLE_MS_DEFAULT = 31 * 86_400_000;

/** Checks a parsed scenario file; `knownCalls` are the operation names the harness can run. */
export function parseScenario(doc: Json, file: string, knownCalls: readonly string[]): Scenario {
  const r = new Reader(file);
  const top = r.only(doc, "(top)", [
    ...["name", "description", "world", "timing", "generator", "budgets"],
    ...["quotas", "campaign", "liveness", "canary"],
  ]);
  const world = r.only(top["world"], "world", [
    "region",
    "account",
    "partnerAccount",
    "epochMs",
    "hsmsPerClusterMax",
    "principals",
    "cluster",
    "otherClusters",
    "uninitializedClusterIds",
  ]);
  const principalsIn = r.object(world["principals"], "world.principals");
  const principals: Record<string, PrincipalSpec> = {};
  for (const [name, p] of Object.entries(principalsIn)) {
    const o = r.only(p, `world.principals.${name}`, ["arn", "policies", "tags"]);
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
  const cluster = readCluster(r, world["cluster"], "world.cluster");
  const { otherClusters, uninitializedClusterIds } = readOtherClusters(r, world, cluster);
  const timing = r.only(top["timing"], "timing", [
    ...["connectDelayMs", "connectExchangeMs", "disconnectDelayMs", "hsmRequestTimeoutMs", "replicationDelayMs"],
    ...["grantPropagationMsMax", "clusterDeletionMs", "latency", "hsmServiceUs"],
  ]);
  const latency = r.only(timing["latency"], "timing.latency", ["latencyUsMin", "latencyUsMax", "tailPerMille", "tailUsMax"]);
  const service = r.only(timing["hsmServiceUs"], "timing.hsmServiceUs", HSM_OPS);
  const generator = r.only(top["generator"], "generator", ["advanceMsMax", "callWeights", "faultWeights", "advanceWeight", "macroWeights"]);
  const budgetsIn = r.object(top["budgets"], "budgets");
  const campaign = r.only(top["campaign"], "campaign", ["seedCount", "stepsDefault", "probesExpected"]);
  const quotas = r.only(top["quotas"], "quotas", ["storeRequestsPerSecond", "grantsPerKey", "customKeyStoresPerAccount"]);

  const scenario: Scenario = {
    name: r.string(top["name"], "name"),
    description: r.string(top["description"], "description"),
    world: {
      region: r.string(world["region"], "world.region"),
      account: r.string(world["account"], "world.account"),
      partnerAccount: r.string(world["partnerAccount"], "world.partnerAccount"),
      epochMs: r.int(world["epochMs"], "world.epochMs", 0, 253_402_300_799_999), // the end of year 9999
      hsmsPerClusterMax: r.int(world["hsmsPerClusterMax"], "world.hsmsPerClusterMax", 1, 100),
      principals,
      cluster,
      otherClusters,
      uninitializedClusterIds,
    },
    timing: {
      connectDelayMs: r.ms(timing["connectDelayMs"], "timing.connectDelayMs", 1),
      connectExchangeMs: r.ms(timing["connectExchangeMs"], "timing.connectExchangeMs", 1),
      disconnectDelayMs: r.ms(timing["disconnectDelayMs"], "timing.disconnectDelayMs", 1),
      hsmRequestTimeoutMs: r.ms(timing["hsmRequestTimeoutMs"], "timing.hsmRequestTimeoutMs", 1),
      replicationDelayMs: r.ms(timing["replicationDelayMs"], "timing.replicationDelayMs", 1),
      grantPropagationMsMax:
        timing["grantPropagationMsMax"] === undefined ? 0 : r.ms(timing["grantPropagationMsMax"], "timing.grantPropagationMsMax"),
      clusterDeletionMs: timing["clusterDeletionMs"] === undefined ? 0 : r.ms(timing["clusterDeletionMs"], "timing.clusterDeletionMs"),
      latency: {
        latencyUsMin: r.int(latency["latencyUsMin"], "timing.latency.latencyUsMin", 0, TIMING_MS_MAX),
        latencyUsMax: r.int(latency["latencyUsMax"], "timing.latency.latencyUsMax", 0, TIMING_MS_MAX),
        tailPerMille: r.int(latency["tailPerMille"], "timing.latency.tailPerMille", 0, 1000),
        tailUsMax: r.int(latency["tailUsMax"], "timing.latency.tailUsMax", 0, TIMING_MS_MAX),
      },
      hsmServiceUs: Object.fromEntries(
        HSM_OPS.map((op) => [op, r.int(service[op], `timing.hsmServiceUs.${op}`, 0, TIMING_MS_MAX)]),
      ) as Record<HsmOp, number>,
    },
    generator: {
      advanceMsMax: r.int(generator["advanceMsMax"], "generator.advanceMsMax", 1000, GENERATED_ADVANCE_MS_MAX),
      callWeights: r.weights(generator["callWeights"], "generator.callWeights", knownCalls),
      faultWeights: r.weights(generator["faultWeights"], "generator.faultWeights", FAULT_NAMES),
      advanceWeight: r.int(generator["advanceWeight"], "generator.advanceWeight", 0, WEIGHT_MAX),
      macroWeights:
        generator["macroWeights"] === undefined ? {} : r.weights(generator["macroWeights"], "generator.macroWeights", MACRO_NAMES),
    },
    budgets: Object.fromEntries(
      Object.entries(budgetsIn).map(([op, b]) => {
        if (!knownCalls.includes(op)) r.fail(`budgets.${op}`, "unknown operation");
        return [op, { p99Ms: r.ms(r.only(b, `budgets.${op}`, ["p99Ms"])["p99Ms"], `budgets.${op}.p99Ms`, 1) }];
      }),
    ),
    quotas: {
      storeRequestsPerSecond: r.int(quotas["storeRequestsPerSecond"], "quotas.storeRequestsPerSecond", 1, 1_000_000_000),
      grantsPerKey:
        quotas["grantsPerKey"] === undefined ? GRANTS_PER_KEY : r.int(quotas["grantsPerKey"], "quotas.grantsPerKey", 1, 1_000_000_000),
      customKeyStoresPerAccount:
        quotas["customKeyStoresPerAccount"] === undefined
          ? CUSTOM_KEY_STORES_PER_ACCOUNT
          : r.int(quotas["customKeyStoresPerAccount"], "quotas.customKeyStoresPerAccount", 1, 1_000_000),
    },
    campaign: {
      seedCount: r.int(campaign["seedCount"], "campaign.seedCount", 1, 2 ** 31 - 1),
      stepsDefault: r.int(campaign["stepsDefault"], "campaign.stepsDefault", 1, STEPS_MAX),
      probesExpected: probesExpected(r, campaign["probesExpected"], knownCalls),
    },
    liveness: {
      settleMsMax:
        top["liveness"] === undefined
          ? SETTLE_MS_DEFAULT
          : r.int(r.only(top["liveness"], "liveness", ["settleMsMax"])["settleMsMax"], "liveness.settleMsMax", 1, SETTLE_MS_MAX),
    },
    ...(top["canary"] === undefined
      ? {}
      : { canary: { mutant: r.string(r.only(top["canary"], "canary", ["mutant"])["mutant"], "canary.mutant") } }),
  };
  const { latencyUsMin, latencyUsMax, tailUsMax } = scenario.timing.latency;
  if (!(latencyUsMin <= latencyUsMax && latencyUsMax <= tailUsMax))
    r.fail("timing.latency", "needs latencyUsMin <= latencyUsMax <= tailUsMax");
  // A reply must be able to beat the timeout, or a slow answer would be mistaken for a lost one.
  const serviceUsMax = Math.max(...Object.values(scenario.timing.hsmServiceUs));
  if (2 * tailUsMax + serviceUsMax >= scenario.timing.hsmRequestTimeoutMs * 1000) {
    r.fail("timing.hsmRequestTimeoutMs", `must exceed the slowest round trip (${2 * tailUsMax + serviceUsMax} us)`);
  }
  for (const [i, c] of [cluster, ...otherClusters].entries())
    if (c.hsms.length > scenario.world.hsmsPerClusterMax)
      r.fail(i === 0 ? "world.cluster.hsms" : `world.otherClusters.${i - 1}.hsms`, "has more HSMs than world.hsmsPerClusterMax");
  // A login exchange tries each HSM once, each for at most one timeout, and must end before its result is published.
  if (scenario.world.hsmsPerClusterMax * scenario.timing.hsmRequestTimeoutMs >= scenario.timing.connectExchangeMs) {
    r.fail("timing.connectExchangeMs", "must exceed one request timeout per HSM (world.hsmsPerClusterMax of them)");
  }
  const g = scenario.generator;
  const alwaysKept = SWARM_CORE_CALLS.reduce((n, call) => n + (g.callWeights[call] ?? 0), g.advanceWeight);
  if (alwaysKept === 0)
    r.fail(
      "generator",
      `some seeds could draw no step: give advanceWeight or one of ${SWARM_CORE_CALLS.join(", ")} a weight above 0 (every seed keeps those)`,
    );
  for (const p of ["root", "admin", "app", "alice", "partner"])
    if (principals[p] === undefined) r.fail(`world.principals.${p}`, "is required");
  return scenario;
}

function probesExpected(r: Reader, v: Json | undefined, knownCalls: readonly string[]): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) return r.fail("campaign.probesExpected", 'must be a list of probe names such as "fault:hsm-crash"');
  return v.map((p, i) => {
    const name = r.string(p, `campaign.probesExpected.${i}`);
    const [kind, detail] = [name.slice(0, name.indexOf(":")), name.slice(name.indexOf(":") + 1)];
    if (!name.includes(":") || !PROBE_KINDS.includes(kind) || detail === "")
      r.fail(`campaign.probesExpected.${i}`, `'${name}' is not kind:detail with kind one of ${PROBE_KINDS.join(", ")}`);
    if (kind === "call" && !knownCalls.includes(detail.slice(0, detail.lastIndexOf(":"))))
      r.fail(`campaign.probesExpected.${i}`, `'${name}' names no known operation (call:Operation:ok or call:Operation:ErrorName)`);
    return name;
  });
}
