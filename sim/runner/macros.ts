// Operator sequences for the generator: the multi-step stories random steps seldom string together,
// each reaching a corner of the spec. Each step of a sequence is droppable, shrinking towards dropped,
// so a repro keeps only the steps it needs. Weighted per scenario (`generator.macroWeights`).
import fc from "fast-check";
import type { Scenario } from "../scenario.ts";
import type { Step } from "../step.ts";

export const MACRO_NAMES = ["lockout", "lose-cluster", "rotate-password", "restore-cluster", "burst", "delete-key", "orphan", "lost-reply", "deny-overlay", "grant-window"] as const;

/** Seven days, the shortest deletion waiting period, in ms. */
const WEEK_MS = 7 * 86_400_000;

/**
 * Each step kept with odds `keepOdds` in `keepOdds + 1` (3/4 unless a story needs all its steps),
 * shrinking towards dropped: a repro keeps only the steps it needs.
 */
export function droppable(steps: Step[], keepOdds = 3): fc.Arbitrary<Step[]> {
  return fc.tuple(...steps.map(() => fc.integer({ min: 0, max: keepOdds }))).map((keep) => steps.filter((_, i) => keep[i]! > 0));
}

/**
 * Operator sequences that random steps seldom string together, each reaching a corner (spec §3.3,
 * §4, §11.2): locking kmsuser out; losing a store's cluster; the documented kmsuser password rotation;
 * restoring the cluster from a backup and moving the store onto it; a burst of crypto on one key;
 * deleting a key (its waiting period is days of virtual time); orphaning a key's material by
 * deleting it while its store is disconnected (§4); a CreateKey whose first GenerateKey reply is lost,
 * so a second HSM makes the key too and two objects share its label (§4), then crypto on the HSM that
 * holds only the object the KMS did not keep; an explicit deny laid over allows, in an identity
 * policy and in a key policy, and then the calls it denies (§9.2 step 3); a grant used before it has
 * propagated, with and without its token, and after it is retired (§9.7, §12).
 */
export function macros(scenario: Scenario): Record<string, fc.Arbitrary<Step[]>> {
  const { cluster } = scenario.world;
  const { connectDelayMs, connectExchangeMs, disconnectDelayMs } = scenario.timing;
  const ClusterId = cluster.clusterId;
  const store = { ref: "store", index: 0 };
  const zones = [...new Set(cluster.hsms.map((h) => h.availabilityZone))];
  const firstHsm = [...cluster.hsms].map((h) => h.hsmId).sort()[0]!;
  const { account, principals } = scenario.world;
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  const rootStatement = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
  const alice = principals["alice"]?.arn ?? `arn:aws:iam::${account}:root`;
  const login = (Password: string): Step => ({ call: "hsm:Login", as: "admin", input: { ClusterId, Username: "kmsuser", Password } });
  const connect: Step[] = [{ call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } }, { advance: connectDelayMs + connectExchangeMs + 1 }];
  const disconnect: Step[] = [{ call: "DisconnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } }, { advance: disconnectDelayMs + 1 }];
  return {
    lockout: droppable([...disconnect, ...Array.from({ length: 5 }, () => login("wrongPassword9")), ...connect]),
    "lose-cluster": droppable([
      ...disconnect,
      ...cluster.hsms.map((h): Step => ({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: h.hsmId } })),
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId } },
      ...connect,
    ]),
    "rotate-password": droppable([
      ...disconnect,
      { call: "hsm:ChangePassword", as: "admin", input: { ClusterId, Username: "kmsuser", NewPassword: "operatorPass77" } },
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, KeyStorePassword: "operatorPass77" } },
      ...connect,
    ]),
    "restore-cluster": droppable([
      { call: "cloudhsmv2:CreateBackup", as: "admin", input: { ClusterId } },
      { call: "cloudhsmv2:CreateCluster", as: "admin", input: { SourceBackupId: { ref: "backup", index: -1 } } },
      ...zones.map((AvailabilityZone): Step => ({ call: "cloudhsmv2:CreateHsm", as: "admin", input: { ClusterId: { ref: "cluster", index: -1 }, AvailabilityZone } })),
      ...disconnect,
      { call: "UpdateCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store, CloudHsmClusterId: { ref: "cluster", index: -1 } } },
      ...connect,
    ]),
    burst: droppable(Array.from({ length: 10 }, (): Step => ({ call: "Encrypt", as: "admin", input: { KeyId: { ref: "key", index: 0 }, Plaintext: "AAECAwQ=" } }))),
    "delete-key": fc.nat({ max: 30 }).chain((index) => droppable([
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index }, PendingWindowInDays: 7 } },
      { advance: WEEK_MS + 60_000 },
      { call: "DescribeKey", as: "admin", input: { KeyId: { ref: "key", index } } },
    ])),
    orphan: droppable([
      { call: "ScheduleKeyDeletion", as: "admin", input: { KeyId: { ref: "key", index: 0 }, PendingWindowInDays: 7 } },
      ...disconnect,
      { advance: WEEK_MS + 60_000 },
      ...connect,
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} },
    ]),
    "lost-reply": droppable([
      ...connect,
      { fault: "partition", hsm: firstHsm, direction: "from-hsm" },
      { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store } },
      { fault: "heal", hsm: firstHsm },
      { call: "Encrypt", as: "admin", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      { fault: "partition", hsm: firstHsm, direction: "both" },
      { call: "Decrypt", as: "admin", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
      { fault: "heal", hsm: firstHsm },
    ], 15),
    "grant-window": droppable([
      { call: "CreateGrant", as: "admin", input: { KeyId: { ref: "keyArn", index: -1 }, GranteePrincipal: principals["app"]?.arn ?? alice, Operations: ["Encrypt", "Decrypt", "RetireGrant"] } },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=" } },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=", GrantTokens: [{ ref: "grantToken", index: -1 }] } },
      { advance: scenario.timing.grantPropagationMsMax + 1 },
      { call: "Decrypt", as: "app", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
      { call: "RetireGrant", as: "app", input: { GrantToken: { ref: "grantToken", index: -1 } } },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "keyArn", index: -1 }, Plaintext: "AAECAwQ=" } },
    ], 7),
    "deny-overlay": droppable([
      { call: "iam:PutRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "Overlay", PolicyDocument: doc({ Effect: "Allow", Action: "kms:*", Resource: "*" }, { Effect: "Deny", Action: ["kms:Decrypt", "kms:ReEncrypt*"], Resource: "*" }) } },
      { call: "Encrypt", as: "app", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      { call: "Decrypt", as: "app", input: { CiphertextBlob: { ref: "ciphertext", index: -1 } } },
      { call: "PutKeyPolicy", as: "admin", input: { KeyId: { ref: "key", index: -1 }, Policy: doc(rootStatement, { Effect: "Allow", Principal: { AWS: alice }, Action: "kms:*", Resource: "*" }, { Effect: "Deny", Principal: { AWS: alice }, Action: "kms:Encrypt", Resource: "*" }) } },
      { call: "Encrypt", as: "alice", input: { KeyId: { ref: "key", index: -1 }, Plaintext: "AAECAwQ=" } },
      { call: "iam:DeleteRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "Overlay" } },
    ]),
  };
}

