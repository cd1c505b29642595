// `kmsim promote`: a repro file becomes a regression fixture with a description, readable by the
// regression test's loader; an existing fixture is never overwritten, a bad name is refused, and so
// is a canary's repro; a hang's repro is written with a warning.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScript } from "../../cli/load.ts";
import { kmsim } from "../support/kmsim-main.ts";
import { tempDir } from "../support/temp-dir.ts";

describe("kmsim promote", () => {
  afterEach(() => vi.restoreAllMocks());
  const dir = tempDir("kmsim-promote-");
  const fixtures = join(dir, "regressions");
  const repro = join(dir, "repro-default-7.json");
  writeFileSync(
    repro,
    JSON.stringify({
      kmsim: "repro/1",
      world: "default",
      seed: 7,
      kind: "mismatch",
      failure: { kind: "mismatch", step: 1, check: "model", message: "the virtual KMS answered X; the model allows Y" },
      command: "npx kmsim run --seed 7 --scenario default --steps 60",
      replay: `npx kmsim replay ${join(dir, "repro-default-7.json")}`,
      steps: [{ call: "CreateKey", as: "admin", save: "k1", input: {} }, { advance: 5 }],
    }),
  );

  it("writes the repro as a fixture with its description, which the regression loader reads", async () => {
    const { code, stdout } = await kmsim("promote", repro, "--dir", fixtures);
    expect(code).toBe(0);
    const target = join(fixtures, "default-seed-7.json");
    expect(stdout).toEqual([`promoted: ${target} — test/harness/regressions.test.ts replays it and expects it to pass`]);
    const fixture = JSON.parse(readFileSync(target, "utf8"));
    expect(fixture).toMatchObject({
      world: "default",
      seed: 7,
      description: "mismatch at step 1: the virtual KMS answered X; the model allows Y",
    });
    expect(loadScript(target).steps).toHaveLength(2);
  });

  it("takes a name and a description, and never overwrites a fixture", async () => {
    expect((await kmsim("promote", repro, "--dir", fixtures, "--name", "lost-reply", "--description", "a reply lost twice")).code).toBe(0);
    expect(JSON.parse(readFileSync(join(fixtures, "lost-reply.json"), "utf8")).description).toBe("a reply lost twice");
    const again = await kmsim("promote", repro, "--dir", fixtures, "--name", "lost-reply");
    expect(again.code).toBe(2);
    expect(again.stderr).toEqual([expect.stringMatching(/lost-reply\.json exists; give another --name$/)]);
    expect((await kmsim("promote", repro, "--dir", fixtures, "--name", "../escape")).stderr[0]).toMatch(/--name must be letters, digits/);
  });

  it("warns that a hang's repro hangs npm test until its loop is fixed", async () => {
    const hang = join(dir, "repro-default-8.json");
    writeFileSync(hang, readFileSync(repro, "utf8").replace('"kind":"mismatch"', '"kind":"hang"'));
    const { code, stderr } = await kmsim("promote", hang, "--dir", fixtures, "--name", "a-hang");
    expect(code).toBe(0);
    expect(stderr).toEqual([
      expect.stringMatching(/^kmsim promote: warning: this repro hung \(kind hang\); until the loop is fixed, npm test hangs/),
    ]);
    expect((await kmsim("promote", repro, "--dir", fixtures, "--name", "no-warning")).stderr).toEqual([]);
  });

  it("refuses a canary's repro: its bug is planted on purpose, no regression to keep", async () => {
    const canary = join(dir, "repro-canary-1.json");
    writeFileSync(canary, readFileSync(repro, "utf8").replace('"world":"default"', '"world":"canary"'));
    const { code, stderr } = await kmsim("promote", canary, "--dir", fixtures);
    expect(code).toBe(2);
    expect(stderr).toEqual([
      `kmsim promote: ${canary}: a repro of the canary scenario 'canary', which plants the bug 'decrypt-ignores-key-id' on purpose; it is no regression to keep`,
    ]);
  });
});
