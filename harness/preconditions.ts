// Calls with the state they need (issue 12, item 3): for the operations whose random calls mostly end
// in a state refusal — a store still CONNECTED, an alias or inline policy that was never made, a key
// whose deletion was never scheduled, kmsuser logged in by the KMS, a caller the policies deny — a
// short sequence that first brings that state about and then makes the call, so it goes past the
// state checks into the work. Generated steps are written before anything runs, so the sequence
// makes the state itself rather than reading it; the plain random calls stay, and keep reaching the
// refusals. The generator weighs each sequence like its call in the seed's swarm (harness/generate.ts).
import fc from "fast-check";
import type { Json, JsonObject, Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { ref } from "./operations/inputs.ts";
import type { Scenario } from "./scenario.ts";
import { clusterLike } from "./world-clusters.ts";

const PLAIN = "AAECAwQ=";
/** Seven days, the shortest deletion waiting period, in ms. */
const WEEK_MS = 7 * 86_400_000;
/** Odds a sequence's step is kept (in odds + 1): high, since each step is what the next one needs. */
const KEEP_ODDS = 15;

const call = (name: string, as: string, input: JsonObject): Step => ({ call: name, as, input });
const last = (kind: string): Json => ({ ref: kind, index: -1 });

/**
 * How many times its call's weight a sequence is drawn with, where once is not enough: the store
 * chaos of a scenario undoes an operator's session more often than not; authz's policies deny most
 * random callers GenerateDataKeyWithoutPlaintext (19% ok over its 1,000 seeds with once, 30% with twice).
 */
export const PRECONDITIONED_SHARE: Readonly<Record<string, number>> = { "hsm:DeleteKey": 6, GenerateDataKeyWithoutPlaintext: 2 };

/** Per operation (as a step names it), sequences that end in a call of it made in the state it needs. */
export function preconditioned(scenario: Scenario): Record<string, fc.Arbitrary<Step[]>> {
  const { cluster, principals, account } = scenario.world;
  const ClusterId = cluster.clusterId;
  const otherLineage = scenario.world.otherClusters.slice(0, 1).map((c) => c.clusterId);
  const { connectDelayMs, connectExchangeMs, disconnectDelayMs } = scenario.timing;
  const store = last("store");
  const arn = (p: string) => principals[p]?.arn ?? `arn:aws:iam::${account}:root`;
  const key = ref("key");
  const aliasName = fc.constantFrom("alias/payments", "alias/logs");
  const context = fc.constantFrom<JsonObject | undefined>(undefined, { purpose: "test" }, { purpose: "test", team: "blue" });
  const disconnected: Step[] = [call("DisconnectCustomKeyStore", "admin", { CustomKeyStoreId: store }), { advance: disconnectDelayMs + 1 }];
  const connected: Step[] = [
    call("ConnectCustomKeyStore", "admin", { CustomKeyStoreId: store }),
    { advance: connectDelayMs + connectExchangeMs + 1 },
  ];
  // An operator's session as kmsuser (§4): only while the KMS is not logged in, with a password the
  // operator set; the store is told the new password before it connects again.
  const operatorSession = (password: string, work: Step[], before: Step[] = []): fc.Arbitrary<Step[]> =>
    droppable(
      [
        ...before,
        ...disconnected,
        call("hsm:ChangePassword", "admin", { ClusterId, Username: "kmsuser", NewPassword: password }),
        call("hsm:Login", "admin", { ClusterId, Username: "kmsuser", Password: password }),
        ...work,
        call("hsm:Logout", "admin", { ClusterId, Username: "kmsuser" }),
        call("UpdateCustomKeyStore", "admin", { CustomKeyStoreId: store, KeyStorePassword: password }),
        ...connected,
      ],
      KEEP_ODDS,
    );
  const operatorPassword = fc.constantFrom(cluster.kmsuserPassword, "operatorPass77");
  const session = operatorPassword.chain((p) => operatorSession(p, []));
  const dataKey = (name: string) =>
    fc
      .tuple(key, fc.constantFrom<JsonObject>({ KeySpec: "AES_256" }, { KeySpec: "AES_128" }, { NumberOfBytes: 32 }), context)
      .map(([KeyId, size, EncryptionContext]) => [
        call(name, "admin", { KeyId, ...size, ...(EncryptionContext !== undefined ? { EncryptionContext } : {}) }),
      ]);

  return {
    GenerateRandom: fc
      .tuple(fc.constantFrom(1, 32, 1024), fc.boolean())
      .map(([NumberOfBytes, inStore]) => [
        call("GenerateRandom", "admin", { NumberOfBytes, ...(inStore ? { CustomKeyStoreId: { ref: "store", index: 0 } } : {}) }),
      ]),
    GenerateDataKey: dataKey("GenerateDataKey"),
    GenerateDataKeyWithoutPlaintext: dataKey("GenerateDataKeyWithoutPlaintext"),
    // From each kind and state of key to each other (the keys made so far, by any index), the source
    // ciphertext made just before under its own context.
    ReEncrypt: fc.tuple(key, key, context, context).chain(([from, to, source, destination]) =>
      droppable(
        [
          call("Encrypt", "admin", { KeyId: from, Plaintext: PLAIN, ...(source !== undefined ? { EncryptionContext: source } : {}) }),
          call("ReEncrypt", "admin", {
            CiphertextBlob: last("ciphertext"),
            SourceEncryptionContext: last("context"),
            DestinationKeyId: to,
            ...(destination !== undefined ? { DestinationEncryptionContext: destination } : {}),
          }),
        ],
        KEEP_ODDS,
      ),
    ),
    CancelKeyDeletion: fc
      .tuple(key, fc.constantFrom(7, 30))
      .chain(([KeyId, PendingWindowInDays]) =>
        droppable(
          [
            call("ScheduleKeyDeletion", "admin", { KeyId, PendingWindowInDays }),
            call("CancelKeyDeletion", "admin", { KeyId }),
            call("EnableKey", "admin", { KeyId }),
          ],
          KEEP_ODDS,
        ),
      ),
    // §3.2: a password or a cluster changes only on a DISCONNECTED store — to the cluster it is on, a
    // restored one, or one unrelated (the world's first other lineage) or missing; a name alone also on a CONNECTED one.
    UpdateCustomKeyStore: fc
      .tuple(
        fc.boolean(),
        fc.record(
          {
            NewCustomKeyStoreName: fc.constantFrom("store-a", "store-b"),
            KeyStorePassword: fc.constant(cluster.kmsuserPassword),
            CloudHsmClusterId: fc.constantFrom<Json>(ClusterId, last("cluster"), "cluster-doesnotexist2", ...otherLineage),
          },
          { requiredKeys: [] },
        ),
      )
      .chain(([renameOnly, change]) => {
        const update = renameOnly ? { NewCustomKeyStoreName: "store-b" } : change;
        const body = Object.keys(update).length === 0 ? { NewCustomKeyStoreName: "store-a" } : update;
        const updateStep = call("UpdateCustomKeyStore", "admin", { CustomKeyStoreId: store, ...body });
        return droppable(renameOnly ? [updateStep] : [...disconnected, updateStep, ...connected], KEEP_ODDS);
      }),
    // §3.4: a store goes when it is DISCONNECTED and holds no keys — here its first key (the setup's)
    // deleted while it is disconnected, the material orphaned; then a store made and connected again.
    DeleteCustomKeyStore: droppable(
      [
        call("ScheduleKeyDeletion", "admin", { KeyId: { ref: "key", index: 0 }, PendingWindowInDays: 7 }),
        ...disconnected,
        { advance: WEEK_MS + 60_000 },
        call("DeleteCustomKeyStore", "admin", { CustomKeyStoreId: store }),
        call("CreateCustomKeyStore", "admin", {
          CustomKeyStoreName: "store-a",
          CloudHsmClusterId: ClusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        }),
        ...connected,
      ],
      KEEP_ODDS,
    ),
    // Where the scenario makes clusters: a store on one made just before — UNINITIALIZED without a backup
    // (CloudHsmClusterNotActiveException), or restored from the latest backup, so of the store's lineage;
    // either in the world cluster's subnets.
    ...((scenario.generator.callWeights["cloudhsmv2:CreateCluster"] ?? 0) > 0 && {
      CreateCustomKeyStore: fc.constantFrom<JsonObject>({}, { SourceBackupId: last("backup") }).chain((source) =>
        droppable(
          [
            call("cloudhsmv2:CreateCluster", "admin", { ...source, ...clusterLike(cluster) }),
            call("CreateCustomKeyStore", "admin", {
              CustomKeyStoreName: "store-c",
              CloudHsmClusterId: last("cluster"),
              TrustAnchorCertificate: cluster.trustAnchor,
              KeyStorePassword: cluster.kmsuserPassword,
            }),
          ],
          KEEP_ODDS,
        ),
      ),
    }),
    CreateAlias: fc
      .tuple(aliasName, key)
      .chain(([AliasName, TargetKeyId]) =>
        droppable([call("DeleteAlias", "admin", { AliasName }), call("CreateAlias", "admin", { AliasName, TargetKeyId })], KEEP_ODDS),
      ),
    UpdateAlias: fc
      .tuple(aliasName, key, key)
      .chain(([AliasName, from, to]) =>
        droppable(
          [call("CreateAlias", "admin", { AliasName, TargetKeyId: from }), call("UpdateAlias", "admin", { AliasName, TargetKeyId: to })],
          KEEP_ODDS,
        ),
      ),
    DeleteAlias: fc
      .tuple(aliasName, key)
      .chain(([AliasName, TargetKeyId]) =>
        droppable([call("CreateAlias", "admin", { AliasName, TargetKeyId }), call("DeleteAlias", "admin", { AliasName })], KEEP_ODDS),
      ),
    ListAliases: fc
      .option(key, { freq: 2 })
      .map((KeyId) => [call("ListAliases", "admin", KeyId === null ? { Limit: 50 } : { KeyId, Limit: 50 })]),
    // kmsuser made again by the operator (§4), with a password the store is then told.
    "hsm:CreateUser": operatorPassword.chain((Password) =>
      droppable(
        [
          ...disconnected,
          call("hsm:DeleteUser", "admin", { ClusterId, Username: "kmsuser" }),
          call("hsm:CreateUser", "admin", { ClusterId, Username: "kmsuser", Password }),
          call("UpdateCustomKeyStore", "admin", { CustomKeyStoreId: store, KeyStorePassword: Password }),
          ...connected,
        ],
        KEEP_ODDS,
      ),
    ),
    "hsm:Login": session,
    "hsm:Logout": session,
    // Only kmsuser, logged in by an operator, deletes a key object (§4): one of a key just made in the store.
    "hsm:DeleteKey": operatorPassword.chain((p) =>
      operatorSession(
        p,
        [call("hsm:DeleteKey", "admin", { ClusterId, Label: last("keyArn") })],
        [...connected, call("CreateKey", "admin", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store })],
      ),
    ),
    "iam:DeleteUserPolicy": fc.constantFrom("alice").chain((UserName) =>
      droppable(
        [
          call("iam:PutUserPolicy", "admin", {
            UserName,
            PolicyName: "Extra",
            PolicyDocument: JSON.stringify({
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "kms:DescribeKey", Resource: "*" }],
            }),
          }),
          call("iam:DeleteUserPolicy", "admin", { UserName, PolicyName: "Extra" }),
        ],
        KEEP_ODDS,
      ),
    ),
    "iam:GetServiceLinkedRoleDeletionStatus": droppable(
      [
        call("iam:DeleteServiceLinkedRole", "admin", { RoleName: "AWSServiceRoleForKeyManagementServiceCustomKeyStores" }),
        call("iam:GetServiceLinkedRoleDeletionStatus", "admin", { DeletionTaskId: last("deletionTask") }),
      ],
      KEEP_ODDS,
    ),
    ListRetirableGrants: fc.constantFrom("app", "alice", "partner").chain((retiring) =>
      droppable(
        [
          call("CreateGrant", "admin", {
            KeyId: { ref: "keyArn", index: -1 },
            GranteePrincipal: arn("alice"),
            RetiringPrincipal: arn(retiring),
            Operations: ["Encrypt", "Decrypt"],
          }),
          call("ListRetirableGrants", "admin", { RetiringPrincipal: arn(retiring) }),
        ],
        KEEP_ODDS,
      ),
    ),
  };
}
