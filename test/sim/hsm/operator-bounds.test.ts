// The operator's actions inside a cluster (hsm:*) have no AWS service model: both sides bound their
// members by hand (sim/hsm/operations.ts, model/cloudhsm.ts) — a crypto user's name, a password, a new
// password, a key's label. Campaigns draw a few fixed passwords and names, never one at a bound, so a
// bound one side gets wrong went unseen (a new password of at least 8 characters, on 1 December 2026).
// Here every member of every action, on an input each side otherwise takes, is sent at lengths around
// every bound either side uses, through both sides: the model must allow what the virtual cluster answers.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const ClusterId = cluster.clusterId;

/** Lengths at and around each bound the two sides' readers use (1, 7, 32, 64, 2048), and none. */
const LENGTHS = [0, 1, 2, 6, 7, 8, 31, 32, 33, 63, 64, 65, 2047, 2048, 2049];

/** Each action with an input it would otherwise take: the world's cluster, its kmsuser or a new user. */
const BASE: Record<string, JsonObject> = {
  "hsm:Login": { ClusterId, Username: "kmsuser", Password: "wrongPassword9" },
  "hsm:Logout": { ClusterId, Username: "kmsuser" },
  "hsm:ChangePassword": { ClusterId, Username: "kmsuser", NewPassword: "operatorPass77" },
  "hsm:CreateUser": { ClusterId, Username: "crypto1", Password: "operatorPass77" },
  "hsm:DeleteUser": { ClusterId, Username: "crypto2" },
  "hsm:DeleteKey": { ClusterId, Label: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" },
  "hsm:CreateBackup": { ClusterId },
};

describe("the operator's actions' bounds on both sides", () => {
  it("answers every member at and around every bound as the model allows", () => {
    const steps: Step[] = [];
    for (const [call, base] of Object.entries(BASE))
      for (const name of Object.keys(base))
        for (const length of LENGTHS) steps.push({ call, as: "admin", input: { ...base, [name]: "a".repeat(length) } });
    const result = executeSteps(scenario, "kmsim:operator-bounds", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
    // Both kinds of answer among them: refused as invalid, and taken past the bounds.
    const names = new Set(result.records.map((r) => (r.sut.ok ? "ok" : r.sut.error.name)));
    expect(names).toContain("ValidationException");
    expect(names.size).toBeGreaterThan(3);
  });
});
