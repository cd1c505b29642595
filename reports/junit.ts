// junit.xml, for the test report views of CI systems (GitHub, GitLab, Jenkins): one test case per
// seed, a failure with its kind, first message line and the commands that bring it back; the seeds
// not run as one skipped case; a required coverage miss and the campaign-wide p90 check as cases of
// their own. A canary's failures are expected, so they pass with their story as output, and one case
// fails when its planted bug was not caught. No timestamps or hostnames, so the file is the same for
// the same campaign.
import type { CampaignReport } from "./campaign.ts";
import { canaryLines, type CanaryReport } from "./canary.ts";
import type { FailureEntry } from "./failure.ts";

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function campaignJunit(report: CampaignReport): string {
  return [...campaignJunitPieces(report)].join("");
}

/**
 * One seed's test case: passed, or its failure (a canary's expected failure passes, with its story as
 * output). `classname` is the suite's name escaped once for all the seeds.
 */
function seedCase(
  r: CampaignReport["results"][number],
  f: FailureEntry | undefined,
  classname: string,
  canary: CanaryReport | null,
): string {
  const open = `    <testcase classname="${classname}" name="seed ${r.seed}"`;
  if (f === undefined) return `${open}/>`;
  const body = [
    f.message,
    "",
    `re-run:  ${f.command}`,
    ...(f.repro === "" ? [] : [`replay:  npx kmsim replay ${f.repro}  (${f.shrunkSteps} steps; the file sits beside this report)`]),
  ].join("\n");
  const message = `${f.kind} at step ${f.step ?? "—"}: ${f.message.split("\n")[0]!.slice(0, 300)}`;
  return canary === null
    ? `${open}>\n      <failure type="${xmlEscape(f.kind)}" message="${xmlEscape(message)}">${xmlEscape(body)}</failure>\n    </testcase>`
    : `${open}>\n      <system-out>${xmlEscape(`${expectedOf(canary)}\n${message}\n\n${body}`)}</system-out>\n    </testcase>`;
}

/** What a canary's expected failures say first. */
function expectedOf(canary: CanaryReport): string {
  return `EXPECTED: a failure of the canary, which plants the bug '${canary.mutant}'.`;
}

/** The test cases of the campaign as a whole (latency, canary, seeds not run, coverage), with their counts. */
function campaignCases(report: CampaignReport, suite: string): { cases: string[]; skipped: number; extraFailures: number } {
  const cases: string[] = [];
  const { canary } = report;
  const expected = canary === null ? "" : expectedOf(canary);
  let skipped = 0;
  let extraFailures = 0;
  if (report.latencyPercentile.conditions.length > 0) {
    const open = `    <testcase classname="${xmlEscape(suite)}" name="${xmlEscape("latency: crypto calls' p90 per fault condition over the campaign")}"`;
    const messages = report.campaignFailures.map((f) => `${f.kind} (${f.check}): ${f.message}`).join("\n");
    if (messages === "") cases.push(`${open}/>`);
    else if (canary !== null)
      cases.push(`${open}>\n      <system-out>${xmlEscape(`${expected}\n${messages}`)}</system-out>\n    </testcase>`);
    else {
      extraFailures++;
      const first = report.campaignFailures[0]!;
      cases.push(
        `${open}>\n      <failure type="${xmlEscape(first.kind)}" message="${xmlEscape(first.message.slice(0, 300))}">${xmlEscape(messages)}</failure>\n    </testcase>`,
      );
    }
  }
  if (canary !== null) {
    const open = `    <testcase classname="${xmlEscape(suite)}" name="canary: the planted bug ${xmlEscape(canary.mutant)} is caught as ${xmlEscape(canary.expectedKind)}"`;
    const [what, found] = canaryLines(canary);
    if (canary.caught) cases.push(`${open}>\n      <system-out>${xmlEscape(`${what}\n${found}`)}</system-out>\n    </testcase>`);
    else {
      extraFailures++;
      cases.push(
        `${open}>\n      <failure type="canary" message="${xmlEscape(found)}">${xmlEscape(`${what}\n${found}`)}</failure>\n    </testcase>`,
      );
    }
  }
  if (!report.complete) {
    skipped++;
    const why = `stopped (${report.stopped ?? "unknown"}): ${report.notRun.count} seeds not run: ${report.notRun.seeds}`;
    cases.push(
      `    <testcase classname="${xmlEscape(suite)}" name="seeds not run">\n      <skipped message="${xmlEscape(why)}"/>\n    </testcase>`,
    );
  }
  if (report.coverage.expected.length > 0) {
    const missed = report.coverage.notReached;
    const open = `    <testcase classname="${xmlEscape(suite)}" name="coverage: expected probes reached"`;
    if (missed.length === 0) cases.push(`${open}/>`);
    else if (report.coverage.required) {
      extraFailures++;
      cases.push(`${open}>\n      <failure type="coverage" message="${xmlEscape(`not reached: ${missed.join(", ")}`)}"/>\n    </testcase>`);
    } else {
      skipped++;
      cases.push(`${open}>\n      <skipped message="${xmlEscape(`not reached (not required): ${missed.join(", ")}`)}"/>\n    </testcase>`);
    }
  }
  return { cases, skipped, extraFailures };
}

/**
 * junit.xml as a sequence of lines, each with its newline: the per-seed cases one at a time (a merged
 * night of 1,000,000 seeds has a 61 MB junit.xml), never the whole text.
 */
export function* campaignJunitPieces(report: CampaignReport): Generator<string> {
  const suite = `kmsim.${report.scenario}`;
  const { canary } = report;
  const extra = campaignCases(report, suite);
  const tests = report.results.length + extra.cases.length;
  const failed = (canary === null ? report.totals.fail : 0) + extra.extraFailures;
  const counts = `tests="${tests}" failures="${failed}" errors="0" skipped="${extra.skipped}"`;
  const head = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="kmsim" ${counts}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${counts}>`,
    `    <properties>`,
    ...[
      ["scenario", report.scenario],
      ["seeds", `${report.seeds.first}..${report.seeds.first + report.seeds.count - 1}`],
      ["shard", report.seeds.shard],
      ["stepsMax", String(report.stepsMax)],
      ["verdict", report.verdict],
      ...(canary === null ? [] : [["canary", `${canary.mutant} (${canary.caught ? "caught" : "not caught"})`]]),
    ].map(([name, value]) => `      <property name="${xmlEscape(name!)}" value="${xmlEscape(value!)}"/>`),
    `    </properties>`,
  ];
  yield `${head.join("\n")}\n`;
  const failures = new Map(report.failures.map((f) => [f.seed, f]));
  const classname = xmlEscape(suite);
  for (const r of report.results) yield `${seedCase(r, failures.get(r.seed), classname, canary)}\n`;
  for (const c of extra.cases) yield `${c}\n`;
  yield `  </testsuite>\n</testsuites>\n`;
}
