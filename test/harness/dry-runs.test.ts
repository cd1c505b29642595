// The generator's dry runs (harness/dry-runs.ts): a small share of the calls of operations whose input
// takes DryRun, IGNORE_CIPHERTEXT only where DryRunModifiers is taken, other operations untouched; in a
// sequence, at most one call made a dry run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DRY_RUN_ODDS, lastMaybeDry, oneMaybeDry, withDryRuns } from "../../harness/dry-runs.ts";
import type { JsonObject, Step } from "../../protocol/step.ts";

const RUNS = 1200;
const sample = (name: string, input: JsonObject) => fc.sample(withDryRuns(name, fc.constant(input)), { seed: 42, numRuns: RUNS });

describe("dry runs in the generator", () => {
  it("leaves operations that take no DryRun as they are", () => {
    const input = fc.constant<JsonObject>({ KeyId: "k" });
    expect(withDryRuns("DescribeKey", input)).toBe(input);
    expect(withDryRuns("iam:TagRole", input)).toBe(input);
  });

  it("makes about one call in DRY_RUN_ODDS a dry run, with modifiers only where the operation takes them", () => {
    const encrypts = sample("Encrypt", { KeyId: "k", Plaintext: "AAEC" });
    const dry = encrypts.filter((i) => i["DryRun"] === true);
    expect(dry.length).toBeGreaterThan(RUNS / DRY_RUN_ODDS / 2);
    expect(dry.length).toBeLessThan((2 * RUNS) / DRY_RUN_ODDS);
    expect(encrypts.filter((i) => i["DryRunModifiers"] !== undefined)).toEqual([]);
    expect(encrypts.filter((i) => i["DryRun"] === undefined).every((i) => i["Plaintext"] === "AAEC")).toBe(true);

    const decrypts = sample("Decrypt", { CiphertextBlob: "AAEC", KeyId: "k" });
    const ignoring = decrypts.filter((i) => i["DryRunModifiers"] !== undefined);
    expect(ignoring.every((i) => i["DryRun"] === true && JSON.stringify(i["DryRunModifiers"]) === '["IGNORE_CIPHERTEXT"]')).toBe(true);
    expect(ignoring.some((i) => i["CiphertextBlob"] === undefined)).toBe(true);
    expect(ignoring.some((i) => i["CiphertextBlob"] === "AAEC")).toBe(true);
    expect(decrypts.filter((i) => i["CiphertextBlob"] === undefined).every((i) => i["DryRunModifiers"] !== undefined)).toBe(true);
  });

  it("in a sequence makes at most one call a dry run: the last of a prepared one, any of a story", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", input: {} },
      { advance: 5 },
      { call: "CreateGrant", as: "admin", input: { KeyId: "k" } },
      { call: "RetireGrant", as: "app", input: { GrantToken: "t" } },
    ];
    const dryAt = (s: Step[]) => s.flatMap((step, i) => ("input" in step && step.input?.["DryRun"] === true ? [i] : []));
    const stories = fc.sample(oneMaybeDry(fc.constant(steps)), { seed: 7, numRuns: RUNS }).map(dryAt);
    expect(stories.every((at) => at.length <= 1)).toBe(true);
    expect(new Set(stories.flat())).toEqual(new Set([2, 3]));
    const prepared = fc.sample(lastMaybeDry(fc.constant(steps)), { seed: 7, numRuns: RUNS }).map(dryAt);
    expect(new Set(prepared.flat())).toEqual(new Set([3]));
    const noneTakeIt = steps.slice(0, 2);
    expect(fc.sample(oneMaybeDry(fc.constant(noneTakeIt)), { seed: 7, numRuns: 100 }).every((s) => dryAt(s).length === 0)).toBe(true);
  });
});
