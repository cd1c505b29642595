// junit.xml, for the test report views of CI systems (GitHub, GitLab, Jenkins): one test case per
// seed, a failure with its kind, first message line and the commands that bring it back; the seeds
// not run as one skipped case; a required coverage miss as a failed case. No timestamps or hostnames,
// so the file is the same for the same campaign.
import type { CampaignReport } from "./campaign.ts";

export function xmlEscape(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "").replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function campaignJunit(report: CampaignReport): string {
  const suite = `kmsim.${report.scenario}`;
  const cases: string[] = [];
  const failures = new Map(report.failures.map((f) => [f.seed, f]));
  for (const r of report.results) {
    const f = failures.get(r.seed);
    const open = `    <testcase classname="${xmlEscape(suite)}" name="seed ${r.seed}"`;
    if (f === undefined) {
      cases.push(`${open}/>`);
      continue;
    }
    const body = [
      f.message,
      "",
      `re-run:  ${f.command}`,
      ...(f.repro === "" ? [] : [`replay:  npx kmsim replay ${f.repro}  (${f.shrunkSteps} steps; the file sits beside this report)`]),
    ].join("\n");
    const message = `${f.kind} at step ${f.step ?? "—"}: ${f.message.split("\n")[0]!.slice(0, 300)}`;
    cases.push(
      `${open}>\n      <failure type="${xmlEscape(f.kind)}" message="${xmlEscape(message)}">${xmlEscape(body)}</failure>\n    </testcase>`,
    );
  }
  let skipped = 0;
  let extraFailures = 0;
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
  const tests = cases.length;
  const failed = report.totals.fail + extraFailures;
  const counts = `tests="${tests}" failures="${failed}" errors="0" skipped="${skipped}"`;
  return [
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
    ].map(([name, value]) => `      <property name="${xmlEscape(name!)}" value="${xmlEscape(value!)}"/>`),
    `    </properties>`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
