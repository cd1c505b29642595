// Operating errors are values, broken invariants crash (style guide §8): in sim/ a refused call is a
// Rejection returned up to the service, which answers it as its outcome; nothing throws one and no
// dispatcher catches. Checked on the sources (every throw is an invariant's Error, every catch is a
// named library's exception turned into a value) and by running the world.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { canonicalJson } from "../../protocol/canonical.ts";
import { fail, type Outcome } from "../../protocol/step.ts";
import { KMS_OPERATIONS } from "../../sim/kms/operations.ts";
import { World } from "../../sim/world.ts";
import { Rejection } from "../../sim/wire/validate.ts";
import { ROOT, sources } from "../support/sources.ts";

/** The only catches in sim/: a library's exception that stands for an answer, and what it becomes. */
const CATCHES_ALLOWED: Record<string, string> = {
  "sim/crypto/node-gcm.ts": "node:crypto throws when a GCM tag does not verify: the open fails (undefined)",
  "sim/iam/policy.ts": "JSON.parse throws on a document that is not JSON: a policy that does not parse",
};

/** Each code line of sim/ (comments left out) with where it is. */
function simLines(): { at: string; file: string; line: string }[] {
  return sources("sim").flatMap((file) =>
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .map((line, i) => ({ at: `${file}:${i + 1}`, file, line: line.trim() }))
      .filter(({ line }) => !/^(\/\/|\*|\/\*)/.test(line)),
  );
}

describe("operating errors in sim/", () => {
  const scenario = loadScenario("default");
  const admin = scenario.world.principals["admin"]!.arn;
  const undos: (() => void)[] = [];
  afterEach(() => {
    for (const undo of undos.splice(0).reverse()) undo();
  });

  it("throws only broken invariants: every throw in sim/ is `throw new Error(...)`", () => {
    const lines = simLines();
    expect(lines.filter(({ line }) => /\bthrow\b/.test(line)).length).toBeGreaterThan(10);
    expect(lines.filter(({ line }) => /\bthrow\b/.test(line) && !/\bthrow new Error\(/.test(line)).map(({ at }) => at)).toEqual([]);
  });

  it("catches nothing but a named library's exception", () => {
    const catching = simLines().filter(({ line }) => /\bcatch\b/.test(line));
    expect(catching.map(({ file }) => file).sort()).toEqual(Object.keys(CATCHES_ALLOWED).sort());
  });

  it("answers a refusal as the outcome AWS gives, the same JSON as a plain failed outcome", () => {
    const world = new World({ ...scenario, crypto: "noble" }, "kmsim:operating-errors");
    const keyId = "11111111-1111-4111-8111-111111111111";
    const { outcome } = world.call({ call: "DescribeKey", as: "admin", input: { KeyId: keyId } }, admin);
    const arn = `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:key/${keyId}`;
    const expected: Outcome = fail("NotFoundException", `Key '${arn}' does not exist`);
    expect(outcome).toBeInstanceOf(Rejection);
    expect(outcome).toEqual(expected);
    expect(canonicalJson(outcome)).toBe(canonicalJson(expected));
    expect(JSON.stringify(outcome)).toBe(JSON.stringify(expected));
  });

  it("lets a crash inside a KMS operation out of the world instead of answering it", () => {
    const original = KMS_OPERATIONS["DescribeKey"]!;
    KMS_OPERATIONS["DescribeKey"] = function* () {
      throw new Error("planted: a broken invariant");
    };
    undos.push(() => void (KMS_OPERATIONS["DescribeKey"] = original));
    const world = new World({ ...scenario, crypto: "noble" }, "kmsim:operating-errors");
    expect(() => world.call({ call: "DescribeKey", as: "admin", input: { KeyId: "alias/x" } }, admin)).toThrow(/planted/);
  });

  it("lets a crash inside a CloudHSM or IAM check out too (a Rejection thrown is no answer either)", () => {
    const world = new World({ ...scenario, crypto: "noble" }, "kmsim:operating-errors");
    const original = world.cloudhsm.authorize;
    world.cloudhsm.authorize = () => {
      throw new Rejection("CloudHsmAccessDeniedException", "thrown, not returned");
    };
    expect(() => world.call({ call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} }, admin)).toThrow();
    world.cloudhsm.authorize = original;
    world.iamService.authorize = () => {
      throw new Error("planted: a broken invariant");
    };
    expect(() => world.call({ call: "iam:DeleteServiceLinkedRole", as: "admin", input: { RoleName: "x" } }, admin)).toThrow(/planted/);
  });
});
