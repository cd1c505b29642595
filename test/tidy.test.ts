// Tidy: a run must be a pure function of (code, scenario, seed), and the virtual KMS/HSM must not
// share code with the reference model. Both promises are checked by reading the sources.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const AMBIENT = [
  /Math\.random/, /Date\.now/, /new Date\(/, /performance\.now/, /setTimeout/, /setInterval/, /setImmediate/,
  /randomBytes\(/, /getRandomValues/, /randomUUID/, /global:\s*true/, /process\.hrtime/, /seedrandom\(\s*\)/,
];

describe("tidy", () => {
  const files = [...sources("sim"), ...sources("model")];

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("has no ambient time or randomness in sim/ or model/", () => {
    const hits: string[] = [];
    for (const file of files) {
      readFileSync(join(ROOT, file), "utf8").split("\n").forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        for (const pattern of AMBIENT) if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });

  it("keeps the virtual KMS and HSM independent of the reference model", () => {
    const leaks = [...sources("sim/kms"), ...sources("sim/hsm"), ...sources("sim/iam"), ...sources("sim/wire")].filter((file) => /from\s+["'][^"']*model\//.test(readFileSync(join(ROOT, file), "utf8")));
    expect(leaks).toEqual([]);
  });

  it("keeps the reference model free of the simulation (shared step types aside)", () => {
    const leaks = sources("model").filter((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(/from\s+["']([^"']+)["']/g)].some((m) => m[1]!.includes("sim/") && !m[1]!.endsWith("sim/step.ts")),
    );
    expect(leaks).toEqual([]);
  });
});
