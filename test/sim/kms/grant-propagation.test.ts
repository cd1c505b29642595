// Grants are eventually consistent (spec §12) through both sides, on the authz scenario's timing: a
// new grant authorizes without its token only once it has propagated — inside the window the model
// allows either answer, past it exactly one — and at once with its token; a retired one may keep
// authorizing inside its window and never past it.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { modelStep } from "../../../model/model.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { modelWorld } from "../../../harness/model-world.ts";
import { initialState } from "../../../model/initial-state.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { modelKey } from "../../support/model-key.ts";

const scenario = loadScenario("authz");
const windowMs = scenario.timing.grantPropagationMsMax;
const app = scenario.world.principals["app"]!.arn;
const keyArn = "${k.KeyMetadata.Arn}";
const encrypt = (expected?: JsonObject, tokens?: string[]): Step => ({
  call: "Encrypt",
  as: "app",
  input: { KeyId: keyArn, Plaintext: "AAEC", ...(tokens !== undefined ? { GrantTokens: tokens } : {}) },
  ...(expected !== undefined ? { expect: expected } : {}),
});
const denied = { ok: false, error: { name: "AccessDeniedException" } };

describe("grant propagation (§12) on both sides", () => {
  it("the scenario has a window to test", () => {
    expect(windowMs).toBeGreaterThan(0);
  });

  it("a new grant: either answer inside the window, allowed past it; with its token, allowed at once", () => {
    const steps: Step[] = [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      {
        call: "CreateGrant",
        as: "admin",
        save: "g",
        input: { KeyId: keyArn, GranteePrincipal: app, Operations: ["Encrypt", "RetireGrant"] },
      },
      encrypt(),
      encrypt({ ok: true }, ["${g.GrantToken}"]),
      { advance: windowMs },
      encrypt({ ok: true }),
      { call: "RetireGrant", as: "app", input: { GrantToken: "${g.GrantToken}" }, expect: { ok: true } },
      encrypt(),
      { advance: windowMs },
      encrypt(denied),
    ];
    const result = executeSteps(scenario, "kmsim:grant-propagation", steps);
    expect(result.failure).toBeUndefined();
    // Inside the windows the model allowed both answers (steps 2 and 7).
    for (const i of [2, 7])
      expect(result.records[i]!.model.map((o) => (o.ok ? "ok" : o.error.name)).sort()).toEqual(["AccessDeniedException", "ok"]);
    for (const i of [5, 9]) expect(result.records[i]!.model).toHaveLength(1);
  });

  it("the model alone: one grant in its window doubles the answers, and only for its grantee", () => {
    const world = modelWorld(scenario);
    const key = modelKey(world, "1234abcd-12ab-44cd-a6ef-1234567890ab");
    const arn = key.arn;
    const state = {
      ...initialState(world),
      keys: [key],
      grants: [{ id: "g", keyArn: arn, grantee: app, operations: ["Encrypt"], creationUs: 1_000_000 }],
    };
    const answers = (as: string, atUs: number) =>
      modelStep(world, state, { call: "Encrypt", as, input: { KeyId: arn, Plaintext: "AAEC" } }, atUs)
        .map((b) => (b.outcome.ok ? "ok" : b.outcome.error.name))
        .sort();
    expect(answers("app", 1_000_000)).toEqual(["AccessDeniedException", "ok"]);
    expect(answers("app", 1_000_000 + world.grantPropagationUsMax)).toEqual(["ok"]);
    expect(answers("alice", 1_000_000)).toEqual(["AccessDeniedException"]);
  });
});
