// DryRun (sim/kms/dry-run.ts) through both sides: a dry run that would succeed answers
// DryRunOperationException and does nothing; one that would fail answers the real call's error (access,
// key state, store state, quota), and a grant token counts as for the real call; IGNORE_CIPHERTEXT leaves
// the ciphertext unread. And on the virtual
// KMS alone: a dry run draws nothing, so the calls after it answer byte for byte as without it.
import { describe, expect, it } from "vitest";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { KEYS, keyId, principals, run, scenario } from "../../support/crypto-keys.ts";
import { disconnect } from "../../support/store-steps.ts";

const DRY = { ok: false, error: { name: "DryRunOperationException" } };
const fails = (name: string) => ({ ok: false, error: { name } });
const call = (name: string, input: JsonObject, expected: JsonObject, as = "admin", save?: string): Step => ({
  call: name,
  as,
  input,
  expect: expected,
  ...(save !== undefined ? { save } : {}),
});
const context = { purpose: "test" };
/** One of each grant change, made for real first so the dry runs have something to act on. */
const grantOn = (which: string): JsonObject => ({
  KeyId: keyId(which),
  GranteePrincipal: principals["app"]!.arn,
  RetiringPrincipal: principals["admin"]!.arn,
  Operations: ["Encrypt"],
});
const listed = (n: number, which: string): Step => ({
  call: "ListGrants",
  as: "admin",
  input: { KeyId: keyId(which) },
  expect: { ok: true, output: { Truncated: false, Grants: Array.from({ length: n }, () => ({})) as never } },
});

describe("DryRun in the virtual KMS", () => {
  for (const which of ["kms", "hsm"]) {
    it(`every operation that takes it answers DryRunOperationException when it would succeed (${which} key)`, () => {
      const steps: Step[] = [
        ...KEYS,
        call("Encrypt", { KeyId: keyId(which), Plaintext: "AAEC", EncryptionContext: context }, { ok: true }, "admin", "c"),
        call("Encrypt", { KeyId: keyId(which), Plaintext: "AAEC", DryRun: true }, DRY),
        call("GenerateDataKey", { KeyId: keyId(which), KeySpec: "AES_256", DryRun: true }, DRY),
        call("GenerateDataKeyWithoutPlaintext", { KeyId: keyId(which), NumberOfBytes: 32, DryRun: true }, DRY),
        call("Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: context, DryRun: true }, DRY),
        // The ciphertext's tag is the HSM's work: a wrong context is not noticed by a dry run [MODEL CHOICE].
        call("Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: { purpose: "other" }, DryRun: true }, DRY),
        call(
          "ReEncrypt",
          { CiphertextBlob: "${c.CiphertextBlob}", SourceEncryptionContext: context, DestinationKeyId: keyId("kms"), DryRun: true },
          DRY,
        ),
        call("CreateGrant", { ...grantOn(which), DryRun: true }, DRY),
        listed(0, which),
        call("CreateGrant", grantOn(which), { ok: true }, "admin", "g"),
        call("RevokeGrant", { KeyId: keyId(which), GrantId: "${g.GrantId}", DryRun: true }, DRY),
        call("RetireGrant", { GrantToken: "${g.GrantToken}", DryRun: true }, DRY),
        call("RetireGrant", { KeyId: keyId(which), GrantId: "${g.GrantId}", DryRun: true }, DRY),
        listed(1, which),
        // The real call still works afterwards: nothing was taken away.
        call("RetireGrant", { GrantToken: "${g.GrantToken}" }, { ok: true }),
        listed(0, which),
        call("Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", EncryptionContext: context }, { ok: true, output: { Plaintext: "AAEC" } }),
      ];
      expect(run(steps).failure).toBeUndefined();
    });
  }

  it("a dry run the caller may not make is AccessDeniedException, as the real call", () => {
    const steps: Step[] = [
      ...KEYS,
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", DryRun: true }, fails("AccessDeniedException"), "alice"),
      call("CreateGrant", { ...grantOn("kms"), DryRun: true }, fails("AccessDeniedException"), "app"),
      listed(0, "kms"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a grant's token authorizes a dry run before the grant has propagated, as it does the real call", () => {
    const windowed = { ...scenario, timing: { ...scenario.timing, grantPropagationMsMax: 3000 } };
    const steps: Step[] = [
      ...KEYS,
      call("CreateGrant", grantOn("kms"), { ok: true }, "admin", "g"),
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", GrantTokens: ["${g.GrantToken}"], DryRun: true }, DRY, "app"),
      { advance: 3001 },
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", DryRun: true }, DRY, "app"),
      call("RevokeGrant", { KeyId: keyId("kms"), GrantId: "${g.GrantId}" }, { ok: true }),
      { advance: 3001 },
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", DryRun: true }, fails("AccessDeniedException"), "app"),
    ];
    expect(executeSteps(windowed, "kmsim:dry-run", steps).failure).toBeUndefined();
  });

  it("a dry run on a key in the wrong state answers the key-state error; a disconnected store's key is Unavailable", () => {
    const steps: Step[] = [
      ...KEYS,
      call("Encrypt", { KeyId: keyId("hsm"), Plaintext: "AAEC" }, { ok: true }, "admin", "c"),
      call("DisableKey", { KeyId: keyId("kms") }, { ok: true }),
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", DryRun: true }, fails("DisabledException")),
      call("CreateGrant", { ...grantOn("kms"), DryRun: true }, fails("DisabledException")),
      disconnect,
      { advance: scenario.timing.disconnectDelayMs + 1 },
      call("GenerateDataKey", { KeyId: keyId("hsm"), KeySpec: "AES_128", DryRun: true }, fails("KMSInvalidStateException")),
      call("Decrypt", { CiphertextBlob: "${c.CiphertextBlob}", DryRun: true }, fails("KMSInvalidStateException")),
      listed(0, "kms"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("CreateGrant past the grants-per-key quota is LimitExceededException, dry run or not", () => {
    const oneGrant = { ...scenario, quotas: { ...scenario.quotas, grantsPerKey: 1 } };
    const steps: Step[] = [
      ...KEYS,
      call("CreateGrant", { ...grantOn("kms"), DryRun: true }, DRY),
      call("CreateGrant", grantOn("kms"), { ok: true }),
      call("CreateGrant", { ...grantOn("kms"), Operations: ["Decrypt"], DryRun: true }, fails("LimitExceededException")),
      listed(1, "kms"),
    ];
    expect(executeSteps(oneGrant, "kmsim:dry-run", steps).failure).toBeUndefined();
  });

  it("IGNORE_CIPHERTEXT: no ciphertext is read, the key comes from KeyId / SourceKeyId, required then", () => {
    const ignore = { DryRun: true, DryRunModifiers: ["IGNORE_CIPHERTEXT"] };
    const steps: Step[] = [
      ...KEYS,
      call("Decrypt", { KeyId: keyId("hsm"), ...ignore }, DRY),
      call("Decrypt", { KeyId: keyId("kms"), CiphertextBlob: "AAECAwQFBgcICQoLDA0ODw==", ...ignore }, DRY),
      call("Decrypt", { KeyId: keyId("kms"), ...ignore }, fails("AccessDeniedException"), "alice"),
      call("Decrypt", ignore, fails("ValidationException")),
      call("ReEncrypt", { SourceKeyId: keyId("hsm"), DestinationKeyId: keyId("kms"), ...ignore }, DRY),
      call("ReEncrypt", { DestinationKeyId: keyId("kms"), ...ignore }, fails("ValidationException")),
      // Without DryRun the modifier changes nothing: the ciphertext is required.
      call("Decrypt", { KeyId: keyId("kms"), DryRunModifiers: ["IGNORE_CIPHERTEXT"] }, fails("ValidationException")),
      call("Decrypt", { KeyId: keyId("kms"), DryRun: true, DryRunModifiers: ["SKIP_EVERYTHING"] }, fails("ValidationException")),
      call("Encrypt", { KeyId: keyId("kms"), Plaintext: "AAEC", DryRun: "yes" }, fails("SerializationException")),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("draws nothing: the calls after a dry run answer byte for byte as without it", () => {
    const after: Step[] = [
      call("Encrypt", { KeyId: keyId("hsm"), Plaintext: "AAEC" }, { ok: true }),
      call("GenerateDataKey", { KeyId: keyId("kms"), KeySpec: "AES_256" }, { ok: true }),
      call("CreateGrant", grantOn("kms"), { ok: true }),
    ];
    const dryRuns = after.map((s) => ({ ...s, input: { ...(s as { input: JsonObject }).input, DryRun: true }, expect: DRY }));
    const outputs = (steps: Step[]) =>
      run(steps)
        .records.filter((r) => r.i >= KEYS.length)
        .map((r) => r.sut)
        .filter((o) => o.ok);
    const plain = outputs([...KEYS, ...after]);
    const withDryRuns = outputs([...KEYS, ...(dryRuns as Step[]), ...after]);
    expect(plain).toHaveLength(3);
    expect(withDryRuns).toEqual(plain);
  });
});
