// The one allow-list of §15 ambiguities (model/ambiguities.ts): where AWS documents more than one
// answer, the model offers each of them, labelled with the ambiguity, and the virtual KMS's answer is
// one of them.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { AMBIGUITIES } from "../../model/ambiguities.ts";
import { modelStep } from "../../model/model.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelState } from "../../model/state.ts";
import { executeSteps } from "../../harness/execute.ts";
import { modelWorld } from "../../harness/model-world.ts";
import type { Step } from "../../protocol/step.ts";
import { modelKey, modelKeyArn } from "../support/model-key.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const KEY_ID = "1234abcd-12ab-44cd-a6ef-1234567890ab";
const ARN = modelKeyArn(world, KEY_ID);

function withKeyPendingDeletion(): ModelState {
  return changed(
    initialState(world),
    (state) => void (state.keys = [modelKey(world, KEY_ID, { enabled: false, deletionAtUs: 7 * 86_400_000_000 })]),
  );
}

const errorsOf = (step: Step, state: ModelState) =>
  modelStep(world, state, step, 0).map((b) => ({ error: b.outcome.ok ? "ok" : b.outcome.error.name, why: b.why }));

describe("§15 ambiguities: the model allows each documented answer", () => {
  it("crypto on a key pending deletion: DisabledException or KMSInvalidStateException", () => {
    const branches = errorsOf({ call: "Encrypt", as: "admin", input: { KeyId: ARN, Plaintext: "AAEC" } }, withKeyPendingDeletion());
    expect(branches.map((b) => b.error)).toEqual([...AMBIGUITIES["crypto on a key pending deletion"]]);
    expect(new Set(branches.map((b) => b.why))).toEqual(new Set(["§15 ambiguity: crypto on a key pending deletion"]));
  });

  it("a reserved alias name: InvalidAliasNameException or AccessDeniedException; the virtual KMS answers one", () => {
    const step: Step = { call: "CreateAlias", as: "admin", input: { AliasName: "alias/aws/s3", TargetKeyId: ARN } };
    expect(errorsOf(step, withKeyPendingDeletion()).map((b) => b.error)).toEqual([...AMBIGUITIES["reserved alias name"]]);
    const result = executeSteps(scenario, "kmsim:ambiguities", [
      { call: "CreateKey", as: "admin", save: "k", input: {} },
      { ...step, input: { AliasName: "alias/aws/s3", TargetKeyId: "${k.KeyMetadata.KeyId}" } },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it("where the spec records one answer, there is one branch", () => {
    const branches = errorsOf({ call: "DisableKey", as: "admin", input: { KeyId: ARN } }, withKeyPendingDeletion());
    expect(branches).toEqual([{ error: "KMSInvalidStateException", why: undefined }]);
  });
});
