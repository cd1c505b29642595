// Operator sequences on the store and its cluster (spec §3.3, §4, §11.2): the runbooks an operator
// follows and the accidents they meet — kmsuser locked out, the cluster lost, the kmsuser password
// rotated, the cluster restored from a backup, a key's deletion and orphaned material, a lost
// GenerateKey reply, a disconnect mid-login. Random steps seldom string these together. Split from
// macros.ts so each file holds one kind of sequence.
import fc from "fast-check";
import type { MacroName, Scenario } from "./scenario.ts";
import type { CallStep, Step } from "../protocol/step.ts";
import { droppable } from "./droppable.ts";
import { aimedFailures, type AimedFailure } from "./service-failures.ts";
import { clusterLike } from "./world-clusters.ts";

/**
 * lose-lineage moves its store onto the deleted cluster once in this many runs: UpdateCustomKeyStore is
 * a rare call in most scenarios, and a refusal every time would sink its share of successes.
 */
const UPDATE_ODDS = 6;
/** lose-lineage has the service fail one of its deletions once in this many runs (then retries it). */
const FAILURE_ODDS = 4;
/** Seven days, the shortest deletion waiting period, in ms. */
const WEEK_MS = 7 * 86_400_000;

export type OperatorMacroName = Extract<
  MacroName,
  | "lockout"
  | "lose-cluster"
  | "rotate-password"
  | "restore-cluster"
  | "burst"
  | "delete-key"
  | "orphan"
  | "lost-reply"
  | "lose-lineage"
  | "disconnect-mid-login"
>;

/**
 * Locking kmsuser out; losing a store's HSMs or its whole cluster; the documented kmsuser password rotation; restoring
 * the cluster from a backup and moving the store onto it; a burst of crypto on one key; deleting a key
 * (its waiting period is days of virtual time); orphaning a key's material by deleting it while its
 * store is disconnected (§4); a CreateKey whose first GenerateKey reply is lost, so a second HSM makes
 * the key too and two objects share its label (§4), then crypto on the HSM that holds only the object
 * the KMS did not keep; a Disconnect while the connect's login exchange is on the wire (§3.2).
 */
export function operatorMacros(scenario: Scenario): Record<OperatorMacroName, fc.Arbitrary<Step[]>> {
  const { cluster } = scenario.world;
  const { connectDelayMs, connectExchangeMs, disconnectDelayMs, clusterDeletionMs } = scenario.timing;
  const ClusterId = cluster.clusterId;
  const store = { ref: "store", index: 0 };
  const zones = [...new Set(cluster.hsms.map((h) => h.availabilityZone))];
  const firstHsm = [...cluster.hsms].map((h) => h.hsmId).sort()[0]!;
  const login = (Password: string): Step => ({ call: "hsm:Login", as: "admin", input: { ClusterId, Username: "kmsuser", Password } });
  const connect: Step[] = [
    { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: connectDelayMs + connectExchangeMs + 1 },
  ];
  const disconnect: Step[] = [
    { call: "DisconnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: disconnectDelayMs + 1 },
  ];
  const deleteHsms = cluster.hsms.map((h): Step => ({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: h.hsmId } }));
  return {
    lockout: droppable([...disconnect, ...Array.from({ length: 5 }, () => login("wrongPassword9")), ...connect], 15),
    // Half the time every HSM deleted while the store connects (its procedure then fails
    // INSUFFICIENT_CLOUDHSM_HSMS; before the call, Connect itself refuses a cluster without one, §3.4);
    // else every HSM and then the cluster deleted: where a deleted cluster lingers (DELETE_IN_PROGRESS),
    // connecting at once is CloudHsmClusterNotActiveException; once it is gone, the connection fails CLUSTER_NOT_FOUND.
    "lose-cluster": fc
      .boolean()
      .chain((clusterToo) =>
        droppable(
          clusterToo
            ? [
                ...disconnect,
                ...deleteHsms,
                { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId } },
                ...(clusterDeletionMs > 0 ? [connect[0]!, { advance: clusterDeletionMs + 1 }] : []),
                ...connect,
              ]
            : [...disconnect, connect[0]!, ...deleteHsms, ...connect.slice(1)],
        ),
      ),
    "lose-lineage": loseLineage(scenario),
    "rotate-password": droppable([
      ...disconnect,
      { call: "hsm:ChangePassword", as: "admin", input: { ClusterId, Username: "kmsuser", NewPassword: "operatorPass77" } },
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, KeyStorePassword: "operatorPass77" } },
      ...connect,
    ]),
    "restore-cluster": droppable([
      { call: "hsm:CreateBackup", as: "admin", input: { ClusterId } },
      {
        call: "cloudhsmv2:CreateCluster",
        as: "admin",
        input: { SourceBackupId: { ref: "backup", index: -1 }, ...clusterLike(cluster) },
      },
      ...zones.map((AvailabilityZone): Step => ({
        call: "cloudhsmv2:CreateHsm",
        as: "admin",
        input: { ClusterId: { ref: "cluster", index: -1 }, AvailabilityZone },
      })),
      ...disconnect,
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, CloudHsmClusterId: { ref: "cluster", index: -1 } } },
      ...connect,
    ]),
    burst: droppable(
      Array.from({ length: 10 }, (): Step => ({
        call: "Encrypt",
        as: "admin",
        input: { KeyId: { ref: "key", index: 0 }, Plaintext: "AAECAwQ=" },
      })),
    ),
    "delete-key": fc
      .nat({ max: 30 })
      .chain((index) =>
        droppable([
          { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index }, PendingWindowInDays: 7 } },
          { advance: WEEK_MS + 60_000 },
          { call: "DescribeKey", as: "admin", input: { KeyId: { ref: "key", index } } },
        ]),
      ),
    orphan: droppable([
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index: 0 }, PendingWindowInDays: 7 } },
      ...disconnect,
      { advance: WEEK_MS + 60_000 },
      ...connect,
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} },
    ]),
    "lost-reply": droppable(
      [
        ...connect,
        { fault: "partition", hsm: firstHsm, direction: "from-hsm" },
        { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store } },
        { fault: "heal", hsm: firstHsm },
        { call: "Encrypt", as: "admin", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
        { fault: "partition", hsm: firstHsm, direction: "both" },
        { call: "Decrypt", as: "admin", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
        { fault: "heal", hsm: firstHsm },
      ],
      15,
    ),
    // A Disconnect while the connect's login exchange is on the wire, 0–3 ms after it starts (§3.2:
    // CONNECTING → DISCONNECTING): random pauses land in those few milliseconds about once in
    // thousands of seeds. The KMS lets the exchange finish first, so the rotated password is kept.
    "disconnect-mid-login": fc
      .integer({ min: 0, max: 3 })
      .chain((intoExchangeMs) =>
        droppable([...disconnect, connect[0]!, { advance: connectDelayMs + intoExchangeMs }, ...disconnect, ...connect]),
      ),
  };
}

/**
 * A store made on the world's last cluster of another lineage, and that cluster deleted under it (§3.4,
 * §4) — first a slip that is refused: the application deleting one of its HSMs or the cluster, which it
 * may not (CloudHsmAccessDeniedException), or the operator deleting an HSM without naming it
 * (CloudHsmInvalidRequestException). While the cluster is
 * DELETE_IN_PROGRESS, connecting the store and, one time in UPDATE_ODDS where the scenario calls
 * UpdateCustomKeyStore at all, moving the store onto it (the same lineage) are
 * CloudHsmClusterNotActiveException; once it is gone, the store's connection fails
 * CLUSTER_NOT_FOUND and it is disconnected again. The world's own cluster is left alone.
 */
function loseLineage(scenario: Scenario): fc.Arbitrary<Step[]> {
  const other = scenario.world.otherClusters.at(-1);
  const { connectDelayMs, connectExchangeMs, disconnectDelayMs, clusterDeletionMs } = scenario.timing;
  if (other === undefined || clusterDeletionMs === 0) return fc.constant([]);
  const ClusterId = other.clusterId;
  const store = { ref: "store", index: -1 };
  const connect: Step = { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } };
  const deleteCluster = (as: string): CallStep => ({ call: "cloudhsmv2:DeleteCluster", as, input: { ClusterId } });
  const moves = (scenario.generator.callWeights["UpdateCustomKeyStore"] ?? 0) > 0;
  const update: Step = { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, CloudHsmClusterId: ClusterId } };
  const slip = fc.constantFrom<Step>(
    { call: "cloudhsmv2:DeleteHsm", as: "app", input: { ClusterId, HsmId: other.hsms[0]!.hsmId } },
    deleteCluster("app"),
    { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId } },
  );
  // Where the scenario has service failures, now and then one fails an admin's deletion, which the admin retries
  // at once: only this macro deletes CloudHSM resources in most scenarios, so only here do those calls meet them.
  const failing = (scenario.generator.faultWeights["service-failure"] ?? 0) > 0;
  const failure = failing
    ? fc.option(fc.constantFrom(...aimedFailures(["cloudhsmv2:DeleteHsm", "cloudhsmv2:DeleteCluster"])), { freq: FAILURE_ODDS - 1 })
    : fc.constant(null);
  const retried = (step: CallStep, aimed: AimedFailure | null): Step[] =>
    aimed?.call === step.call ? [{ fault: "service-failure", service: aimed.service, error: aimed.error }, step, step] : [step];
  return fc.tuple(fc.nat({ max: UPDATE_ODDS - 1 }), slip, failure).chain(([n, refused, aimed]) =>
    droppable(
      [
        {
          call: "CreateCustomKeyStore",
          as: "admin",
          input: {
            CustomKeyStoreName: "store-b",
            CloudHsmClusterId: ClusterId,
            TrustAnchorCertificate: other.trustAnchor,
            KeyStorePassword: other.kmsuserPassword,
          },
        },
        refused,
        ...other.hsms.flatMap((h, i) => {
          const step: CallStep = { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: h.hsmId } };
          return i === 0 ? retried(step, aimed) : [step];
        }),
        ...retried(deleteCluster("admin"), aimed),
        ...(n === 0 && moves ? [update] : []),
        connect,
        { advance: clusterDeletionMs + 1 },
        connect,
        { advance: connectDelayMs + connectExchangeMs + 1 },
        { call: "DisconnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
        { advance: disconnectDelayMs + 1 },
      ],
      15,
    ),
  );
}
