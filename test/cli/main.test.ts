// The command line as a user meets it: exit codes, one-line errors with no stack trace for user
// mistakes, the JSON shapes of `run --json` and `replay --jsonl`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";

const out = mkdtempSync(join(tmpdir(), "kmsim-cli-"));

async function kmsim(...argv: string[]): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(console, "log").mockImplementation((line: unknown) => void stdout.push(String(line)));
  vi.spyOn(console, "error").mockImplementation((line: unknown) => void stderr.push(String(line)));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

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
    const report = (dir: string) => readFileSync(join(dir, "default-seeds-7-10.json"), "utf8");
    expect(JSON.parse(report(threaded)).results).toHaveLength(4);
    expect(report(threaded)).toBe(report(inline));
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
    expect(lines).toHaveLength(20);
    for (const [i, line] of lines.entries()) {
      expect(Object.keys(line).sort()).toEqual(["i", "model", "ok", "step", "sut"]);
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
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["a missing file", ["replay", join(out, "nope.json")], /nope\.json: no such file/],
    ["an unknown scenario", ["run", "--seed", "1", "--scenario", "nope"], /no scenario file/],
    ["a bad shard", ["fuzz", "--shard", "3/2"], /--shard must be I\/N/],
    ["an unknown crypto backend", ["run", "--seed", "1", "--crypto", "openssl"], /--crypto must be one of noble, node, not 'openssl'/],
    ["an unknown crypto backend for fuzz", ["fuzz", "--crypto", "wolfssl"], /--crypto must be one of noble, node/],
    ["an unknown crypto backend for replay", ["replay", "scenarios/scripts/connect-and-encrypt.json", "--crypto", ""], /--crypto must be/],
  ];
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
    ["an unknown call", { world: "default", steps: [{ call: "Frobnicate", as: "admin" }] }, /step 0: unknown call 'Frobnicate'/],
    [
      "an unknown principal",
      { world: "default", steps: [{ call: "DescribeKey", as: "mallory", input: { KeyId: "x" } }] },
      /step 0: unknown principal 'mallory'/,
    ],
    [
      "an unresolved reference",
      { world: "default", steps: [{ call: "DescribeKey", as: "admin", input: { KeyId: "${k9.KeyMetadata.KeyId}" } }] },
      /step 0: \$\{k9\.KeyMetadata\.KeyId\}: no earlier step saved 'k9'/,
    ],
    ["an unknown world constant", { world: "default", steps: [{ fault: "hsm-crash", hsm: "${world.hsms.7}" }] }, /not a world constant/],
    ["steps that are not a list", { world: "default", steps: {} }, /steps: must be a list/],
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
    for (const command of ["run", "replay", "fuzz", "bench"]) {
      const { code, stdout } = await kmsim(command, "--help");
      expect(code).toBe(0);
      expect(stdout.join("\n")).toMatch(new RegExp(`kmsim ${command}`));
    }
  });
});
