// How deep a campaign's calls went, per operation (issue 12): of its calls, how many succeeded, and how
// many got past identification and validation (an unknown key, store, alias, marker or token, a
// malformed input) into authorization, state and crypto — read from the campaign's `call:<Op>:<answer>`
// probes, so the report keeps one source. A generator whose calls mostly end shallow misses the bugs
// behind the deep paths. Beside each row, the errors AWS documents for the operation that no call was
// answered with (reports/documented-errors.ts).
import { NOT_SIMULATED, neverAnswered } from "./documented-errors.ts";

/** Answers that end a call before it reaches authorization, state or crypto (spec §16's first checks). */
export const SHALLOW_ERRORS = new Set([
  "ValidationException",
  "NotFoundException",
  "InvalidArnException",
  "InvalidAliasNameException",
  "InvalidMarkerException",
  "InvalidGrantTokenException",
  "InvalidGrantIdException",
  "MalformedPolicyDocumentException",
  "TagException",
  "CustomKeyStoreNotFoundException",
  "CloudHsmClusterNotFoundException",
  "InvalidParameterValue",
  "CloudHsmResourceNotFoundException",
  "CloudHsmInvalidRequestException",
  "NoSuchEntity",
  "MalformedPolicyDocument",
]);
const DENIED = new Set(["AccessDeniedException", "AccessDenied", "CloudHsmAccessDeniedException"]);

export interface DepthRow {
  operation: string;
  calls: number;
  ok: number;
  /** Past identification and validation: succeeded, denied, or refused for state or crypto. */
  deep: number;
  denied: number;
  /** Each error answered, with its count. */
  errors: Record<string, number>;
  /** The errors AWS documents for the operation that no call was answered with (reports/documented-errors.ts). */
  neverAnswered: string[];
}

/** One row per operation from a campaign's probes, by operation name. */
export function depthRows(probes: Record<string, number>): DepthRow[] {
  const rows = new Map<string, DepthRow>();
  for (const [probe, n] of Object.entries(probes)) {
    const m = /^call:(.+):([^:]+)$/.exec(probe);
    if (m === null) continue;
    const [, operation, answer] = m as unknown as [string, string, string];
    const row = rows.get(operation) ?? { operation, calls: 0, ok: 0, deep: 0, denied: 0, errors: {}, neverAnswered: [] };
    rows.set(operation, row);
    row.calls += n;
    if (answer === "ok") row.ok += n;
    else row.errors[answer] = n;
    if (!SHALLOW_ERRORS.has(answer)) row.deep += n;
    if (DENIED.has(answer)) row.denied += n;
  }
  for (const row of rows.values()) row.neverAnswered = neverAnswered(row.operation, row.errors);
  return [...rows.values()].sort((a, b) => (a.operation < b.operation ? -1 : 1));
}

export const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((100 * part) / whole)}%`);

/** The errors answered, by name, with their counts: `AccessDeniedException 1, DisabledException 2`. */
export const answeredList = (row: DepthRow): string =>
  Object.entries(row.errors)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, n]) => `${name} ${n}`)
    .join(", ");

/** How the never-answered column is read, in two sentences (the features set aside on a line of their own). */
export const NEVER_ANSWERED_LEGEND = [
  "Never answered: errors AWS documents for the operation that none of its calls was answered with;",
  "errors of what kmsim does not simulate are set aside:",
  `${[...new Set(NOT_SIMULATED.map((n) => n.feature))].join(", ")}.`,
];

/** The per-operation depth table, in Markdown. */
export function depthMarkdown(probes: Record<string, number>): string[] {
  const rows = depthRows(probes);
  if (rows.length === 0) return [];
  const lines = [
    "## Depth per operation",
    "",
    "Deep: the call got past identification and validation into authorization, state and crypto.",
    ...NEVER_ANSWERED_LEGEND,
    "",
    "| operation | calls | ok | deep | denied | errors answered | documented, never answered |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.operation} | ${r.calls} | ${percent(r.ok, r.calls)} | ${percent(r.deep, r.calls)} | ${percent(r.denied, r.calls)} | ${answeredList(r) || "—"} | ${r.neverAnswered.join(", ") || "—"} |`,
    );
  }
  lines.push("", `Documented errors never answered: ${neverAnsweredTotal(rows)}.`, "");
  return lines;
}

/** How many documented errors, summed over the operations, no call was answered with. */
export const neverAnsweredTotal = (rows: readonly DepthRow[]): number => rows.reduce((n, r) => n + r.neverAnswered.length, 0);
