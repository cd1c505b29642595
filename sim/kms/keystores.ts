// Custom key store operations of the virtual KMS (spec §3), with the check order of spec §16. A
// connect starts the connection process (connection.ts); a disconnect goes DISCONNECTING →
// DISCONNECTED on the virtual clock.
import { suspend, type Proc } from "../kernel/process.ts";
import { connectProcess } from "./connection.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import { IamDirectory, SERVICE_LINKED_ROLE } from "../iam/iam.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import type { StoreRecord } from "./state.ts";
import { optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { page, pageParams } from "./paging.ts";
import { externalKeyStore } from "./external-key-store.ts";

const CLUSTER_ID = /^cluster-[2-7a-zA-Z]{11,16}$/;
/** DescribeCustomKeyStores' page when Limit is absent; AWS does not document it [MODEL CHOICE: ListKeys' 100]. */
const STORES_PAGE_DEFAULT = 100;

function storeNotFound(): Rejection {
  return new Rejection("CustomKeyStoreNotFoundException", "The specified custom key store was not found.");
}

function invalidState(store: StoreRecord, operation: string): Rejection {
  return new Rejection(
    "CustomKeyStoreInvalidStateException",
    `${operation} is not valid for custom key store ${store.CustomKeyStoreId} in the ${store.ConnectionState} state.`,
  );
}

/** Two ACTIVE HSMs in two different availability zones (spec §3.5). */
export function hasTwoActiveAzs(cluster: VirtualCluster): boolean {
  return new Set(cluster.activeHsms().map((h) => h.spec.availabilityZone)).size >= 2;
}

/**
 * A cluster named by a request: found in the caller's account, or CloudHsmClusterNotFoundException. The
 * world's clusters all belong to its account [MODEL CHOICE: the CloudHSM service keeps no owner].
 */
function findCluster(kms: VirtualKms, caller: string, clusterId: string): VirtualCluster | Rejection {
  const mine = IamDirectory.accountOf(caller) === kms.options.account;
  const cluster = mine && CLUSTER_ID.test(clusterId) ? kms.cluster(clusterId) : undefined;
  return cluster ?? new Rejection("CloudHsmClusterNotFoundException", `AWS KMS cannot find the CloudHSM cluster ${clusterId}.`);
}

/** The cluster checks shared by Create and Update after lineage: active, then configuration (§16). */
function checkUsable(cluster: VirtualCluster): Rejection | undefined {
  if (cluster.state !== "ACTIVE")
    return new Rejection("CloudHsmClusterNotActiveException", `The CloudHSM cluster ${cluster.id} is not active.`);
  return undefined;
}

function checkConfiguration(cluster: VirtualCluster): Rejection | undefined {
  if (!hasTwoActiveAzs(cluster)) {
    return new Rejection(
      "CloudHsmClusterInvalidConfigurationException",
      `The CloudHSM cluster ${cluster.id} needs at least two active HSMs in different Availability Zones.`,
    );
  }
  return undefined;
}

/** A store of the caller's account named by a request (spec §3.4: stores are never cross-account). */
function mustStore(kms: VirtualKms, caller: string, storeId: string): StoreRecord | Rejection {
  return kms.storeOf(caller, storeId) ?? storeNotFound();
}

export function* CreateCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = requiredString(input, "CustomKeyStoreName", 1, 256);
  if (name instanceof Rejection) return name;
  const type = optionalString(input, "CustomKeyStoreType", 1, 64);
  if (type instanceof Rejection) return type;
  if (type !== undefined && type !== "AWS_CLOUDHSM") return externalKeyStore(kms, caller, input);
  const clusterId = requiredString(input, "CloudHsmClusterId", 19, 24);
  if (clusterId instanceof Rejection) return clusterId;
  const trustAnchor = requiredString(input, "TrustAnchorCertificate", 1, 5000);
  if (trustAnchor instanceof Rejection) return trustAnchor;
  const password = requiredString(input, "KeyStorePassword", 7, 32);
  if (password instanceof Rejection) return password;
  const denied = access.authorizeIam(kms, caller, "kms:CreateCustomKeyStore");
  if (denied !== undefined) return denied;

  // Spec §3.4: an identical retry of a DISCONNECTED store returns the existing id (checked first). Names,
  // clusters and the quota count within the caller's account only.
  const mine = kms.storesOf(caller);
  const same = mine.find(
    (s) =>
      s.ConnectionState === "DISCONNECTED" &&
      s.CustomKeyStoreName === name &&
      s.CloudHsmClusterId === clusterId &&
      s.TrustAnchorCertificate === trustAnchor &&
      s.password === password,
  );
  if (same !== undefined) return ok({ CustomKeyStoreId: same.CustomKeyStoreId });

  if (mine.some((s) => s.CustomKeyStoreName === name)) {
    return new Rejection(
      "CustomKeyStoreNameInUseException",
      `A custom key store with name ${name} already exists in this account and Region.`,
    );
  }
  const cluster = findCluster(kms, caller, clusterId);
  if (cluster instanceof Rejection) return cluster;
  if (mine.some((s) => s.lineage === cluster.certificate)) {
    return new Rejection(
      "CloudHsmClusterInUseException",
      `The CloudHSM cluster ${clusterId}, or one sharing its backup history, is already associated with a custom key store.`,
    );
  }
  const unusable = checkUsable(cluster);
  if (unusable !== undefined) return unusable;
  if (trustAnchor !== cluster.trustAnchor) {
    return new Rejection("IncorrectTrustAnchorException", `The trust anchor certificate does not match the CloudHSM cluster ${clusterId}.`);
  }
  const misconfigured = checkConfiguration(cluster);
  if (misconfigured !== undefined) return misconfigured;
  if (mine.length >= kms.options.storesMax) {
    return new Rejection(
      "LimitExceededException",
      `You have reached the limit of ${kms.options.storesMax} custom key stores in this account and Region.`,
    );
  }
  const iam = kms.ctx.iam;
  if (!iam.serviceLinkedRoleExists) {
    const roleArn = `arn:aws:iam::${IamDirectory.accountOf(caller)}:role/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}`;
    const noRole = access.authorizeIam(kms, caller, "iam:CreateServiceLinkedRole", roleArn); // spec §10 [MODEL CHOICE]: no role, no store
    if (noRole !== undefined) return noRole;
    iam.serviceLinkedRoleExists = true;
  }
  const store: StoreRecord = {
    CustomKeyStoreId: kms.newStoreId(),
    account: IamDirectory.accountOf(caller),
    CustomKeyStoreName: name,
    CloudHsmClusterId: clusterId,
    TrustAnchorCertificate: trustAnchor,
    lineage: cluster.certificate,
    password,
    ConnectionState: "DISCONNECTED",
    ConnectionErrorCode: undefined, // written, so every store has one shape (see the KeyRecord in keys.ts)
    creationUs: kms.nowUs,
    generation: 0,
    exchangeInFlight: false,
  };
  kms.stores.push(store);
  return ok({ CustomKeyStoreId: store.CustomKeyStoreId });
}

export function* ConnectCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const denied = access.authorizeIam(kms, caller, "kms:ConnectCustomKeyStore");
  if (denied !== undefined) return denied;
  const store = mustStore(kms, caller, storeId);
  if (store instanceof Rejection) return store;
  if (store.ConnectionState === "FAILED" || store.ConnectionState === "DISCONNECTING") return invalidState(store, "ConnectCustomKeyStore");
  if (store.ConnectionState !== "DISCONNECTED") return ok({}); // spec §3.2: valid, and a no-op [MODEL CHOICE]
  // Spec §3.4: a missing cluster is reported asynchronously (CLUSTER_NOT_FOUND), not here.
  const cluster = kms.cluster(store.CloudHsmClusterId);
  if (cluster !== undefined) {
    const unusable = checkUsable(cluster);
    if (unusable !== undefined) return unusable;
    // Spec §15.3 [MODEL CHOICE]: no ACTIVE HSM at call time is a synchronous error.
    if (cluster.activeHsms().length === 0) {
      return new Rejection("CloudHsmClusterInvalidConfigurationException", `The CloudHSM cluster ${cluster.id} has no active HSMs.`);
    }
  }
  store.ConnectionState = "CONNECTING";
  store.ConnectionErrorCode = undefined;
  store.generation += 1;
  kms.startBackground(connectProcess(kms, store, store.generation));
  return ok({});
}

export function* DisconnectCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const callStartUs = kms.nowUs;
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const denied = access.authorizeIam(kms, caller, "kms:DisconnectCustomKeyStore");
  if (denied !== undefined) return denied;
  const store = mustStore(kms, caller, storeId);
  if (store instanceof Rejection) return store;
  if (store.ConnectionState === "DISCONNECTED" || store.ConnectionState === "DISCONNECTING")
    return invalidState(store, "DisconnectCustomKeyStore");
  // A login exchange on the wire is let finish, so its result (a rotated password) is never lost.
  if (store.exchangeInFlight) yield* suspend<void>((resume) => kms.onExchangeDone(store, () => resume(undefined)));
  store.generation += 1;
  store.ConnectionState = "DISCONNECTING";
  store.ConnectionErrorCode = undefined;
  const cluster = kms.cluster(store.CloudHsmClusterId);
  if (cluster !== undefined) yield kms.hsm.askAny(cluster, { op: "Logout" });
  const generation = store.generation;
  kms.ctx.scheduler.after(callStartUs + kms.options.disconnectDelayUs - kms.nowUs, `disconnected ${store.CustomKeyStoreId}`, () => {
    if (store.generation === generation) store.ConnectionState = "DISCONNECTED";
  });
  return ok({});
}

export function* UpdateCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const name = optionalString(input, "NewCustomKeyStoreName", 1, 256);
  if (name instanceof Rejection) return name;
  const password = optionalString(input, "KeyStorePassword", 7, 32);
  if (password instanceof Rejection) return password;
  const clusterId = optionalString(input, "CloudHsmClusterId", 19, 24);
  if (clusterId instanceof Rejection) return clusterId;
  if (name === undefined && password === undefined && clusterId === undefined) {
    // [MODEL CHOICE]
    return new Rejection("ValidationException", "Specify at least one of NewCustomKeyStoreName, KeyStorePassword and CloudHsmClusterId.");
  }
  const denied = access.authorizeIam(kms, caller, "kms:UpdateCustomKeyStore");
  if (denied !== undefined) return denied;
  const store = mustStore(kms, caller, storeId);
  if (store instanceof Rejection) return store;
  // Spec §3.2 matrix: a name alone may change when CONNECTED or DISCONNECTED; anything else needs DISCONNECTED.
  const nameOnly = password === undefined && clusterId === undefined;
  const allowed = store.ConnectionState === "DISCONNECTED" || (nameOnly && store.ConnectionState === "CONNECTED");
  if (!allowed) return invalidState(store, "UpdateCustomKeyStore");
  if (name !== undefined && kms.storesOf(caller).some((s) => s !== store && s.CustomKeyStoreName === name)) {
    return new Rejection(
      "CustomKeyStoreNameInUseException",
      `A custom key store with name ${name} already exists in this account and Region.`,
    );
  }
  if (clusterId !== undefined) {
    const cluster = findCluster(kms, caller, clusterId);
    if (cluster instanceof Rejection) return cluster;
    if (cluster.certificate !== store.lineage) {
      return new Rejection(
        "CloudHsmClusterNotRelatedException",
        `The CloudHSM cluster ${clusterId} does not share backup history with the store's cluster.`,
      );
    }
    const refused = checkUsable(cluster) ?? checkConfiguration(cluster);
    if (refused !== undefined) return refused;
    store.CloudHsmClusterId = clusterId;
  }
  if (name !== undefined) store.CustomKeyStoreName = name;
  if (password !== undefined) store.password = password;
  return ok({});
}

export function* DeleteCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const denied = access.authorizeIam(kms, caller, "kms:DeleteCustomKeyStore");
  if (denied !== undefined) return denied;
  const store = mustStore(kms, caller, storeId);
  if (store instanceof Rejection) return store;
  if (store.ConnectionState !== "DISCONNECTED") return invalidState(store, "DeleteCustomKeyStore"); // §3.4 [MODEL CHOICE]: state first
  if ([...kms.keys.values()].some((k) => k.CustomKeyStoreId === storeId)) {
    return new Rejection("CustomKeyStoreHasCMKsException", `Custom key store ${storeId} still holds KMS keys.`);
  }
  kms.stores.splice(kms.stores.indexOf(store), 1);
  return ok({});
}

export function* DescribeCustomKeyStores(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  if (storeId instanceof Rejection) return storeId;
  const name = optionalString(input, "CustomKeyStoreName", 1, 256);
  if (name instanceof Rejection) return name;
  const paging = pageParams(input, 1000, STORES_PAGE_DEFAULT);
  if (paging instanceof Rejection) return paging;
  if (storeId !== undefined && name !== undefined) {
    return new Rejection("ValidationException", "You cannot specify both CustomKeyStoreId and CustomKeyStoreName.");
  }
  const denied = access.authorizeIam(kms, caller, "kms:DescribeCustomKeyStores");
  if (denied !== undefined) return denied;
  const stores = kms
    .storesOf(caller)
    .filter((s) => (storeId === undefined || s.CustomKeyStoreId === storeId) && (name === undefined || s.CustomKeyStoreName === name));
  if ((storeId !== undefined || name !== undefined) && stores.length === 0) return storeNotFound();
  // In creation order, a page at a time (spec §3.4; the markers of sim/kms/paging.ts).
  const listed = page(stores, paging, "CustomKeyStores", (s) => ({
    CustomKeyStoreId: s.CustomKeyStoreId,
    CustomKeyStoreName: s.CustomKeyStoreName,
    CustomKeyStoreType: "AWS_CLOUDHSM",
    CloudHsmClusterId: s.CloudHsmClusterId,
    TrustAnchorCertificate: s.TrustAnchorCertificate,
    ConnectionState: s.ConnectionState,
    ...(s.ConnectionErrorCode !== undefined ? { ConnectionErrorCode: s.ConnectionErrorCode } : {}),
    CreationDate: kms.date(s.creationUs),
  }));
  return listed instanceof Rejection ? listed : ok(listed);
}
