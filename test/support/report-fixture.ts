// A campaign report made from real runs, without a campaign: passing and failing Step lists run
// through the executor and dressed as seed results (a failing list as its own shrunk list), then
// summarized and assembled by the same code `kmsim fuzz` uses. For the report writers' tests.
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import { worldSeed, type SeedResult } from "../../harness/seed.ts";
import { isCall, type Step } from "../../protocol/step.ts";
import { addSummary, assembleReport, emptyParts, summarizeSeed, type CampaignReport, type CampaignSpec } from "../../reports/campaign.ts";

const scenario = loadScenario("default");

const PASSING: Step[] = [
  { call: "CreateKey", as: "admin", save: "k1", input: { Description: "fixture" } },
  { call: "Encrypt", as: "admin", input: { KeyId: "${k1.KeyMetadata.KeyId}", Plaintext: "aGVsbG8=" } },
  { fault: "hsm-crash", hsm: "${world.hsms.0}" },
  { advance: 40 },
];

/** The script expects an Encrypt by `app` to succeed; the default key policy denies it. */
const FAILING: Step[] = [
  { call: "CreateKey", as: "admin", save: "k1", input: { Description: "default key policy" } },
  { fault: "partition", hsm: "${world.hsms.1}" },
  { advance: 25 },
  { call: "Encrypt", as: "app", input: { KeyId: "${k1.KeyMetadata.KeyId}", Plaintext: "aGVsbG8=" }, expect: { ok: true } },
];

export function seedResult(seed: number, steps: Step[]): SeedResult {
  const run = executeSteps(scenario, worldSeed(seed), steps);
  const durationsUs: Record<string, number[]> = {};
  for (const r of run.records) if (isCall(r.step)) (durationsUs[r.step.call] ??= []).push(r.durationUs);
  return {
    seed,
    scenario: "default",
    swarm: {
      callWeights: {},
      faultWeights: {} as SeedResult["swarm"]["faultWeights"],
      advanceWeight: 1,
      macroWeights: {},
      malformed: false,
    },
    verdict: run.verdict,
    kind: run.failure?.kind ?? null,
    steps: steps.length,
    traceHash: run.traceHash,
    ...(run.failure !== undefined ? { failure: run.failure } : {}),
    probes: run.probes,
    durationsUs,
    latency: run.latency,
    ...(run.failure !== undefined
      ? { shrunk: { steps, failure: run.failure, records: run.records, fastCheck: { seed, path: "0", shrinks: 0 } } }
      : {}),
  };
}

export const SPEC: CampaignSpec = {
  scenario: "default",
  first: 1,
  count: 6,
  shard: { index: 0, count: 1 },
  stepsMax: 60,
  recheckPercent: 5,
  probesExpected: ["call:CreateKey:ok", "fault:hsm-crash", "fault:az-outage"],
  requireCoverage: false,
};

/** Seeds 1..6 of which 2 and 5 fail alike (one group); `seeds` picks a subset (an incomplete run). */
export function fixtureReport(seeds = [1, 2, 3, 4, 5, 6], spec: CampaignSpec = SPEC): CampaignReport {
  const summaries = seeds.map((seed) => {
    const failing = seed === 2 || seed === 5;
    const result = seedResult(seed, failing ? FAILING : PASSING);
    return summarizeSeed(result, spec.stepsMax, failing ? `repro-default-${seed}.json` : "", seed === 3);
  });
  const run = {
    kmsimVersion: "0.1.0",
    gitCommit: null,
    node: "v20",
    command: "kmsim fuzz",
    wallMs: 1000,
    stepsPerSecond: 0,
    workers: 1,
    resumed: false,
    mergedReports: 0,
  };
  const parts = emptyParts();
  for (const summary of summaries) addSummary(parts, summary);
  return assembleReport(spec, parts, seeds.length < spec.count ? "interrupted" : null, run);
}
