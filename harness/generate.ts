// The generator: a fast-check arbitrary of Step lists for a scenario. Steps refer to things made
// earlier by kind and index (`{"ref": "key", "index": 3}`), so shrinking never leaves a dangling
// id. Per seed a swarm configuration switches some operations and faults off and reweights the rest
// (TigerBeetle's swarm testing): some seeds never partition, some hammer one fault.
import fc from "fast-check";
import type { Prng } from "../sim/kernel/prng.ts";
import { droppable, macros } from "./macros.ts";
import { identityPolicies, keyPolicies } from "./policies.ts";
import { lateFactorMin, slowFactorEffect } from "../sim/config.ts";
import type { Scenario } from "./scenario.ts";
import { FAULT_NAMES, type FaultName, type Json, type JsonObject, type Step } from "../protocol/step.ts";

export interface Swarm {
  callWeights: Record<string, number>;
  faultWeights: Record<FaultName, number>;
  advanceWeight: number;
  /** Weights of the operator sequences (scenario `macroWeights`), each kept with 1/2. */
  macroWeights: Record<string, number>;
}

/** Calls kept in every swarm: without them little else can happen. */
const CORE_CALLS = ["CreateCustomKeyStore", "ConnectCustomKeyStore", "CreateKey", "Encrypt", "Decrypt"];

/** Draws this seed's swarm configuration: each non-core call is kept with 3/4, each fault with 1/2. */
export function drawSwarm(scenario: Scenario, prng: Prng): Swarm {
  const g = scenario.generator;
  const callWeights: Record<string, number> = {};
  for (const [call, w] of Object.entries(g.callWeights).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const kept = CORE_CALLS.includes(call) || prng.chance(3, 4);
    callWeights[call] = kept ? w * prng.intBetween(1, 3) : 0;
  }
  const faultWeights = {} as Record<FaultName, number>;
  for (const fault of FAULT_NAMES) faultWeights[fault] = prng.chance(1, 2) ? (g.faultWeights[fault] ?? 0) * prng.intBetween(1, 3) : 0;
  const macroWeights: Record<string, number> = {};
  for (const [name, w] of Object.entries(g.macroWeights).sort(([a], [b]) => (a < b ? -1 : 1)))
    macroWeights[name] = prng.chance(1, 2) ? w : 0;
  return { callWeights, faultWeights, advanceWeight: g.advanceWeight, macroWeights };
}

const ref = (kind: string) => fc.nat({ max: 30 }).map((index): Json => ({ ref: kind, index }));
const base64 = fc.uint8Array({ minLength: 1, maxLength: 48 }).map((b) => Buffer.from(b).toString("base64"));
const contextChoices: (JsonObject | undefined)[] = [undefined, { purpose: "test" }, { purpose: "test", team: "blue" }, { Purpose: "test" }];
const contexts = fc.constantFrom(...contextChoices);

/** `slow-hsm` factors whose effect the timing fixes (see slowFactorEffect): 1, 2 if in time, and two late ones. */
function slowFactors(scenario: Scenario): number[] {
  const late = lateFactorMin(scenario.timing);
  return [1, ...(slowFactorEffect(scenario.timing, 2) === "in-time" ? [2] : []), late, 4 * late];
}

function callArbitraries(scenario: Scenario): Record<string, fc.Arbitrary<JsonObject>> {
  const { cluster } = scenario.world;
  const names = fc.constantFrom("store-a", "store-b", "store-c");
  const storeRef = ref("store");
  // Keys by id or ARN, and now and then by alias name or alias ARN — which only crypto and
  // DescribeKey accept (§6.3); elsewhere they must come back NotFoundException.
  const aliasNames = ["alias/payments", "alias/logs"];
  const aliasName = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...aliasNames) },
    { weight: 1, arbitrary: fc.constantFrom("alias/aws/s3", "payments", "alias/bad name") },
  );
  const byAlias = fc.constantFrom(...aliasNames, `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:alias/payments`);
  const keyRef = fc.oneof({ weight: 4, arbitrary: ref("key") }, { weight: 4, arbitrary: ref("keyArn") }, { weight: 1, arbitrary: byAlias });
  // Mostly the world's own cluster (index 0), sometimes one made since.
  const clusterRef = fc.oneof(
    { weight: 3, arbitrary: fc.constant<Json>({ ref: "cluster", index: 0 }) },
    { weight: 2, arbitrary: ref("cluster") },
  );
  const zones = [...new Set(cluster.hsms.map((h) => h.availabilityZone))];
  const kmsuser = fc.constant("kmsuser");
  // A few tag keys (one reserved), so tags collide, overwrite and get removed.
  const tagKey = fc.constantFrom("team", "env", "cost-center", "aws:reserved");
  const tag = fc.record({ TagKey: tagKey, TagValue: fc.constantFrom("", "blue", "prod") });
  // kmsuser's first password, an operator's new one, and a wrong one.
  const passwords = fc.constantFrom(cluster.kmsuserPassword, "operatorPass77", "wrongPassword9");
  // The world's roles and users by name (one that does not exist, one of another account, the SLR), and inline policy names.
  const principalNames = (kind: string, mine: boolean) =>
    Object.values(scenario.world.principals)
      .map((p) => p.arn)
      .filter((a) => a.includes(`:${kind}/`) && a.includes(`::${scenario.world.account}:`) === mine)
      .map((a) => a.slice(a.lastIndexOf("/") + 1));
  const entityNames = (kind: string, ...missing: string[]): fc.Arbitrary<string> =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...principalNames(kind, true)) },
      { weight: 1, arbitrary: fc.constantFrom(...principalNames(kind, false), ...missing) },
    );
  const roleName = entityNames("role", "Nobody", "AWSServiceRoleForKeyManagementServiceCustomKeyStores");
  const userName = entityNames("user", "bob");
  const inlineName = fc.constantFrom("KmsUse", "KmsUse", "Extra", "AdminAccess");
  // Principal tags for ABAC (aws:PrincipalTag/*): team is what the policy templates test; aws: is reserved.
  const principalTags = fc.array(
    fc.record({ Key: fc.constantFrom("team", "team", "env", "aws:system"), Value: fc.constantFrom("blue", "red", "") }),
    { minLength: 1, maxLength: 2 },
  );
  // Now and then the latest grant token — only where the scenario makes grants at all.
  const grantTokens: fc.Arbitrary<Json | undefined> =
    (scenario.generator.callWeights["CreateGrant"] ?? 0) > 0
      ? fc.oneof(
          { weight: 6, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.constant<Json>([{ ref: "grantToken", index: -1 }]) },
        )
      : fc.constant(undefined);
  // Grantees and retiring principals: the world's principals, mostly app and alice, an account, the partner.
  const grantee = fc.constantFrom(
    ...["app", "app", "alice", "alice", "partner", "admin"].map((p) => scenario.world.principals[p]?.arn ?? ""),
    `arn:aws:iam::${scenario.world.account}:root`,
  );
  // KeySpec or NumberOfBytes, now and then both or neither (ValidationException, §8.2).
  const dataKeyInput = fc
    .tuple(keyRef, fc.integer({ min: 0, max: 9 }), fc.constantFrom("AES_256", "AES_128"), fc.constantFrom(1, 32, 64, 1024), contexts)
    .map(([KeyId, roll, KeySpec, NumberOfBytes, context]) => {
      const out: JsonObject = { KeyId, ...(roll < 5 ? { KeySpec } : roll < 9 ? { NumberOfBytes } : roll === 9 ? {} : {}) };
      if (roll === 9 && NumberOfBytes === 64) Object.assign(out, { KeySpec, NumberOfBytes });
      if (context !== undefined) out["EncryptionContext"] = context;
      return out;
    });
  return {
    CreateCustomKeyStore: fc.record({
      CustomKeyStoreName: names,
      CloudHsmClusterId: fc.constantFrom(cluster.clusterId, cluster.clusterId, cluster.clusterId, "cluster-doesnotexist2"),
      TrustAnchorCertificate: fc.constantFrom(
        cluster.trustAnchor,
        cluster.trustAnchor,
        cluster.trustAnchor,
        "-----BEGIN CERTIFICATE-----\nNOTTHEANCHOR\n-----END CERTIFICATE-----",
      ),
      KeyStorePassword: fc.constantFrom(cluster.kmsuserPassword, cluster.kmsuserPassword, cluster.kmsuserPassword, "wrongPassword9"),
    }),
    ConnectCustomKeyStore: fc.record({ CustomKeyStoreId: storeRef }),
    DisconnectCustomKeyStore: fc.record({ CustomKeyStoreId: storeRef }),
    DescribeCustomKeyStores: fc.oneof(fc.constant({}), fc.record({ CustomKeyStoreId: storeRef }), fc.record({ CustomKeyStoreName: names })),
    CreateKey: fc
      .record(
        {
          Origin: fc.constantFrom("AWS_KMS", "AWS_CLOUDHSM", "AWS_CLOUDHSM"),
          CustomKeyStoreId: storeRef,
          Description: fc.constantFrom("", "payments", "backups"),
          Policy: keyPolicies(scenario),
          BypassPolicyLockoutSafetyCheck: fc.boolean(),
        },
        { requiredKeys: ["Origin"] },
      )
      .map((input) => {
        const out: JsonObject = { ...input };
        if (input.Origin === "AWS_KMS") delete out["CustomKeyStoreId"];
        else if (out["CustomKeyStoreId"] === undefined) out["CustomKeyStoreId"] = { ref: "store", index: 0 };
        return out;
      }),
    DescribeKey: fc.record({ KeyId: keyRef }),
    EnableKey: fc.record({ KeyId: keyRef }),
    DisableKey: fc.record({ KeyId: keyRef }),
    Encrypt: fc
      .record(
        { KeyId: keyRef, Plaintext: base64, EncryptionContext: contexts, GrantTokens: grantTokens },
        { requiredKeys: ["KeyId", "Plaintext", "GrantTokens"] },
      )
      .map(dropUndefined),
    UpdateCustomKeyStore: fc.record(
      { CustomKeyStoreId: storeRef, NewCustomKeyStoreName: names, KeyStorePassword: passwords, CloudHsmClusterId: clusterRef },
      { requiredKeys: ["CustomKeyStoreId"] },
    ),
    DeleteCustomKeyStore: fc.record({ CustomKeyStoreId: storeRef }),
    ScheduleKeyDeletion: fc.record({ KeyId: keyRef, PendingWindowInDays: fc.constantFrom(7, 7, 30, 6, 31) }, { requiredKeys: ["KeyId"] }),
    CancelKeyDeletion: fc.record({ KeyId: keyRef }),
    ListKeys: fc.record({ Limit: fc.constantFrom(1, 2, 100), Marker: fc.constantFrom("1", "3", "x") }, { requiredKeys: [] }),
    UpdateKeyDescription: fc.record({ KeyId: keyRef, Description: fc.constantFrom("", "payments", "rotated by ops") }),
    TagResource: fc.record({ KeyId: keyRef, Tags: fc.array(tag, { minLength: 0, maxLength: 3 }) }),
    UntagResource: fc.record({ KeyId: keyRef, TagKeys: fc.array(tagKey, { minLength: 0, maxLength: 2 }) }),
    ListResourceTags: fc.record(
      { KeyId: keyRef, Limit: fc.constantFrom(1, 2, 50), Marker: fc.constantFrom("1", "2", "x") },
      { requiredKeys: ["KeyId"] },
    ),
    PutKeyPolicy: fc.record(
      {
        KeyId: keyRef,
        Policy: keyPolicies(scenario),
        BypassPolicyLockoutSafetyCheck: fc.boolean(),
        PolicyName: fc.constantFrom("default", "default", "default", "other"),
      },
      { requiredKeys: ["KeyId", "Policy"] },
    ),
    GetKeyPolicy: fc.record({ KeyId: keyRef, PolicyName: fc.constantFrom("default", "default", "other") }, { requiredKeys: ["KeyId"] }),
    ListKeyPolicies: fc.record({ KeyId: keyRef }),
    "iam:PutRolePolicy": fc.record({ RoleName: roleName, PolicyName: inlineName, PolicyDocument: identityPolicies(scenario) }),
    "iam:PutUserPolicy": fc.record({ UserName: userName, PolicyName: inlineName, PolicyDocument: identityPolicies(scenario) }),
    "iam:DeleteRolePolicy": fc.record({ RoleName: roleName, PolicyName: inlineName }),
    "iam:DeleteUserPolicy": fc.record({ UserName: userName, PolicyName: inlineName }),
    "iam:TagRole": fc.record({ RoleName: roleName, Tags: principalTags }),
    "iam:TagUser": fc.record({ UserName: userName, Tags: principalTags }),
    "iam:UntagRole": fc.record({ RoleName: roleName, TagKeys: fc.subarray(["team", "env"], { minLength: 1 }) }),
    "iam:UntagUser": fc.record({ UserName: userName, TagKeys: fc.subarray(["team", "env"], { minLength: 1 }) }),
    "iam:DeleteServiceLinkedRole": fc.constant({ RoleName: "AWSServiceRoleForKeyManagementServiceCustomKeyStores" }),
    CreateGrant: fc
      .record(
        {
          KeyId: keyRef,
          GranteePrincipal: grantee,
          Operations: fc.subarray(
            ["Encrypt", "Decrypt", "GenerateDataKey", "ReEncryptFrom", "ReEncryptTo", "DescribeKey", "CreateGrant", "RetireGrant", "Sign"],
            { minLength: 1, maxLength: 4 },
          ),
          RetiringPrincipal: grantee,
          Constraints: fc.constantFrom<JsonObject>(
            { EncryptionContextEquals: { purpose: "test" } },
            { EncryptionContextSubset: { purpose: "test" } },
            { EncryptionContextSubset: { purpose: "test", team: "blue" } },
          ),
          Name: fc.constantFrom("payments-grant", "ops"),
          GrantTokens: grantTokens,
        },
        { requiredKeys: ["KeyId", "GranteePrincipal", "Operations", "GrantTokens"] },
      )
      .map(dropUndefined),
    ListGrants: fc.record({ KeyId: keyRef, Limit: fc.constantFrom(1, 50), GranteePrincipal: grantee }, { requiredKeys: ["KeyId"] }),
    RevokeGrant: fc.record({ KeyId: keyRef, GrantId: ref("grant") }),
    ListRetirableGrants: fc.record({ RetiringPrincipal: grantee, Limit: fc.constantFrom(1, 50) }, { requiredKeys: ["RetiringPrincipal"] }),
    RetireGrant: fc.oneof(fc.record({ GrantToken: ref("grantToken") }), fc.record({ KeyId: ref("keyArn"), GrantId: ref("grant") })),
    CreateAlias: fc.record({ AliasName: aliasName, TargetKeyId: keyRef }),
    UpdateAlias: fc.record({ AliasName: aliasName, TargetKeyId: keyRef }),
    DeleteAlias: fc.record({ AliasName: aliasName }),
    ListAliases: fc.record(
      { KeyId: keyRef, Limit: fc.constantFrom(1, 2, 50), Marker: fc.constantFrom("1", "1", "x") },
      { requiredKeys: [] },
    ),
    "cloudhsmv2:DescribeClusters": fc.constant({}),
    "cloudhsmv2:CreateCluster": fc.oneof(
      { weight: 4, arbitrary: fc.record({ SourceBackupId: ref("backup") }) },
      { weight: 1, arbitrary: fc.constant({}) },
    ),
    "cloudhsmv2:DeleteCluster": fc.record({ ClusterId: clusterRef }),
    "cloudhsmv2:CreateHsm": fc.record({ ClusterId: clusterRef, AvailabilityZone: fc.constantFrom(...zones) }),
    "cloudhsmv2:DeleteHsm": fc.record({ ClusterId: clusterRef, HsmId: ref("hsm") }),
    "cloudhsmv2:CreateBackup": fc.record({ ClusterId: clusterRef }),
    "hsm:Login": fc.record({ ClusterId: clusterRef, Username: kmsuser, Password: passwords }),
    "hsm:Logout": fc.record({ ClusterId: clusterRef, Username: kmsuser }),
    "hsm:ChangePassword": fc.record({ ClusterId: clusterRef, Username: kmsuser, NewPassword: passwords }),
    "hsm:CreateUser": fc.record({ ClusterId: clusterRef, Username: kmsuser, Password: passwords }),
    "hsm:DeleteUser": fc.record({ ClusterId: clusterRef, Username: kmsuser }),
    "hsm:DeleteKey": fc.record({ ClusterId: clusterRef, Label: ref("keyArn") }),
    GenerateDataKey: dataKeyInput,
    GenerateDataKeyWithoutPlaintext: dataKeyInput,
    ReEncrypt: fc
      .tuple(fc.nat({ max: 30 }), fc.integer({ min: 0, max: 9 }), keyRef, contexts, fc.option(keyRef, { freq: 5 }))
      .map(([index, roll, destination, destinationContext, sourceKey]) => {
        const out: JsonObject = { CiphertextBlob: { ref: "ciphertext", index }, DestinationKeyId: destination };
        if (roll < 8) out["SourceEncryptionContext"] = { ref: "context", index };
        if (destinationContext !== undefined) out["DestinationEncryptionContext"] = destinationContext;
        if (sourceKey !== null) out["SourceKeyId"] = sourceKey;
        return out;
      }),
    GenerateRandom: fc.record(
      { NumberOfBytes: fc.constantFrom(1, 32, 1024, 0, 1025), CustomKeyStoreId: storeRef },
      { requiredKeys: ["NumberOfBytes"] },
    ),
    Decrypt: fc
      .tuple(fc.nat({ max: 30 }), fc.integer({ min: 0, max: 9 }), contexts, fc.option(keyRef, { freq: 5 }))
      .map(([index, roll, other, keyId]) => {
        const out: JsonObject = { CiphertextBlob: { ref: "ciphertext", index } };
        const context = roll < 8 ? { ref: "context", index } : other;
        if (context !== undefined) out["EncryptionContext"] = context;
        if (keyId !== null) out["KeyId"] = keyId;
        return out;
      }),
  };
}

function dropUndefined(o: Record<string, Json | undefined>): JsonObject {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as JsonObject;
}

/**
 * The usual start of a working session: a store made and connected, a key in it and two outside it.
 * Each setup step is kept with 3/4 and shrinks towards being dropped, so a repro keeps only the ones it needs.
 */
function setup(scenario: Scenario): fc.Arbitrary<Step[]> {
  const { cluster, principals } = scenario.world;
  const { connectDelayMs, connectExchangeMs } = scenario.timing;
  const users = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${scenario.world.account}:root` }, Action: "kms:*", Resource: "*" },
      {
        Effect: "Allow",
        Principal: { AWS: [principals["app"]?.arn ?? "", principals["partner"]?.arn ?? ""] },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
      },
    ],
  });
  const store = { ref: "store", index: 0 };
  const steps: Step[] = [
    {
      call: "CreateCustomKeyStore",
      as: "admin",
      input: {
        CustomKeyStoreName: "store-a",
        CloudHsmClusterId: cluster.clusterId,
        TrustAnchorCertificate: cluster.trustAnchor,
        KeyStorePassword: cluster.kmsuserPassword,
      },
    },
    { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: connectDelayMs + connectExchangeMs + 1 },
    { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store, Description: "in the store" } },
    { call: "CreateKey", as: "admin", input: {} },
    { call: "CreateKey", as: "admin", input: { Policy: users } },
  ];
  return droppable(steps);
}

/** Management calls are mostly made by the administrator; crypto calls by anyone. */
const MANAGEMENT = [
  "CreateCustomKeyStore",
  "ConnectCustomKeyStore",
  "DisconnectCustomKeyStore",
  "DescribeCustomKeyStores",
  "UpdateCustomKeyStore",
  "DeleteCustomKeyStore",
  "CreateKey",
  "EnableKey",
  "DisableKey",
  "ScheduleKeyDeletion",
  "CancelKeyDeletion",
  "UpdateKeyDescription",
  "TagResource",
  "UntagResource",
  "ListResourceTags",
  "CreateAlias",
  "UpdateAlias",
  "DeleteAlias",
  "PutKeyPolicy",
  "GetKeyPolicy",
  "ListKeyPolicies",
  "CreateGrant",
  "RevokeGrant",
];

/** Step lists for `scenario` under `swarm`: a setup prefix, then 1..stepsMax generated steps. */
export function stepsArbitrary(scenario: Scenario, swarm: Swarm, stepsMax: number): fc.Arbitrary<Step[]> {
  const anyone = fc.constantFrom("admin", "admin", "admin", "root", "app", "app", "alice", "partner");
  const mostlyAdmin = fc.constantFrom(
    "admin",
    "admin",
    "admin",
    "admin",
    "admin",
    "admin",
    "admin",
    "storeadmin",
    "root",
    "app",
    "alice",
    "partner",
  );
  const inputs = callArbitraries(scenario);
  const hsms = scenario.world.cluster.hsms.map((h) => h.hsmId);
  const options: fc.WeightedArbitrary<Step>[] = [];
  for (const [call, weight] of Object.entries(swarm.callWeights)) {
    const input = inputs[call];
    const as = MANAGEMENT.includes(call) || call.includes(":") ? mostlyAdmin : anyone;
    if (weight > 0 && input !== undefined) options.push({ weight, arbitrary: fc.record({ call: fc.constant(call), as, input }) });
  }
  const zones = [...new Set(scenario.world.cluster.hsms.map((h) => h.availabilityZone))];
  const subnets = scenario.world.cluster.hsms.map((h) => h.subnetId);
  // HSMs by reference, so HSMs created during the run are hit too; mostly the world's own.
  const hsm: fc.Arbitrary<Json> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hsms) }, { weight: 1, arbitrary: ref("hsm") });
  const faultArbitraries: Record<FaultName, fc.Arbitrary<Step>> = {
    "hsm-crash": hsm.map((h) => ({ fault: "hsm-crash", hsm: h }) as unknown as Step),
    "hsm-restore": hsm.map((h) => ({ fault: "hsm-restore", hsm: h }) as unknown as Step),
    partition: fc
      .tuple(hsm, fc.constantFrom("both", "both", "to-hsm", "from-hsm"))
      .map(([h, direction]) => ({ fault: "partition", hsm: h, direction }) as unknown as Step),
    heal: fc.option(hsm, { freq: 3 }).map((h) => (h === null ? { fault: "heal" } : { fault: "heal", hsm: h }) as unknown as Step),
    "az-outage": fc.constantFrom(...zones).map((az): Step => ({ fault: "az-outage", az })),
    "az-restore": fc.constantFrom(...zones).map((az): Step => ({ fault: "az-restore", az })),
    "subnet-delete": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-delete", subnet })),
    "subnet-full": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-full", subnet })),
    "subnet-restore": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-restore", subnet })),
    // Back to normal, slowed but answering in time (if the timing leaves room), or answering too late.
    "slow-hsm": fc
      .tuple(hsm, fc.constantFrom(...slowFactors(scenario)))
      .map(([h, factor]) => ({ fault: "slow-hsm", hsm: h, factor }) as unknown as Step),
  };
  // One fault in three lands mid-call, `after` ms into the next call: mostly within a round trip,
  // sometimes inside a failover timeout.
  const landing = fc.oneof(
    { weight: 4, arbitrary: fc.constant<number | null>(null) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 25 }) },
  );
  for (const fault of FAULT_NAMES) {
    const weight = swarm.faultWeights[fault];
    if (weight <= 0) continue;
    options.push({
      weight,
      arbitrary: fc.tuple(faultArbitraries[fault], landing).map(([step, after]) => (after === null ? step : { ...step, after })),
    });
  }
  // A fault aimed into a call that talks to the cluster (crypto, or a key made in a store).
  const hsmCalls = ["Encrypt", "Decrypt", "CreateKey"].filter((c) => (swarm.callWeights[c] ?? 0) > 0 && inputs[c] !== undefined);
  const enabledFaults = FAULT_NAMES.filter((f) => swarm.faultWeights[f] > 0);
  const midCall: fc.Arbitrary<Step[]> | undefined =
    hsmCalls.length === 0 || enabledFaults.length === 0
      ? undefined
      : fc
          .tuple(
            fc.constantFrom(...enabledFaults).chain((f) => faultArbitraries[f]),
            fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) }),
            fc
              .constantFrom(...hsmCalls)
              .chain((call) => fc.record({ call: fc.constant(call), as: fc.constant("admin"), input: inputs[call]! })),
          )
          .map(([fault, after, call]) => [{ ...fault, after } as Step, call as Step]);
  const { connectDelayMs, connectExchangeMs } = scenario.timing;
  const advance = fc.oneof(
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1000, max: scenario.generator.advanceMsMax }),
    fc.constant(connectDelayMs + connectExchangeMs),
  );
  options.push({ weight: swarm.advanceWeight, arbitrary: advance.map((ms): Step => ({ advance: ms })) });
  const single = fc.oneof(...options).map((step) => [step]);
  const sequences: fc.WeightedArbitrary<Step[]>[] = Object.entries(macros(scenario))
    .filter(([name]) => (swarm.macroWeights[name] ?? 0) > 0)
    .map(([name, arbitrary]) => ({ weight: swarm.macroWeights[name]!, arbitrary }));
  if (midCall !== undefined) sequences.push({ weight: 10, arbitrary: midCall });
  const element = sequences.length === 0 ? single : fc.oneof({ weight: 40, arbitrary: single }, ...sequences);
  // No bias: fast-check would otherwise make the first (and, for `run`, only) list of a seed tiny.
  const body = fc.noBias(fc.array(element, { minLength: 1, maxLength: stepsMax, size: "max" }));
  return fc.tuple(setup(scenario), body).map(([prefix, rest]) => [...prefix, ...rest.flat()].slice(0, prefix.length + stepsMax));
}
