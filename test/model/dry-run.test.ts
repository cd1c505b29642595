// DryRun in the reference model (model/dry-run.ts), on a state built for the test: a dry run that would
// succeed predicts DryRunOperationException, one that would not predicts the real call's error (access,
// key state, a disconnected store, the grant quota), and after each the state is the one before — no
// ciphertext, no grant made or taken away — save the store's request count, which a dry run spends.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { modelStep } from "../../model/model.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelKey, type ModelState } from "../../model/state.ts";
import type { JsonObject, Outcome, Step } from "../../protocol/step.ts";
import { modelKey, modelKeyArn } from "../support/model-key.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const arnOf = (id: string) => modelKeyArn(world, id);
const key = (id: string, more: Partial<ModelKey> = {}): ModelKey => modelKey(world, id, more);
const ENABLED = "11111111-1111-4111-a111-111111111111";
const DISABLED = "22222222-2222-4222-a222-222222222222";
const IN_STORE = "33333333-3333-4333-a333-333333333333";
const STORE = "cks-0123456789abcdef0";
const BLOB = "AQIDBAUGBwgJCgsMDQ4PEA==";
const STORE_BLOB = "EBESExQVFhcYGRobHB0eHw==";
const GRANT = "a1".repeat(32); // a grant id is 64 lowercase hex digits (model/grant-id.ts)
const TOKEN = "token-of-the-grant";
const admin = world.principals["admin"]!.arn;
const app = world.principals["app"]!.arn;

/** Three keys (enabled, disabled, in a DISCONNECTED store), a ciphertext of two of them, a grant with its token. */
const STATE: ModelState = changed(initialState(world), (s) => {
  s.stores = [
    {
      id: STORE,
      account: world.account,
      name: "s",
      clusterId: world.clusterId,
      lineage: world.clusterId,
      trustAnchor: world.trustAnchor,
      password: world.kmsuserPassword,
      state: "DISCONNECTED",
      creationUs: 0,
    },
  ];
  s.keys = [key(ENABLED), key(DISABLED, { enabled: false }), key(IN_STORE, { origin: "AWS_CLOUDHSM", storeId: STORE })];
  s.ciphertexts = {
    [BLOB]: { keyArn: arnOf(ENABLED), plaintext: "AAEC", bytes: 3, context: { purpose: "test" } },
    [STORE_BLOB]: { keyArn: arnOf(IN_STORE), plaintext: "AAEC", bytes: 3, context: {} },
  };
  s.grants = [{ id: GRANT, keyArn: arnOf(ENABLED), grantee: app, retiring: admin, operations: ["Encrypt"], creationUs: 0 }];
  s.grantTokens = { [TOKEN]: GRANT };
});

/** The model's one prediction for a dry run of `call` by `as`, and the state after it (told it happened). */
function dryRun(call: string, input: JsonObject, as = "admin", state = STATE): { error: string; after: ModelState } {
  const step: Step = { call, as, input: { ...input, DryRun: true } };
  const branches = modelStep(world, state, step, 0);
  expect(branches).toHaveLength(1);
  const { outcome, next } = branches[0]!;
  if (outcome.ok) throw new Error(`the model predicts ${call} with DryRun succeeds`);
  const actual: Outcome = { ok: false, error: { name: outcome.error.name, message: "" } };
  return { error: outcome.error.name, after: next(actual) };
}

const grantInput = (keyId: string) => ({ KeyId: arnOf(keyId), GranteePrincipal: app, Operations: ["Decrypt"] });

describe("DryRun in the model", () => {
  it("a dry run that would succeed predicts DryRunOperationException and changes nothing", () => {
    const calls: [string, JsonObject][] = [
      ["Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC" }],
      ["GenerateDataKey", { KeyId: arnOf(ENABLED), KeySpec: "AES_256" }],
      ["GenerateDataKeyWithoutPlaintext", { KeyId: arnOf(ENABLED), NumberOfBytes: 16 }],
      ["Decrypt", { CiphertextBlob: BLOB, EncryptionContext: { purpose: "test" } }],
      ["Decrypt", { CiphertextBlob: BLOB }], // [MODEL CHOICE] the context is the HSM's (the tag's) to check
      ["Decrypt", { KeyId: arnOf(ENABLED), DryRunModifiers: ["IGNORE_CIPHERTEXT"] }],
      ["ReEncrypt", { CiphertextBlob: BLOB, SourceEncryptionContext: { purpose: "test" }, DestinationKeyId: arnOf(ENABLED) }],
      ["ReEncrypt", { SourceKeyId: arnOf(ENABLED), DestinationKeyId: arnOf(ENABLED), DryRunModifiers: ["IGNORE_CIPHERTEXT"] }],
      ["CreateGrant", grantInput(ENABLED)],
      ["RevokeGrant", { KeyId: arnOf(ENABLED), GrantId: GRANT }],
      ["RetireGrant", { GrantToken: TOKEN }],
      ["RetireGrant", { KeyId: arnOf(ENABLED), GrantId: GRANT }],
    ];
    for (const [call, input] of calls) {
      const { error, after } = dryRun(call, input);
      expect({ call, input, error }).toEqual({ call, input, error: "DryRunOperationException" });
      expect(after).toEqual(STATE);
    }
  });

  it("a dry run the caller may not make predicts AccessDeniedException", () => {
    for (const [call, input] of [
      ["Encrypt", { KeyId: arnOf(ENABLED), Plaintext: "AAEC" }],
      ["CreateGrant", grantInput(ENABLED)],
      ["RevokeGrant", { KeyId: arnOf(ENABLED), GrantId: GRANT }],
    ] as [string, JsonObject][]) {
      const { error, after } = dryRun(call, input, "partner");
      expect({ call, error }).toEqual({ call, error: "AccessDeniedException" });
      expect(after).toEqual(STATE);
    }
  });

  it("a dry run on a key in the wrong state predicts the key-state error; a DISCONNECTED store's key is Unavailable", () => {
    expect(dryRun("Encrypt", { KeyId: arnOf(DISABLED), Plaintext: "AAEC" }).error).toBe("DisabledException");
    expect(dryRun("CreateGrant", grantInput(DISABLED)).error).toBe("DisabledException");
    const inStore = dryRun("Decrypt", { CiphertextBlob: STORE_BLOB });
    expect(inStore.error).toBe("KMSInvalidStateException");
    // Only the store's request count moved: a dry run counts against the quota (§11.2).
    expect(inStore.after.storeRequests).toEqual({ [STORE]: [0] });
    expect({ ...inStore.after, storeRequests: {} }).toEqual(STATE);
  });

  it("CreateGrant past the grants-per-key quota predicts LimitExceededException; an unknown ciphertext InvalidCiphertextException", () => {
    const full = { ...world, grantsPerKey: 1 };
    const step: Step = { call: "CreateGrant", as: "admin", input: { ...grantInput(ENABLED), DryRun: true } };
    expect(modelStep(full, STATE, step, 0).map((b) => (b.outcome.ok ? "ok" : b.outcome.error.name))).toEqual(["LimitExceededException"]);
    expect(dryRun("Decrypt", { CiphertextBlob: "AAAAAAAAAAAAAAAAAAAAAA==" }).error).toBe("InvalidCiphertextException");
  });

  it("IGNORE_CIPHERTEXT needs the key named: Decrypt's KeyId, ReEncrypt's SourceKeyId", () => {
    const ignore = { DryRunModifiers: ["IGNORE_CIPHERTEXT"] };
    expect(dryRun("Decrypt", ignore).error).toBe("ValidationException");
    expect(dryRun("ReEncrypt", { ...ignore, DestinationKeyId: arnOf(ENABLED) }).error).toBe("ValidationException");
    expect(dryRun("Decrypt", { ...ignore, KeyId: arnOf(DISABLED) }).error).toBe("DisabledException");
  });
});
