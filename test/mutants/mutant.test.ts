// The catalogue as data and patches: names unique and kebab-case, every area of the issue covered,
// at least 40 mutants; each mutant changes some seam when applied and its undo puts every seam back
// exactly (so, off, no code of it runs); and the patch helper restores own and inherited members.
import { describe, expect, it } from "vitest";
import { AREAS, patch } from "../../mutants/mutant.ts";
import { CATALOGUE, mutantNamed } from "../../mutants/catalogue.ts";
import { VirtualCluster } from "../../sim/hsm/cluster.ts";
import { CloudHsmService } from "../../sim/hsm/service.ts";
import { conditionSemantics, RequestContext } from "../../sim/iam/conditions.ts";
import { DecisionCache } from "../../sim/iam/decision-cache.ts";
import { IamDirectory } from "../../sim/iam/iam.ts";
import { access } from "../../sim/kms/access.ts";
import { HsmClient } from "../../sim/kms/hsm-client.ts";
import { VirtualKms } from "../../sim/kms/kms.ts";
import { KMS_OPERATIONS } from "../../sim/kms/operations.ts";
import { World } from "../../sim/world.ts";

const SEAMS: object[] = [
  VirtualCluster.prototype,
  CloudHsmService.prototype,
  HsmClient.prototype,
  VirtualKms.prototype,
  IamDirectory.prototype,
  RequestContext.prototype,
  DecisionCache.prototype,
  World.prototype,
  KMS_OPERATIONS,
  access,
  conditionSemantics,
];

/** Every own member of every seam as it is now (its value, or its accessors: a getter is not called). */
function snapshot(): Map<object, Map<string, unknown>> {
  return new Map(
    SEAMS.map((seam) => [
      seam,
      new Map(
        Object.getOwnPropertyNames(seam).map((k) => {
          const d = Object.getOwnPropertyDescriptor(seam, k)!;
          return [k, d.get ?? d.value];
        }),
      ),
    ]),
  );
}

function differences(a: Map<object, Map<string, unknown>>, b: Map<object, Map<string, unknown>>): string[] {
  const out: string[] = [];
  for (const [seam, members] of a) {
    const other = b.get(seam)!;
    for (const k of new Set([...members.keys(), ...other.keys()])) if (members.get(k) !== other.get(k)) out.push(k);
  }
  return out;
}

describe("the mutant catalogue", () => {
  it("has at least 40 mutants with unique kebab-case names, one-line descriptions and shipped scenarios", () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CATALOGUE.map((m) => m.name)).size).toBe(CATALOGUE.length);
    for (const m of CATALOGUE) {
      expect(m.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(m.description).not.toContain("\n");
      expect(m.scenarios.length).toBeGreaterThan(0);
      for (const s of m.scenarios) expect(["default", "keystores", "keys", "authz"]).toContain(s);
      expect(mutantNamed(m.name)).toBe(m);
    }
  });

  it("covers every area of the issue, and every condition operator family and qualifier", () => {
    expect(new Set(CATALOGUE.map((m) => m.area))).toEqual(new Set(AREAS));
    const conditions = CATALOGUE.filter((m) => m.area === "conditions")
      .map((m) => `${m.name} ${m.description}`)
      .join(" ");
    for (const family of ["String", "Numeric", "Date", "Bool", "Arn", "Null", "IfExists", "ForAllValues", "ForAnyValue"])
      expect(conditions).toContain(family);
  });

  it.each(CATALOGUE.map((m) => [m.name, m] as const))("%s changes a seam when applied and its undo restores every seam", (_, m) => {
    const before = snapshot();
    const undo = m.apply();
    const during = snapshot();
    undo();
    expect(differences(before, during).length).toBeGreaterThan(0);
    expect(differences(before, snapshot())).toEqual([]);
  });

  it("patch restores an own member and removes one that was inherited", () => {
    class Base {
      greet(): string {
        return "hello";
      }
    }
    const own = { greet: () => "own" };
    const undoOwn = patch(own, "greet", (original) => () => `${original()}!`);
    expect(own.greet()).toBe("own!");
    undoOwn();
    expect(own.greet()).toBe("own");
    const child = Object.create(Base.prototype) as Base;
    const undoInherited = patch(child, "greet", () => () => "patched");
    expect(child.greet()).toBe("patched");
    undoInherited();
    expect(Object.hasOwn(child, "greet")).toBe(false);
    expect(child.greet()).toBe("hello");
  });
});
