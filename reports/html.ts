// index.html: the campaign on one self-contained page (no scripts, styles inline, nothing fetched),
// Jepsen-style: the verdict first, and a canary's expected failures said plainly; each failure group
// with its smallest repro — shrunk steps, both sides' answers at the failing step, its faults on a
// timeline of virtual time; latency histograms per operation and the p90 per fault condition; how deep
// each operation's calls went, with the documented errors never answered; the probe table with what
// was expected and missed highlighted.
import { canaryLines } from "./canary.ts";
import { answeredList, depthRows, NEVER_ANSWERED_LEGEND, neverAnsweredTotal, percent } from "./depth.ts";
import { BUCKET_EDGES_US, percentileVerdict, type LatencyStats } from "./latency.ts";
import type { CampaignReport } from "./campaign.ts";
import type { FailureEntry } from "./failure.ts";
import { verdictLine } from "./verdict.ts";

export function esc(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em;color:#222}
h1{font-size:1.6em}.verdict{padding:.6em 1em;border-radius:6px;font-weight:600;font-size:1.2em}
.pass{background:#e3f6e5;color:#145a1c}.fail{background:#fde4e4;color:#8a1010}.incomplete{background:#fff4d6;color:#6b4d00}
pre,code{font:12px/1.4 ui-monospace,monospace;background:#f5f5f5}pre{padding:.6em;overflow-x:auto;white-space:pre-wrap}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}
tr.miss td{background:#fde4e4;font-weight:600}section.group{border:1px solid #ddd;border-radius:6px;padding:0 1em 1em;margin:1em 0}
.muted{color:#666}svg text{font:11px system-ui,sans-serif}`;

function timeline(f: FailureEntry): string {
  if (f.timeline.length === 0) return `<p class="muted">No faults or pauses in the shrunk run.</p>`;
  const endMs = Math.max(1, ...f.timeline.map((t) => t.atMs));
  const rowPx = 18;
  const rows = f.timeline.map((t, k) => {
    const x = 10 + Math.round((t.atMs / endMs) * 380);
    const y = 14 + k * rowPx;
    const colour = t.what.endsWith("✗") ? "#c00" : t.what.startsWith("fault") ? "#d2691e" : "#888";
    return `<circle cx="${x}" cy="${y - 4}" r="5" fill="${colour}"/><text x="410" y="${y}">${esc(`step ${t.i} · ${t.atMs} ms · ${t.what}`)}</text>`;
  });
  const h = 10 + f.timeline.length * rowPx;
  return `<svg role="img" aria-label="fault timeline of seed ${f.seed}" width="900" height="${h}"><line x1="10" y1="0" x2="10" y2="${h}" stroke="#ccc"/><line x1="390" y1="0" x2="390" y2="${h}" stroke="#ccc"/>${rows.join("")}</svg>`;
}

function failureDetail(f: FailureEntry): string {
  const at = f.atFailure;
  const sides =
    at === null
      ? `<p>${esc(f.message)}</p>`
      : `<p><b>At step ${f.shrunkStep ?? "—"} of the shrunk list</b> (${esc(JSON.stringify(at.step))}):</p><p>virtual KMS answered</p><pre>${esc(JSON.stringify(at.sut, null, 2))}</pre><p>the model allows</p><pre>${esc(at.model.map((m) => JSON.stringify(m, null, 2)).join("\nor\n"))}</pre>`;
  const steps =
    f.steps.length === 0
      ? ""
      : `<details><summary>Shrunk steps (${f.steps.length})</summary><ol start="0">${f.steps.map((s) => `<li><code>${esc(JSON.stringify(s))}</code></li>`).join("")}</ol></details>`;
  return `<p>Re-run the seed: <code>${esc(f.command)}</code></p>${f.repro === "" ? "" : `<p>Replay the shrunk list: <code>npx kmsim replay ${esc(f.repro)}</code> (<a href="${esc(f.repro)}">${esc(f.repro)}</a>, beside this page)</p>`}<details open><summary>What failed</summary><p>The seed's run, at step ${f.step ?? "—"}:</p><pre>${esc(f.message)}</pre>${f.shrunkMessage === f.message ? "" : `<p>The shrunk list, at step ${f.shrunkStep ?? "—"}:</p><pre>${esc(f.shrunkMessage)}</pre>`}</details>${sides}${steps}<h4>Faults and pauses on the virtual clock</h4>${timeline(f)}`;
}

function histogramSvg(op: string, s: LatencyStats): string {
  const present = Object.keys(s.buckets).map(Number);
  const lo = BUCKET_EDGES_US.indexOf(Math.min(...present));
  const hi = BUCKET_EDGES_US.indexOf(Math.max(...present));
  const edges = BUCKET_EDGES_US.slice(lo, hi + 1);
  const peak = Math.max(...Object.values(s.buckets));
  const barPx = Math.max(3, Math.min(24, Math.floor(360 / edges.length)));
  const bars = edges.map((edge, k) => {
    const n = s.buckets[String(edge)] ?? 0;
    const h = Math.round((n / peak) * 80);
    return `<rect x="${k * barPx}" y="${90 - h}" width="${barPx - 1}" height="${h}" fill="#4a7ab5"><title>≤ ${edge / 1000} ms: ${n} calls</title></rect>`;
  });
  const first = edges[0]! / 1000;
  const last = edges[edges.length - 1]! / 1000;
  return `<svg role="img" aria-label="latency histogram of ${esc(op)}" width="${edges.length * barPx + 120}" height="105">${bars.join("")}<text x="0" y="103">≤${first} ms</text><text x="${Math.max(60, (edges.length - 1) * barPx - 20)}" y="103">≤${last} ms</text></svg>`;
}

export function campaignHtml(report: CampaignReport): string {
  const byseed = new Map(report.failures.map((f) => [f.seed, f]));
  const groups = report.groups.map((g, k) => {
    const f = byseed.get(g.smallest.seed);
    const others = g.seeds.filter((s) => s !== g.smallest.seed);
    return `<section class="group"><h3>${k + 1}. ${esc(g.kind)} · ${esc(g.operation ?? "—")} — ${g.count} seed${g.count === 1 ? "" : "s"}</h3><p class="muted">${esc(g.signature)}</p><p>Smallest repro: seed ${g.smallest.seed}, ${g.smallest.shrunkSteps} steps.${others.length > 0 ? ` Also seeds ${others.slice(0, 50).join(", ")}${others.length > 50 ? ", …" : ""}.` : ""}</p>${f === undefined ? "" : failureDetail(f)}</section>`;
  });
  const expected = new Set(report.coverage.expected);
  const missed = report.coverage.notReached.map(
    (p) => `<tr class="miss"><td><code>${esc(p)}</code></td><td>0</td><td>expected, not reached</td></tr>`,
  );
  const probes = Object.entries(report.probes).map(
    ([p, n]) => `<tr><td><code>${esc(p)}</code></td><td>${n}</td><td>${expected.has(p) ? "expected" : ""}</td></tr>`,
  );
  const latency = Object.entries(report.latency).map(
    ([op, s]) =>
      `<tr><td>${esc(op)}</td><td>${s.calls}</td><td>${s.meanMs}</td><td>${s.p50MsMax}</td><td>${s.p90MsMax}</td><td>${s.p99MsMax}</td><td>${s.maxUs / 1000}</td><td>${histogramSvg(op, s)}</td></tr>`,
  );
  const percentiles = report.latencyPercentile.conditions.map(
    (r) =>
      `<tr${r.exceeded ? ' class="miss"' : ""}><td>${esc(r.condition)}</td><td>${r.calls}</td><td>${r.over}</td><td>${r.p90OverMsMax}</td><td>${esc(percentileVerdict(r))}</td><td>${esc(r.operations.map((o) => `${o.operation} ${o.over}/${o.calls}`).join(", "))}</td></tr>`,
  );
  const depth = depthRows(report.probes);
  const depthTable = depth.map(
    (r) =>
      `<tr><td>${esc(r.operation)}</td><td>${r.calls}</td><td>${percent(r.ok, r.calls)}</td><td>${percent(r.deep, r.calls)}</td><td>${percent(r.denied, r.calls)}</td><td>${esc(answeredList(r))}</td><td>${esc(r.neverAnswered.join(", "))}</td></tr>`,
  );
  const { seeds, run } = report;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kmsim ${esc(report.verdict.toUpperCase())} — ${esc(report.scenario)}</title><style>${STYLE}</style></head>
<body>
<h1>kmsim campaign — scenario <code>${esc(report.scenario)}</code></h1>
<p id="verdict" class="verdict ${report.verdict}">${esc(verdictLine(report))}</p>
${
  report.canary === null
    ? ""
    : `<div id="canary" class="verdict incomplete">${canaryLines(report.canary)
        .map((l) => `<p>${esc(l)}</p>`)
        .join("")}</div>`
}
<p>Seeds ${seeds.first}–${seeds.first + seeds.count - 1} (shard ${esc(seeds.shard)}), up to ${report.stepsMax} generated steps each; ${report.totals.steps} steps run; ${report.totals.rechecked} seeds run twice to check determinism.</p>
<p class="muted">kmsim ${esc(run.kmsimVersion)}${run.gitCommit === null ? "" : ` (${esc(run.gitCommit.slice(0, 12))})`} on Node ${esc(run.node)} · ${esc(run.command)}</p>
${report.complete ? "" : `<p class="verdict incomplete">Not run (${report.notRun.count}): ${esc(report.notRun.seeds)}</p>`}
${report.campaignFailures.length === 0 ? "" : `<h2>Campaign-wide failures</h2>\n${report.campaignFailures.map((f) => `<section class="group"><h3>${esc(f.kind)} · ${esc(f.check)}</h3><pre>${esc(f.message)}</pre></section>`).join("\n")}`}
<h2>Failure groups (${report.groups.length})</h2>
${groups.length === 0 ? "<p>No failures.</p>" : groups.join("\n")}
<h2>Latency per operation (virtual clock)</h2>
<table><tr><th>operation</th><th>calls</th><th>mean ms</th><th>p50 ≤ ms</th><th>p90 ≤ ms</th><th>p99 ≤ ms</th><th>max ms</th><th>histogram</th></tr>
${latency.join("\n")}</table>
<h2>Crypto calls' p90 per fault condition over the campaign</h2>
<p>Budget: the p90 call within the latency model's typical time for it (so at most 10% of calls over).</p>
<table><tr><th>condition</th><th>calls</th><th>over</th><th>p90 over ≤ ms</th><th>verdict</th><th>by operation (over of calls)</th></tr>
${percentiles.join("\n")}</table>
<h2>Depth per operation</h2>
<p>Deep: the call got past identification and validation into authorization, state and crypto. ${esc(NEVER_ANSWERED_LEGEND.join(" "))} In all: ${neverAnsweredTotal(depth)}.</p>
<table><tr><th>operation</th><th>calls</th><th>ok</th><th>deep</th><th>denied</th><th>errors answered</th><th>documented, never answered</th></tr>
${depthTable.join("\n")}</table>
<h2>Coverage probes</h2>
<p>${report.coverage.notReached.length === 0 ? `Every expected probe (${report.coverage.expected.length}) was reached.` : `${report.coverage.notReached.length} of ${report.coverage.expected.length} expected probes were not reached${report.coverage.required ? " (required: the campaign fails)" : ""}.`}</p>
<table><tr><th>probe</th><th>count</th><th></th></tr>
${[...missed, ...probes].join("\n")}</table>
</body></html>
`;
}
