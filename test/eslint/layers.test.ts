// The architecture's import rule fails on a planted cross-import and passes the allowed ones.
import { Linter } from "eslint";
import { join } from "node:path";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { layers } from "../../eslint/layers.js";
import { ROOT } from "../support/sources.ts";

function lint(file: string, source: string): string[] {
  const linter = new Linter({ cwd: ROOT });
  const config = [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser },
      plugins: { kmsim: { rules: { layers } } },
      rules: { "kmsim/layers": ["error", { root: ROOT }] },
    },
  ] as Linter.Config[];
  return linter.verify(source, config, { filename: join(ROOT, file) }).map((m) => m.message);
}

describe("the layers rule", () => {
  it.each([
    ["sim/kms/planted.ts", 'import { MODEL_OPERATIONS } from "../../model/model.ts";', "sim/ may not import model/"],
    ["model/planted.ts", 'import { World } from "../sim/world.ts";', "model/ may not import sim/"],
    ["model/planted.ts", 'import type { Scenario } from "../harness/scenario.ts";', "model/ may not import harness/"],
    ["protocol/planted.ts", 'export * from "../model/state.ts";', "protocol/ may not import model/"],
    ["sim/planted.ts", 'const m = await import("../harness/execute.ts");', "sim/ may not import harness/"],
    ["harness/planted.ts", 'import { main } from "../cli/main.ts";', "harness/ may not import cli/"],
    ["sim/kms/planted.ts", 'import x from "../../sim/../model/state.ts";', "sim/ may not import model/"],
  ])("refuses %s importing across a wall", (file, source, message) => {
    expect(lint(file, source).join("\n")).toContain(message);
  });

  it.each([
    ["sim/kms/planted.ts", 'import { ok } from "../../protocol/step.ts";'],
    ["model/planted.ts", 'import type { Step } from "../protocol/step.ts";'],
    ["harness/planted.ts", 'import { World } from "../sim/world.ts"; import { settle } from "../model/model.ts";'],
    ["cli/planted.ts", 'import { runSeed } from "../harness/seed.ts";'],
    ["sim/planted.ts", 'import fc from "fast-check";'],
  ])("allows %s", (file, source) => {
    expect(lint(file, source)).toEqual([]);
  });
});
