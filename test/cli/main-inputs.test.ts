// The CLI fuzzed with its own inputs: fast-check generates command lines (known and unknown flags,
// odd values) and script files (typos, wrong types, references in the wrong place, a BOM, cut-off
// JSON), runs each through main() in-process, and requires an exit code of 0, 1 or 2 with no stack
// trace — a user's mistake is one line and exit 2, never an internal error. Campaigns are kept tiny.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";
import { tempDir } from "../support/temp-dir.ts";

const dir = tempDir("kmsim-inputs-");
const out = join(dir, "out");

async function kmsim(argv: string[]): Promise<{ code: number; stderr: string[] }> {
  const stderr: string[] = [];
  vi.spyOn(console, "log").mockImplementation(() => undefined);
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void stderr.push(String(line)));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    return { code: await main(argv), stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Exit codes seen, so each property can show it reached past the input checks too. */
const seen = new Map<string, Set<number>>();

function expectClean({ code, stderr }: { code: number; stderr: string[] }, what: string, tally: string): void {
  (seen.get(tally) ?? seen.set(tally, new Set()).get(tally)!).add(code);
  expect([0, 1, 2], `${what} → exit ${code}: ${stderr.join(" | ")}`).toContain(code);
  for (const line of stderr) expect(line, what).not.toMatch(/\n\s+at |internal error/);
  if (code === 2) expect(stderr, what).toHaveLength(1);
}

const FILES = {
  script: join(dir, "script.json"),
  shard: join(out, "summary.json"),
  missing: join(dir, "nope.json"),
  folder: dir,
};

const values = fc.constantFrom(
  ...["0", "1", "3", "-1", "-0", "2147483648", "99999999999999999999", "1e3", "x", "", " ", "--", "-", "5%", "150%"],
  ...["2h", "1s", "0s", "off"],
  ...["0/1", "1/3", "3/2", "a/b", "default", "keys", "./scenarios/keys", "scenarios/nope.json", "package.json", "constructor", "__proto__"],
  ...Object.values(FILES),
);
const flags = fc.constantFrom(
  ...["--seed", "--seeds", "--first", "--steps", "--shard", "--workers", "--time", "--max-failures", "--recheck", "--scenario", "--name"],
  "--step-timeout",
  ...[
    "--fail-fast",
    "--require-coverage",
    "--quiet",
    "--json",
    "--jsonl",
    "--check-determinism",
    "--allow-partial",
    "--help",
    "--bogus",
    "-x",
  ],
);
/** A command line; campaigns are capped by a trailing --seeds/--steps/--millis the generator cannot outgrow. */
const argvs = fc
  .tuple(
    fc.constantFrom("run", "replay", "fuzz", "merge", "promote", "bench", "frobnicate", "toString"),
    fc.array(fc.oneof(flags, values), { maxLength: 6 }),
  )
  .map(([command, rest]) => {
    const cap: Record<string, string[]> = {
      run: ["--steps", "4", "--out", out],
      // In this thread (no watchdog): what is tested is the input, and a seed thread's start-up from the sources is slow.
      fuzz: ["--seeds", "2", "--steps", "4", "--workers", "1", "--step-timeout", "off", "--quiet", "--out", out],
      bench: ["--millis", "1"],
      promote: ["--dir", join(dir, "fixtures")],
      merge: ["--out", join(dir, "merged")],
    };
    return [command, ...rest, ...(Object.hasOwn(cap, command) ? cap[command]! : [])];
  });

const fieldNames = fc.constantFrom(
  ...["call", "as", "input", "save", "expect", "fault", "hsm", "after", "factor", "direction", "az", "subnet", "advance"],
  ...["ref", "index", "expct", "ok", "error", "name", "world", "__proto__", "constructor"],
);
const leaf = fc.oneof(
  fc.constantFrom("Encrypt", "CreateKey", "ListKeys", "hsm-crash", "partition", "heal", "slow-hsm", "admin", "app", "nobody", "both", "up"),
  fc.constantFrom("${world.hsms.0}", "${world.azs.0}", "${k1.KeyMetadata.KeyId}", "${world.nothing}", "${", "key", "hello", ""),
  fc.constantFrom(0, 1, 5, 40, -1, 1.5, 9007199254740991, 1e300, true, false, null),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("v"), { maxLength: 2 }),
    fc.dictionary(fieldNames, tie("v"), { maxKeys: 3 }),
  ),
})).v;
const step = fc.dictionary(fieldNames, value, { minKeys: 1, maxKeys: 4 });
const scripts = fc.tuple(
  fc.record(
    {
      world: fc.constantFrom("default", "keys", "nowhere", 5),
      seed: fc.constantFrom(0, 3, -1, 2.5, "x"),
      steps: fc.array(fc.oneof(step, value), { maxLength: 5 }),
    },
    { requiredKeys: ["steps"] },
  ),
  fc.constantFrom("plain", "bom", "cut"),
);

describe("the CLI with generated inputs", () => {
  afterEach(() => vi.restoreAllMocks());
  beforeAll(async () => {
    writeFileSync(FILES.script, JSON.stringify({ world: "default", steps: [{ advance: 1 }] }));
    expect((await kmsim(["fuzz", "--seeds", "1", "--steps", "3", "--quiet", "--out", out])).code).toBe(0); // a shard's report to merge
  }, 60_000);

  it("answers every generated command line with exit 0, 1 or 2 and no stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(argvs, async (argv) => expectClean(await kmsim(argv), argv.join(" "), "argv")),
      { numRuns: 150, seed: 14 },
    );
    expect(seen.get("argv")!.has(0) && seen.get("argv")!.has(2)).toBe(true); // some lines ran, some were refused
  }, 240_000);

  it("answers every generated script with exit 0, 1 or 2 and no stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(scripts, async ([doc, form]) => {
        const text = JSON.stringify(doc);
        writeFileSync(FILES.script, form === "bom" ? `\uFEFF${text}` : form === "cut" ? text.slice(0, text.length >> 1) : text);
        expectClean(await kmsim(["replay", FILES.script]), text, "script");
      }),
      { numRuns: 300, seed: 14 },
    );
    expect(seen.get("script")!.has(2)).toBe(true);
    expect(seen.get("script")!.has(0) || seen.get("script")!.has(1)).toBe(true); // some scripts ran, not only refused
  }, 240_000);
});
