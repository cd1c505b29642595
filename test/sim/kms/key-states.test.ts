// Spec §5.5, the key-state effect table, row by row through both sides: each operation on a key in
// each reachable state must go ahead or fail with the footnoted error and message.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;
const key = { KeyId: "${k.KeyMetadata.KeyId}" };
const arn = "${k.KeyMetadata.Arn}";
const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };

const SETUP: Step[] = [
  {
    call: "CreateCustomKeyStore",
    as: "admin",
    save: "cks",
    input: {
      CustomKeyStoreName: "s",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: cluster.kmsuserPassword,
    },
  },
  { call: "ConnectCustomKeyStore", as: "admin", input: store },
  { advance: wait },
  { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", ...store } },
  { call: "Encrypt", as: "admin", save: "c", input: { ...key, Plaintext: "AAEC" } },
  { call: "CreateAlias", as: "admin", input: { AliasName: "alias/mine", TargetKeyId: "${k.KeyMetadata.KeyId}" } },
  { call: "CreateKey", as: "admin", save: "other", input: {} },
  { call: "CreateAlias", as: "admin", input: { AliasName: "alias/elsewhere", TargetKeyId: "${other.KeyMetadata.KeyId}" } },
  { call: "Encrypt", as: "admin", save: "oc", input: { KeyId: "${other.KeyMetadata.KeyId}", Plaintext: "AAEC" } },
];
const INTO: Record<string, Step[]> = {
  Enabled: [],
  Disabled: [{ call: "DisableKey", as: "admin", input: key }],
  PendingDeletion: [{ call: "ScheduleKeyDeletion", as: "admin", input: { ...key, PendingWindowInDays: 7 } }],
  Unavailable: [{ call: "DisconnectCustomKeyStore", as: "admin", input: store }, { advance: scenario.timing.disconnectDelayMs }],
};
const OPERATIONS: Record<string, Step> = {
  Encrypt: { call: "Encrypt", as: "admin", input: { ...key, Plaintext: "AAEC" } },
  Decrypt: { call: "Decrypt", as: "admin", input: { CiphertextBlob: "${c.CiphertextBlob}" } },
  DescribeKey: { call: "DescribeKey", as: "admin", input: key },
  EnableKey: { call: "EnableKey", as: "admin", input: key },
  DisableKey: { call: "DisableKey", as: "admin", input: key },
  ScheduleKeyDeletion: { call: "ScheduleKeyDeletion", as: "admin", input: key },
  CancelKeyDeletion: { call: "CancelKeyDeletion", as: "admin", input: key },
  UpdateKeyDescription: { call: "UpdateKeyDescription", as: "admin", input: { ...key, Description: "new" } },
  TagResource: { call: "TagResource", as: "admin", input: { ...key, Tags: [{ TagKey: "team", TagValue: "blue" }] } },
  UntagResource: { call: "UntagResource", as: "admin", input: { ...key, TagKeys: ["team"] } },
  ListResourceTags: { call: "ListResourceTags", as: "admin", input: key },
  CreateAlias: { call: "CreateAlias", as: "admin", input: { AliasName: "alias/new", TargetKeyId: "${k.KeyMetadata.KeyId}" } },
  UpdateAlias: { call: "UpdateAlias", as: "admin", input: { AliasName: "alias/elsewhere", TargetKeyId: "${k.KeyMetadata.KeyId}" } },
  DeleteAlias: { call: "DeleteAlias", as: "admin", input: { AliasName: "alias/mine" } },
  GenerateDataKey: { call: "GenerateDataKey", as: "admin", input: { ...key, KeySpec: "AES_256" } },
  CreateGrant: {
    call: "CreateGrant",
    as: "admin",
    input: { KeyId: "${k.KeyMetadata.Arn}", GranteePrincipal: scenario.world.principals["app"]!.arn, Operations: ["Encrypt"] },
  },
  GenerateDataKeyWithoutPlaintext: { call: "GenerateDataKeyWithoutPlaintext", as: "admin", input: { ...key, NumberOfBytes: 16 } },
  "ReEncrypt (from the key)": {
    call: "ReEncrypt",
    as: "admin",
    input: { CiphertextBlob: "${c.CiphertextBlob}", DestinationKeyId: "${other.KeyMetadata.KeyId}" },
  },
  "ReEncrypt (to the key)": {
    call: "ReEncrypt",
    as: "admin",
    input: { CiphertextBlob: "${oc.CiphertextBlob}", DestinationKeyId: "${k.KeyMetadata.KeyId}" },
  },
};
const ok = { ok: true };
const fail = (name: string, what: string) => ({ ok: false, error: { name, message: `${arn} is ${what}.` } });
//                      Enabled  Disabled                             PendingDeletion                                   Unavailable
const TABLE: Record<string, object[]> = {
  Encrypt: [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
  Decrypt: [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
  DescribeKey: [ok, ok, ok, ok],
  EnableKey: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  DisableKey: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  ScheduleKeyDeletion: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  CancelKeyDeletion: [
    fail("KMSInvalidStateException", "not pending deletion"),
    fail("KMSInvalidStateException", "not pending deletion"),
    ok,
    fail("KMSInvalidStateException", "not pending deletion"),
  ],
  UpdateKeyDescription: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  TagResource: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  UntagResource: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  ListResourceTags: [ok, ok, ok, ok],
  CreateAlias: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok],
  UpdateAlias: [ok, ok, fail("KMSInvalidStateException", "pending deletion"), ok], // fn 10: the new key's state
  DeleteAlias: [ok, ok, ok, ok],
  CreateGrant: [ok, fail("DisabledException", "disabled"), fail("KMSInvalidStateException", "pending deletion"), ok], // §5.5: ✓ while Unavailable
  GenerateDataKey: [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
  GenerateDataKeyWithoutPlaintext: [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
  "ReEncrypt (from the key)": [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
  "ReEncrypt (to the key)": [
    ok,
    fail("DisabledException", "disabled"),
    fail("KMSInvalidStateException", "pending deletion"),
    fail("KMSInvalidStateException", "unavailable"),
  ],
};
const STATES = ["Enabled", "Disabled", "PendingDeletion", "Unavailable"];

function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:key-states", steps);
}

describe("§5.5 key-state effect table on both sides", () => {
  for (const [operation, row] of Object.entries(TABLE)) {
    row.forEach((expected, i) => {
      const state = STATES[i]!;
      it(`${operation} on a ${state} key`, () => {
        const steps = [
          ...SETUP,
          ...INTO[state]!,
          { call: "DescribeKey", as: "admin", input: key, expect: { ok: true, output: { KeyMetadata: { KeyState: state } } } } as Step,
          { ...OPERATIONS[operation]!, expect: expected } as Step,
        ];
        const result = run(steps);
        expect(result.failure).toBeUndefined();
        expect(result.records).toHaveLength(steps.length);
      });
    });
  }
});

describe("key deletion (§4, §5.4)", () => {
  const schedule: Step = { call: "ScheduleKeyDeletion", as: "admin", input: { ...key, PendingWindowInDays: 7 } };
  const week: Step = { advance: 7 * 86_400_000 + 1 };

  it("CancelKeyDeletion lands in Disabled, also while the store is down (then Unavailable)", () => {
    const steps: Step[] = [
      ...SETUP,
      schedule,
      ...INTO["Unavailable"]!,
      {
        call: "DescribeKey",
        as: "admin",
        input: key,
        expect: { ok: true, output: { KeyMetadata: { KeyState: "PendingDeletion", Enabled: false } } },
      },
      { call: "CancelKeyDeletion", as: "admin", input: key, expect: { ok: true } },
      { call: "DescribeKey", as: "admin", input: key, expect: { ok: true, output: { KeyMetadata: { KeyState: "Unavailable" } } } },
      { call: "ConnectCustomKeyStore", as: "admin", input: store },
      { advance: wait },
      { call: "DescribeKey", as: "admin", input: key, expect: { ok: true, output: { KeyMetadata: { KeyState: "Disabled" } } } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a deleted key is gone, its ciphertexts never open again, and its store may then be deleted", () => {
    const steps: Step[] = [
      ...SETUP,
      schedule,
      {
        call: "DeleteCustomKeyStore",
        as: "admin",
        input: store,
        expect: { ok: false, error: { name: "CustomKeyStoreInvalidStateException" } },
      },
      week,
      { call: "DescribeKey", as: "admin", input: key, expect: { ok: false, error: { name: "NotFoundException" } } },
      {
        call: "Decrypt",
        as: "admin",
        input: { CiphertextBlob: "${c.CiphertextBlob}" },
        expect: { ok: false, error: { name: "InvalidCiphertextException" } },
      },
      { call: "DisconnectCustomKeyStore", as: "admin", input: store },
      { advance: scenario.timing.disconnectDelayMs },
      { call: "DeleteCustomKeyStore", as: "admin", input: store, expect: { ok: true } },
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    expect(result.probes["key:deleted"]).toBe(1);
    expect(result.probes["key:material-orphaned"]).toBeUndefined();
  });

  it("a pending-deletion key still counts against DeleteCustomKeyStore", () => {
    const steps: Step[] = [
      ...SETUP,
      schedule,
      ...INTO["Unavailable"]!,
      { call: "DeleteCustomKeyStore", as: "admin", input: store, expect: { ok: false, error: { name: "CustomKeyStoreHasCMKsException" } } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a key deleted while its store is disconnected leaves its material orphaned in the cluster", () => {
    const steps: Step[] = [
      ...SETUP,
      schedule,
      ...INTO["Unavailable"]!,
      week,
      { call: "DescribeKey", as: "admin", input: key, expect: { ok: false, error: { name: "NotFoundException" } } },
    ];
    const result = run(steps);
    expect(result.failure).toBeUndefined();
    expect(result.probes["key:material-orphaned"]).toBe(1);
  });
});
