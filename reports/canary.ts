// A canary campaign (issue 14 item 11): its scenario plants a named bug from the mutant catalogue, so
// its failures are EXPECTED — they prove the harness still sees a bug end to end. Its verdict is
// inverted: it passes when a seed (or the campaign-wide latency check) fails with the kind that bug is
// caught by, and fails when none does, because then the harness has gone blind. Every report says so.
import type { FailureEntry } from "./failure.ts";

/** The bug a canary scenario plants: its catalogue name, what it does, and the failure kind that catches it. */
export interface CanarySpec {
  mutant: string;
  description: string;
  expectedKind: string;
}

export interface CanaryReport extends CanarySpec {
  caught: boolean;
  /** The first failure of the expected kind: its seed (null for the campaign-wide check) and the check that fired. */
  caughtBy: { seed: number | null; check: string | null } | null;
}

/** A failure of the whole campaign rather than of one seed (the campaign-wide latency percentile). */
export interface CampaignFailure {
  kind: string;
  check: string;
  message: string;
}

export function canaryReport(
  spec: CanarySpec,
  failures: readonly FailureEntry[],
  campaignFailures: readonly CampaignFailure[],
): CanaryReport {
  const seed = failures.find((f) => f.kind === spec.expectedKind);
  const campaign = campaignFailures.find((f) => f.kind === spec.expectedKind);
  const caughtBy =
    seed !== undefined ? { seed: seed.seed, check: null } : campaign !== undefined ? { seed: null, check: campaign.check } : null;
  return { ...spec, caught: caughtBy !== null, caughtBy };
}

/** Two plain lines for every report: what the canary plants and that its failures are expected; then what was found. */
export function canaryLines(canary: CanaryReport): [string, string] {
  const what = `CANARY: this scenario plants the bug '${canary.mutant}' (${canary.description}); its failures are EXPECTED.`;
  if (!canary.caught)
    return [
      what,
      `NOT CAUGHT: no failure of kind ${canary.expectedKind} — the harness has gone blind: it no longer catches a bug it must.`,
    ];
  const by = canary.caughtBy?.seed != null ? `seed ${canary.caughtBy.seed}` : `the campaign's ${canary.caughtBy?.check ?? "check"}`;
  return [what, `Caught as ${canary.expectedKind} (first by ${by}): the harness still sees a planted bug.`];
}
