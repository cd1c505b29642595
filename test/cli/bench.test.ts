// `kmsim bench --quick --json` runs every part of the bench and prints one object of the documented
// shape: a baseline, crypto results per path/backend/op/size, overheads consistent with the figures
// they compare, the harness on worker threads, the decision figures and the memory check.
// Nothing here judges a speed: rates are only required to exist, be positive and agree with each other.
import { afterEach, describe, expect, it, vi } from "vitest";
import { kmsim } from "../support/kmsim-main.ts";

const SIZES = [32, 4096];
const positive = (x: unknown) => typeof x === "number" && Number.isFinite(x) && x > 0;

describe("kmsim bench", () => {
  afterEach(() => vi.restoreAllMocks());

  it("--quick --json prints one object matching the documented schema", { timeout: 300_000 }, async () => {
    const { code, stdout } = await kmsim("bench", "--quick", "--json", "--sizes", SIZES.join(","));
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    const report = JSON.parse(stdout[0]!);

    expect(report.baseline.name).toMatch(/node:crypto AES-256-GCM encrypt\+decrypt of 1024 B/);
    expect(positive(report.baseline.opsPerSec)).toBe(true);

    const expected: string[] = [];
    for (const backend of ["noble", "node"])
      for (const bytes of SIZES) {
        expected.push(
          `raw ${backend} encrypt ${bytes}`,
          `raw ${backend} decrypt ${bytes}`,
          `kms ${backend} Encrypt ${bytes}`,
          `kms ${backend} Decrypt ${bytes}`,
        );
        if (bytes <= 1024) expected.push(`kms ${backend} GenerateDataKey ${bytes}`);
      }
    expect(
      report.results
        .map((r: { path: string; backend: string; op: string; bytes: number }) => `${r.path} ${r.backend} ${r.op} ${r.bytes}`)
        .sort(),
    ).toEqual(expected.sort());
    for (const r of report.results) {
      expect(Object.keys(r).sort()).toEqual(["backend", "bytes", "mbPerSec", "op", "opsPerSec", "opsPerSecMax", "opsPerSecMin", "path"]);
      expect(positive(r.opsPerSec)).toBe(true);
      expect(r.opsPerSecMin).toBeLessThanOrEqual(r.opsPerSec);
      expect(r.opsPerSec).toBeLessThanOrEqual(r.opsPerSecMax);
      expect(r.mbPerSec).toBeCloseTo((r.opsPerSec * r.bytes) / 1e6, 6);
    }

    const find = (path: string, backend: string, op: string, bytes: number) =>
      report.results.find(
        (r: { path: string; backend: string; op: string; bytes: number }) =>
          r.path === path && r.backend === backend && r.op === op && r.bytes === bytes,
      );
    expect(report.overhead).toHaveLength(report.results.filter((r: { path: string }) => r.path === "kms").length);
    for (const o of report.overhead) {
      expect(Object.keys(o).sort()).toEqual(["backend", "bytes", "op", "ratio", "ratioMax", "ratioMin"]);
      // The median of per-round ratios raw/KMS lies between the extremes the two figures allow.
      const raw = find("raw", o.backend, o.op === "Decrypt" ? "decrypt" : "encrypt", o.bytes);
      const kms = find("kms", o.backend, o.op, o.bytes);
      expect(o.ratioMin).toBeLessThanOrEqual(o.ratio);
      expect(o.ratio).toBeLessThanOrEqual(o.ratioMax);
      expect(o.ratioMin).toBeGreaterThanOrEqual((raw.opsPerSecMin / kms.opsPerSecMax) * (1 - 1e-9));
      expect(o.ratioMax).toBeLessThanOrEqual((raw.opsPerSecMax / kms.opsPerSecMin) * (1 + 1e-9));
    }

    const { harness } = report;
    expect(harness).toMatchObject({ scenario: "default", crypto: "noble" });
    expect(Number.isInteger(harness.workers) && harness.workers >= 1).toBe(true);
    expect(positive(harness.stepsPerSecOneWorker)).toBe(true);
    expect(positive(harness.stepsPerSecAllWorkers)).toBe(true);
    expect(positive(harness.stepsPerCpuSecOneWorker) && positive(harness.stepsPerCpuSecAllWorkers)).toBe(true);
    expect(report.machine.cores).toBe(harness.workers);
    for (const load of [report.machine.loadAverage1mAtStart, report.machine.loadAverage1m]) expect(load).toBeGreaterThanOrEqual(0);
    // Each harness figure is a median of its rounds, between the least and greatest round; a ratio is
    // taken within each round, so it lies between the extremes its two figures allow.
    expect(harness.rounds).toBe(2);
    const within = (name: string) => {
      expect(harness[`${name}Min`]).toBeLessThanOrEqual(harness[name]);
      expect(harness[name]).toBeLessThanOrEqual(harness[`${name}Max`]);
    };
    for (const name of ["stepsPerSecOneWorker", "stepsPerSecAllWorkers", "ratioToBaseline", "scaling"]) within(name);
    const slack = (x: number, sign: 1 | -1) => x * (1 + sign * 1e-9);
    expect(harness.ratioToBaselineMin).toBeGreaterThanOrEqual(slack(harness.stepsPerSecOneWorkerMin / report.baseline.opsPerSecMax, -1));
    expect(harness.ratioToBaselineMax).toBeLessThanOrEqual(slack(harness.stepsPerSecOneWorkerMax / report.baseline.opsPerSecMin, 1));
    const workers = harness.workers;
    expect(harness.scalingMin).toBeGreaterThanOrEqual(
      slack(harness.stepsPerSecAllWorkersMin / (workers * harness.stepsPerSecOneWorkerMax), -1),
    );
    expect(harness.scalingMax).toBeLessThanOrEqual(
      slack(harness.stepsPerSecAllWorkersMax / (workers * harness.stepsPerSecOneWorkerMin), 1),
    );

    expect(report.decisions).toHaveLength(3);
    for (const d of report.decisions) expect(positive(d.decisionsPerSec)).toBe(true);

    const { memory } = report;
    expect(memory).toMatchObject({ scenario: "default", seedsSmall: 4, seedsLarge: 16 });
    expect(positive(memory.peakRssMiBSmall) && positive(memory.peakRssMiBLarge)).toBe(true);
    expect(memory.ratio).toBeCloseTo(memory.peakRssMiBLarge / memory.peakRssMiBSmall, 9);
  });

  const badInputs: [string[], RegExp][] = [
    [["--sizes", "0"], /--sizes must be a comma-separated list of byte counts 1\.\.4096, not '0'/],
    [["--sizes", "32,5000"], /--sizes must be/],
    [["--sizes", "32,,64"], /--sizes must be/],
    [["--crypto", "openssl"], /--crypto must be one of noble, node, all, not 'openssl'/],
    [["--millis", "0"], /--millis must be a whole number >= 1/],
    [["--scenario", "canary"], /^kmsim bench: --scenario canary: a canary scenario plants a bug on purpose; measure one that plants none$/],
  ];
  for (const [argv, message] of badInputs) {
    it(`refuses ${argv.join(" ")} with one line and exit 2`, async () => {
      const { code, stderr } = await kmsim("bench", ...argv);
      expect(code).toBe(2);
      expect(stderr).toHaveLength(1);
      expect(stderr[0]).toMatch(message);
    });
  }
});
