// The field-by-field copies of model/copies.ts hold every member of what they copy: each fixture below
// sets every field its type has (`Required<…>` makes the compiler name a field added later), and a copy
// must hold the same members, each the same (===) value, as a new object; a copy of a part without its
// optional fields writes them as undefined, in the same order (one shape). Freezing a state's replaced fields freezes each field
// replaced, through and through, and walks none other.
import { describe, expect, it } from "vitest";
import { clusterCopy, freezeReplacedFields, hsmCopy, keyCopy, stateCopy, storeCopy, userCopy } from "../../model/copies.ts";
import type { ModelCluster, ModelHsm, ModelKey, ModelState, ModelStore, ModelUser } from "../../model/state.ts";

const user: Required<ModelUser> = { password: "p", session: "kms", failedLogins: 2 };
const hsm: Required<ModelHsm> = {
  hsmId: "hsm-a",
  availabilityZone: "us-east-1a",
  subnetId: "subnet-a",
  crashed: true,
  zoneDown: true,
  cutTo: true,
  cutFrom: true,
  repliesLate: true,
  objects: ["k@hsm-a"],
};
const cluster: Required<ModelCluster> = {
  id: "cluster-a",
  state: "DELETE_IN_PROGRESS",
  hsmType: "hsm1.medium",
  goneAtUs: 5,
  lineage: "cluster-a",
  trustAnchor: "anchor",
  subnetMapping: { "us-east-1a": "subnet-a" },
  sourceBackupId: "backup-a",
  hsms: [hsm],
  users: { kmsuser: user },
  restoredObjects: ["k@hsm-b"],
  replicationAtUs: 7,
  replicationByUs: 9,
};
const key: Required<ModelKey> = {
  id: "k",
  arn: "arn:aws:kms:us-east-1:111122223333:key/k",
  account: "111122223333",
  creationUs: 1,
  description: "d",
  origin: "AWS_CLOUDHSM",
  enabled: false,
  storeId: "cks-a",
  backing: "k@hsm-a",
  policy: "{}",
  deletionAtUs: 9,
  tags: { a: "b" },
  rotation: { periodDays: 90, sinceUs: 3 },
  materialId: "m",
};
const store: Required<ModelStore> = {
  id: "cks-a",
  account: "111122223333",
  name: "store",
  clusterId: "cluster-a",
  lineage: "cluster-a",
  trustAnchor: "anchor",
  password: "p",
  state: "CONNECTING",
  errorCode: "NETWORK_ERRORS",
  creationUs: 2,
  pending: { kind: "connect", exchangeAtUs: 3, publishAtUs: 4, asks: undefined },
};
const state: Required<ModelState> = {
  clusters: [cluster],
  subnets: [{ subnetId: "subnet-a", availabilityZone: "us-east-1a", deleted: false, full: true }],
  backups: [],
  rotations: 3,
  serviceLinkedRole: true,
  slrDeletionTasks: { t: "FAILED" },
  identityPolicies: { r: { p: "{}" } },
  principalTags: { r: { a: "b" } },
  stores: [store],
  keys: [key],
  aliases: [],
  grants: [],
  retiredGrants: [],
  grantTokens: { t: "g" },
  storeRequests: { "cks-a": [1] },
  deletedKeys: ["arn:gone"],
  backingDeletions: [{ label: "arn:gone", clusterId: "cluster-a", atUs: 4 }],
  inFlightFault: { fault: "hsm-crash", after: 1, hsm: "hsm-a" },
  armedFailures: { kms: "KMSInternalException" },
  ciphertexts: { b: { keyArn: key.arn, plaintext: null, bytes: 32, context: {} } },
  clockAtLeastUs: 5,
};

/** `copy` is a new object with exactly the members of `original`, each the same value. */
function expectCopy(copy: object, original: object): void {
  expect(copy).not.toBe(original);
  expect(Object.keys(copy).sort()).toEqual(Object.keys(original).sort());
  for (const [name, value] of Object.entries(original)) expect((copy as Record<string, unknown>)[name], name).toBe(value);
}

/**
 * `part` without its optional members, copied: the copy writes each of them as `undefined` (absent, to
 * every reader in kmsim), and has the same members in the same order as the copy of `part` with all of
 * them set — one shape, so code reading these parts sees one hidden class (see model/copies.ts).
 */
function expectBare<T extends object>(part: T, optional: (keyof T)[], copyOf: (p: T) => T): void {
  const bare = { ...part };
  for (const name of optional) delete bare[name];
  const copy = copyOf(bare);
  expect(Object.keys(copy)).toEqual(Object.keys(copyOf(part)));
  for (const name of optional) expect(copy[name], String(name)).toBeUndefined();
  for (const [name, value] of Object.entries(bare)) expect((copy as Record<string, unknown>)[name], name).toBe(value);
}

describe("field-by-field copies", () => {
  it("copy every member of a part with every field set", () => {
    expectCopy(stateCopy(state), state);
    expectCopy(keyCopy(key), key);
    expectCopy(storeCopy(store), store);
    expectCopy(clusterCopy(cluster), cluster);
    expectCopy(hsmCopy(hsm), hsm);
    expectCopy(userCopy(user), user);
  });

  it("write the optional members a part lacks as undefined, in the same order", () => {
    expectBare(state, ["slrDeletionTasks", "inFlightFault", "armedFailures"], stateCopy);
    expectBare(key, ["storeId", "backing", "deletionAtUs", "rotation", "materialId"], keyCopy);
    expectBare(store, ["errorCode", "pending"], storeCopy);
    expectBare(cluster, ["goneAtUs", "sourceBackupId", "restoredObjects", "replicationAtUs", "replicationByUs"], clusterCopy);
    expectBare(hsm, ["repliesLate"], hsmCopy);
  });

  it("copy frozen parts into unfrozen copies", () => {
    const copy = hsmCopy(Object.freeze({ ...hsm }));
    copy.crashed = false;
    expect(copy.crashed).toBe(false);
  });

  it("freeze each replaced state field through and through, and no field left as it was", () => {
    for (const [name, value] of Object.entries(state)) {
      if (typeof value !== "object") continue; // numbers and booleans are not frozen
      const before = structuredClone(state);
      const next = stateCopy(before);
      const fields = next as unknown as Record<string, object>;
      fields[name] = structuredClone(value);
      freezeReplacedFields(next, before);
      const replaced = fields[name]!;
      expect(Object.isFrozen(replaced), name).toBe(true);
      for (const part of Object.values(replaced)) if (typeof part === "object") expect(Object.isFrozen(part), `${name} member`).toBe(true);
      for (const [other, kept] of Object.entries(before))
        if (other !== name && typeof kept === "object") expect(Object.isFrozen(kept), `${other} beside ${name}`).toBe(false);
    }
  });
});
