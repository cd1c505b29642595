// The command line as a user meets it: exit codes, one-line errors with no stack trace for user
// mistakes, the JSON shapes of `run --json` and `replay --jsonl`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

const out = tempDir("kmsim-cli-");

function script(name: string, body: unknown): string {
  const path = join(out, name);
  writeFileSync(path, typeof body === "string" ? body : JSON.stringify(body));
  return path;
}

describe("kmsim CLI", () => {
  afterEach(() => vi.restoreAllMocks());

  it("run --json prints one object with the documented fields and exits 0 on a pass", async () => {
    const { code, stdout } = await kmsim("run", "--seed", "3", "--json", "--out", out);
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    const result = JSON.parse(stdout[0]!);
    expect(Object.keys(result).sort()).toEqual(["kind", "repro", "scenario", "seed", "steps", "traceHash", "verdict"]);
    expect(result).toMatchObject({ seed: 3, scenario: "default", verdict: "pass", kind: null, repro: null });
    expect(result.traceHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("run --crypto node prints the same trace as the default (noble)", async () => {
    const noble = JSON.parse((await kmsim("run", "--seed", "3", "--json", "--out", out)).stdout[0]!);
    const node = await kmsim("run", "--seed", "3", "--json", "--crypto", "node", "--out", out);
    expect(node.code).toBe(0);
    expect(JSON.parse(node.stdout[0]!)).toEqual(noble);
  });

  it("fuzz --crypto node through worker threads writes the same report as noble in this thread", async () => {
    const base = ["fuzz", "--seeds", "4", "--first", "7"];
    const threaded = join(out, "fuzz-node");
    const inline = join(out, "fuzz-noble");
    expect((await kmsim(...base, "--workers", "2", "--crypto", "node", "--out", threaded)).code).toBe(0);
    expect((await kmsim(...base, "--workers", "1", "--crypto", "noble", "--out", inline)).code).toBe(0);
    // Everything but `run` (workers, wall time, the command line) is the same.
    const report = (dir: string) => ({ ...JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")), run: undefined });
    expect(report(threaded).results).toHaveLength(4);
    expect(report(threaded)).toEqual(report(inline));
  });

  it("run --check-determinism passes on a deterministic seed", async () => {
    expect((await kmsim("run", "--seed", "5", "--check-determinism", "--out", out)).code).toBe(0);
  });

  it("replay --jsonl prints a line per step with both sides, then the verdict", async () => {
    const { code, stdout } = await kmsim("replay", "scenarios/scripts/connect-and-encrypt.json", "--jsonl");
    expect(code).toBe(0);
    const lines = stdout.map((l) => JSON.parse(l));
    const last = lines.pop();
    expect(last).toMatchObject({ verdict: "pass", kind: null });
    // The script's 20 steps, then the settling steps the harness adds (liveness), marked as such.
    const script = lines.filter((l) => l.settling !== true);
    expect(script).toHaveLength(20);
    expect(lines.slice(20).every((l) => l.settling === true)).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
    for (const [i, line] of lines.entries()) {
      expect(
        Object.keys(line)
          .filter((k) => k !== "settling")
          .sort(),
      ).toEqual(["i", "model", "ok", "step", "sut"]);
      expect(line.i).toBe(i);
      expect(line.ok).toBe(true);
      expect(line.model.length).toBeGreaterThan(0);
    }
    expect(lines[10].sut.error.name).toBe("AccessDeniedException");
  });

  it("reports a hand-written failing script as a failure, exit 1", async () => {
    const { code, stdout } = await kmsim("replay", "test/fixtures/canary-fails.json");
    expect(code).toBe(1);
    expect(stdout.join("\n")).toMatch(/FAIL \(mismatch\)/);
    expect(stdout.join("\n")).toMatch(/at step 1: the script expected/);
  });

  const badInputs: [string, string[], RegExp][] = [
    ["an unknown flag", ["run", "--seed", "1", "--bogus"], /--bogus/],
    ["a missing seed", ["run"], /--seed N is required/],
    ["a seed that is not a number", ["run", "--seed", "x"], /--seed must be a whole number/],
    ["a negative seed", ["run", "--seed", "-1"], /--seed must be a whole number from 0 to 2147483647, not '-1'/],
    ["a flag given twice", ["run", "--seed", "1", "--seed", "2"], /--seed is given more than once/],
    ["more steps than a run may have", ["run", "--seed", "1", "--steps", "100000000"], /--steps must be a whole number from 1 to 10000/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["a command named like an object's property", ["constructor"], /unknown command 'constructor'/],
    ["a missing file", ["replay", join(out, "nope.json")], /nope\.json: no such file/],
    [
      "an unknown scenario",
      ["run", "--seed", "1", "--scenario", "nope"],
      /no such scenario \(known: authz, canary, default, keys, keystores/,
    ],
    [
      "a scenario path that does not exist",
      ["run", "--seed", "1", "--scenario", "./scenarios/nope"],
      /--scenario \.\/scenarios\/nope: no such scenario file/,
    ],
    ["a bad shard", ["fuzz", "--shard", "3/2"], /--shard must be I\/N/],
    ["--out naming a file", ["fuzz", "--seeds", "1", "--out", "package.json"], /--out package\.json: is a file, not a folder/],
    [
      "--out where nothing can be written",
      ["run", "--seed", "1", "--out", "/proc/kmsim/out"],
      /--out \/proc\/kmsim\/out: cannot write there/,
    ],
    ["a bad time budget", ["fuzz", "--time", "2 hours"], /--time must be a duration such as 45s/],
    ["a bad recheck share", ["fuzz", "--recheck", "150%"], /--recheck must be a percentage from 0% to 100%/],
    [
      "a step timeout of nothing",
      ["fuzz", "--step-timeout", "0s"],
      /--step-timeout must be a duration such as 10s, 5m or 1h, or off, not '0s'/,
    ],
    ["a step timeout of nothing, for the hunt", ["mutants", "--step-timeout", "0"], /--step-timeout must be a duration above 0 like 500ms/],
    [
      "a seed timeout of nothing",
      ["fuzz", "--seed-timeout", "0m"],
      /--seed-timeout must be a duration such as 10s, 5m or 1h, or off, not '0m'/,
    ],
    ["a heap limit no thread can run in", ["fuzz", "--heap-limit", "16"], /--heap-limit must be a whole number from 64 to 65536, not '16'/],
    ["a heap limit with a unit", ["mutants", "--heap-limit", "1g"], /--heap-limit must be a whole number from 64 to 65536, not '1g'/],
    ["--resume with campaign flags", ["fuzz", "--resume", "--seeds", "5"], /--resume takes the campaign from the journal; drop --seeds/],
    ["--resume with nothing to resume", ["fuzz", "--resume", "--out", out], /no journal in .*nothing to resume/],
    ["an unknown crypto backend", ["run", "--seed", "1", "--crypto", "openssl"], /--crypto must be one of noble, node, not 'openssl'/],
    ["an unknown crypto backend for fuzz", ["fuzz", "--crypto", "wolfssl"], /--crypto must be one of noble, node/],
    ["an unknown crypto backend for replay", ["replay", "scenarios/scripts/connect-and-encrypt.json", "--crypto", ""], /--crypto must be/],
  ];
  it("prints one usage line, exit 2, when run with no command", async () => {
    const { code, stdout, stderr } = await kmsim();
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toEqual(["usage: kmsim fuzz|run|replay|merge|promote|bench|mutants|list [options] — kmsim --help for more"]);
  });

  it("takes a scenario path without .json as a path, and a script with a UTF-8 byte order mark", async () => {
    expect((await kmsim("run", "--seed", "1", "--steps", "3", "--scenario", "./scenarios/keys", "--out", out)).stdout[0]).toBe(
      "kmsim run: scenario keys, seed 1",
    );
    const bom = script("bom.json", `\uFEFF${JSON.stringify({ world: "default", steps: [{ advance: 5 }] })}`);
    expect((await kmsim("replay", bom)).code).toBe(0);
  });

  it("writes nothing when the input is bad", async () => {
    const fresh = join(out, "never-made");
    expect((await kmsim("fuzz", "--seeds", "0", "--out", fresh)).code).toBe(2);
    expect(existsSync(fresh)).toBe(false);
  });

  for (const [what, argv, message] of badInputs) {
    it(`refuses ${what} with one line and exit 2`, async () => {
      const { code, stderr } = await kmsim(...argv);
      expect(code).toBe(2);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(message);
      expect(stderr[0]).not.toMatch(/\n\s+at /);
    });
  }

  const badScripts: [string, unknown, RegExp][] = [
    ["invalid JSON", "{ not json", /not valid JSON/],
    ["an unknown call", { world: "default", steps: [{ call: "Frobnicate", as: "admin" }] }, /steps\.0\.call: unknown call 'Frobnicate'/],
    [
      "an unknown principal",
      { world: "default", steps: [{ call: "DescribeKey", as: "mallory", input: { KeyId: "x" } }] },
      /steps\.0\.as: unknown principal 'mallory'/,
    ],
    [
      "an unresolved reference",
      { world: "default", steps: [{ call: "DescribeKey", as: "admin", input: { KeyId: "${k9.KeyMetadata.KeyId}" } }] },
      /step 0: \$\{k9\.KeyMetadata\.KeyId\}: no earlier step saved 'k9'/,
    ],
    ["an unknown world constant", { world: "default", steps: [{ fault: "hsm-crash", hsm: "${world.hsms.7}" }] }, /not a world constant/],
    ["steps that are not a list", { world: "default", steps: {} }, /steps: must be a list/],
    ["a reference as a whole step", { world: "default", steps: [{ ref: "key", index: 0 }] }, /steps\.0: a generated reference/],
    [
      "a misspelt expect",
      { world: "default", steps: [{ call: "ListKeys", as: "admin", expct: { ok: true } }] },
      /steps\.0\.expct: unknown field/,
    ],
    [
      "a save that is a number",
      { world: "default", steps: [{ call: "ListKeys", as: "admin", save: 5 }] },
      /steps\.0\.save: must be a name/,
    ],
    [
      "an input that is text",
      { world: "default", steps: [{ call: "ListKeys", as: "admin", input: "hello" }] },
      /steps\.0\.input: must be an object/,
    ],
    ["a call without as", { world: "default", steps: [{ call: "ListKeys", input: {} }] }, /steps\.0\.as: is required/],
    ["an unknown world", { world: "nowhere", steps: [] }, /: world: unknown world "nowhere" \(known: authz, canary, default/],
    [
      "an endless advance",
      { world: "default", steps: [{ advance: 9007199254740991 }] },
      /steps\.0\.advance: must be a whole number of milliseconds from 0 to/,
    ],
  ];
  for (const [what, body, message] of badScripts) {
    it(`refuses a script with ${what}: one line naming file or step, exit 2`, async () => {
      const path = script(`${what.replace(/\W+/g, "-")}.json`, body);
      const { code, stderr } = await kmsim("replay", path);
      expect(code).toBe(2);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(message);
    });
  }

  it("prints help for every command with exit 0", async () => {
    for (const command of ["run", "replay", "fuzz", "merge", "promote", "bench"]) {
      const { code, stdout } = await kmsim(command, "--help");
      expect(code).toBe(0);
      expect(stdout.join("\n")).toMatch(new RegExp(`kmsim ${command}`));
    }
  });
});
