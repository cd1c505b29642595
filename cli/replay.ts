// `kmsim replay FILE`: runs a repro file or a hand-written script with every check, printing what
// each side said for each step.
import { canonicalJson } from "../protocol/canonical.ts";
import { InputError } from "../protocol/input-error.ts";
import { isCall, isFault } from "../protocol/step.ts";
import { shellWord } from "../reports/repro.ts";
import { cryptoFlag, parse } from "./args.ts";
import { plantCanary } from "./canary.ts";
import { loadScript } from "./load.ts";

export const REPLAY_HELP = `kmsim replay FILE [--jsonl] [--crypto C]

Runs a Step list — a repro file, or a hand-written script {"world": "default", "seed"?: N, "steps": [...]} —
through the virtual KMS and the reference model with every check, and prints each step's outcomes.
Steps may use \${world.clusterId}-style constants, \${name.Path} references to a step's "save", and
generated {"ref": kind, "index": n} references.

  --jsonl      one JSON line per step: {"i", "step", "sut", "model", "ok"}; then {"verdict", "kind", "traceHash"}
  --crypto C   AES-256-GCM backend: noble or node (OpenSSL); the trace is the same [noble]

The repro of a hang (kind hang, from a campaign's --step-timeout) is its seed's list up to the step that
never finished: replayed, it stops there, as the seed did, until it is interrupted. That of a seed whose
thread ran out of memory (check out-of-memory) fills this process's heap at its last step; node's
--max-old-space-size=256 --heapsnapshot-near-heap-limit=1 end it sooner and write what filled it.

Exit: 0 pass, 1 a failure was found, 2 bad input or usage, 3 internal error.`;

export async function replayMain(argv: string[]): Promise<number> {
  const { values, positionals } = parse("replay", argv, { jsonl: { type: "boolean" }, crypto: { type: "string" } }, 1);
  if (values.help === true) return (void console.log(REPLAY_HELP), 0);
  const file = positionals[0];
  if (file === undefined) throw new InputError("kmsim replay: FILE is required (see kmsim replay --help)");
  const crypto = cryptoFlag("replay", values.crypto);
  const script = loadScript(file);
  const scenario = { ...script.scenario, crypto };
  const [{ executeSteps }, { worldSeed }] = await Promise.all([import("../harness/execute.ts"), import("../harness/seed.ts")]);
  if (script.hung !== undefined)
    console.error(
      `kmsim replay: this list hung when its campaign ran it (${script.hung}): it will hang at its last step. Stop it with Ctrl-C; under \`node --inspect bin/kmsim.mjs replay ${shellWord(file)}\` a debugger can pause it where it spins.`,
    );
  if (script.outOfMemory !== undefined)
    console.error(
      `kmsim replay: this list ran its thread out of memory when its campaign ran it (${script.outOfMemory}): at its last step it will fill this process's heap. \`node --max-old-space-size=256 --heapsnapshot-near-heap-limit=1 bin/kmsim.mjs replay ${shellWord(file)}\` ends it sooner and writes a heap snapshot of what filled it.`,
    );
  const unplant = plantCanary(scenario); // a canary scenario's repro replays with its mutant, as it failed
  let result: ReturnType<typeof executeSteps>;
  try {
    result = executeSteps(scenario, worldSeed(script.seed), script.steps);
  } finally {
    unplant();
  }
  const settling = new Set(result.settling);
  for (const r of [...result.records, ...result.settling]) {
    if (values.jsonl === true) {
      console.log(
        JSON.stringify({ i: r.i, step: r.step, sut: r.sut, model: r.model, ok: r.ok, ...(settling.has(r) ? { settling: true } : {}) }),
      );
      continue;
    }
    const what = isCall(r.step)
      ? `${r.step.call} as ${r.step.as}`
      : isFault(r.step)
        ? `fault ${r.step.fault} ${[r.step.hsm, r.step.direction, r.step.az, r.step.subnet, r.step.service, r.step.error].filter((x) => x !== undefined).join(" ")}`.trimEnd()
        : `advance ${r.step.advance} ms`;
    const said = r.sut.ok ? "ok" : r.sut.error.name;
    const phase = settling.has(r) ? " (settling)" : "";
    console.log(`${String(r.i).padStart(3)} ${r.ok ? "  " : "✗ "}${what}${phase} → ${said} (${(r.durationUs / 1000).toFixed(3)} ms)`);
    if (!r.ok) {
      console.log(`      virtual KMS: ${canonicalJson(r.sut)}`);
      console.log(`      model allows: ${r.model.map((m) => canonicalJson(m)).join("\n                    ")}`);
    }
  }
  const kind = result.failure?.kind ?? null;
  if (values.jsonl === true) console.log(JSON.stringify({ verdict: result.verdict, kind, traceHash: result.traceHash }));
  else {
    console.log(
      `${result.verdict.toUpperCase()}${kind !== null ? ` (${kind})` : ""} · ${result.records.length} of ${script.steps.length} steps · trace ${result.traceHash}`,
    );
    if (result.failure !== undefined) console.log(`at step ${result.failure.step ?? "—"}: ${result.failure.message}`);
  }
  return result.verdict === "pass" ? 0 : 1;
}
