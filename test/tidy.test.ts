// Tidy: a run must be a pure function of (code, scenario, seed), and the virtual KMS/HSM must not
// share code with the reference model. Both promises are checked by reading the sources; the lint
// rule (eslint/layers.js) holds every room to its imports, and this test holds the two that matter
// most even if the lint configuration were changed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, ROOT, sources } from "./support/sources.ts";

const AMBIENT = [
  /Math\.random/,
  /Date\.now/,
  /new Date\(/,
  /performance\.now/,
  /setTimeout/,
  /setInterval/,
  /setImmediate/,
  /randomBytes\(/,
  /getRandomValues/,
  /randomUUID/,
  /global:\s*true/,
  /process\.hrtime/,
  /seedrandom\(\s*\)/,
];

/** The rooms whose code runs inside a trace: everything but the command line and the report writers. */
const DETERMINISTIC = ["protocol", "sim", "model", "harness"];

describe("tidy", () => {
  const files = DETERMINISTIC.flatMap(sources);

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(60);
    for (const room of DETERMINISTIC) expect(files.some((f) => f.startsWith(`${room}/`))).toBe(true);
  });

  it("has no ambient time or randomness in protocol/, sim/, model/ or harness/", () => {
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*)/.test(line)) return;
          for (const pattern of AMBIENT) if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it("keeps the virtual KMS, HSM and IAM (all of sim/) independent of the model and the harness", () => {
    const leaks = sources("sim").flatMap((f) =>
      importsOf(f)
        .filter((to) => !to.startsWith("sim/") && !to.startsWith("protocol/"))
        .map((to) => `${f} -> ${to}`),
    );
    expect(leaks).toEqual([]);
  });

  it("keeps the reference model free of the simulation: it imports only protocol/", () => {
    const leaks = sources("model").flatMap((f) =>
      importsOf(f)
        .filter((to) => !to.startsWith("model/") && !to.startsWith("protocol/"))
        .map((to) => `${f} -> ${to}`),
    );
    expect(leaks).toEqual([]);
  });
});
