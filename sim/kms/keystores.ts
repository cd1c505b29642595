// Custom key store operations of the virtual KMS (spec §3), with the check order of spec §16, and
// the connection as a process on the virtual clock: CONNECTING for connectDelay, then the connection
// procedure — find the cluster, make a network interface in each of its subnets, log in as kmsuser
// with the stored password and rotate it to a value only the KMS knows — with the result published at
// a fixed instant; DISCONNECTING → DISCONNECTED.
import { sleep, suspend, type Proc } from "../kernel/process.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import { IamDirectory, SERVICE_LINKED_ROLE } from "../iam/iam.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";
import type { StoreRecord } from "./state.ts";
import { optionalString, reject, requiredString } from "../wire/validate.ts";

const CLUSTER_ID = /^cluster-[2-7a-zA-Z]{11,16}$/;

function storeNotFound(): never {
  reject("CustomKeyStoreNotFoundException", "The specified custom key store was not found.");
}

function invalidState(store: StoreRecord, operation: string): never {
  reject(
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
function findCluster(kms: VirtualKms, caller: string, clusterId: string): VirtualCluster {
  const mine = IamDirectory.accountOf(caller) === kms.options.account;
  const cluster = mine && CLUSTER_ID.test(clusterId) ? kms.cluster(clusterId) : undefined;
  return cluster ?? reject("CloudHsmClusterNotFoundException", `AWS KMS cannot find the CloudHSM cluster ${clusterId}.`);
}

/** The cluster checks shared by Create and Update after lineage: active, then configuration (§16). */
function checkUsable(cluster: VirtualCluster): void {
  if (cluster.state !== "ACTIVE") reject("CloudHsmClusterNotActiveException", `The CloudHSM cluster ${cluster.id} is not active.`);
}

function checkConfiguration(cluster: VirtualCluster): void {
  if (!hasTwoActiveAzs(cluster)) {
    reject(
      "CloudHsmClusterInvalidConfigurationException",
      `The CloudHSM cluster ${cluster.id} needs at least two active HSMs in different Availability Zones.`,
    );
  }
}

/** A store of the caller's account named by a request (spec §3.4: stores are never cross-account). */
function mustStore(kms: VirtualKms, caller: string, storeId: string): StoreRecord {
  return kms.storeOf(caller, storeId) ?? storeNotFound();
}

export function* CreateCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = requiredString(input, "CustomKeyStoreName", 1, 256);
  const type = optionalString(input, "CustomKeyStoreType", 1, 64) ?? "AWS_CLOUDHSM";
  if (type !== "AWS_CLOUDHSM") reject("UnsupportedOperationException", `kmsim does not model ${type} key stores.`);
  const clusterId = requiredString(input, "CloudHsmClusterId", 19, 24);
  const trustAnchor = requiredString(input, "TrustAnchorCertificate", 1, 5000);
  const password = requiredString(input, "KeyStorePassword", 7, 32);
  access.authorizeIam(kms, caller, "kms:CreateCustomKeyStore");

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
    reject("CustomKeyStoreNameInUseException", `A custom key store with name ${name} already exists in this account and Region.`);
  }
  const cluster = findCluster(kms, caller, clusterId);
  if (mine.some((s) => s.lineage === cluster.certificate)) {
    reject(
      "CloudHsmClusterInUseException",
      `The CloudHSM cluster ${clusterId}, or one sharing its backup history, is already associated with a custom key store.`,
    );
  }
  checkUsable(cluster);
  if (trustAnchor !== cluster.trustAnchor) {
    reject("IncorrectTrustAnchorException", `The trust anchor certificate does not match the CloudHSM cluster ${clusterId}.`);
  }
  checkConfiguration(cluster);
  if (mine.length >= kms.options.storesMax) {
    reject(
      "LimitExceededException",
      `You have reached the limit of ${kms.options.storesMax} custom key stores in this account and Region.`,
    );
  }
  const iam = kms.ctx.iam;
  if (!iam.serviceLinkedRoleExists) {
    const roleArn = `arn:aws:iam::${IamDirectory.accountOf(caller)}:role/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}`;
    access.authorizeIam(kms, caller, "iam:CreateServiceLinkedRole", roleArn); // spec §10 [MODEL CHOICE]: no role, no store
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
    creationUs: kms.nowUs,
    generation: 0,
    exchangeInFlight: false,
  };
  kms.stores.push(store);
  return ok({ CustomKeyStoreId: store.CustomKeyStoreId });
}

export function* ConnectCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  access.authorizeIam(kms, caller, "kms:ConnectCustomKeyStore");
  const store = mustStore(kms, caller, storeId);
  if (store.ConnectionState === "FAILED" || store.ConnectionState === "DISCONNECTING") invalidState(store, "ConnectCustomKeyStore");
  if (store.ConnectionState !== "DISCONNECTED") return ok({}); // spec §3.2: valid, and a no-op [MODEL CHOICE]
  // Spec §3.4: a missing cluster is reported asynchronously (CLUSTER_NOT_FOUND), not here.
  const cluster = kms.cluster(store.CloudHsmClusterId);
  if (cluster !== undefined) {
    checkUsable(cluster);
    // Spec §15.3 [MODEL CHOICE]: no ACTIVE HSM at call time is a synchronous error.
    if (cluster.activeHsms().length === 0) {
      reject("CloudHsmClusterInvalidConfigurationException", `The CloudHSM cluster ${cluster.id} has no active HSMs.`);
    }
  }
  store.ConnectionState = "CONNECTING";
  delete store.ConnectionErrorCode;
  store.generation += 1;
  kms.startBackground(connectProcess(kms, store, store.generation));
  return ok({});
}

/** The connection attempt: wait, run the procedure, publish the result at a fixed instant. */
function* connectProcess(kms: VirtualKms, store: StoreRecord, generation: number): Proc<void> {
  const { connectDelayUs, connectExchangeUs } = kms.options;
  yield* sleep(kms.ctx.scheduler, connectDelayUs, `connect ${store.CustomKeyStoreId}`);
  if (store.generation !== generation) return;
  const exchangeStartUs = kms.nowUs;
  store.exchangeInFlight = true;
  const result = yield* connectionProcedure(kms, store);
  store.exchangeInFlight = false;
  kms.wakeExchangeWaiters(store);
  const elapsedUs = kms.nowUs - exchangeStartUs;
  if (elapsedUs > connectExchangeUs) throw new Error(`kms: login exchange took ${elapsedUs}us, more than connectExchangeUs`);
  yield* sleep(kms.ctx.scheduler, connectExchangeUs - elapsedUs, `connect result ${store.CustomKeyStoreId}`);
  if (store.generation !== generation) return;
  if (result === "CONNECTED") store.ConnectionState = "CONNECTED";
  else {
    store.ConnectionState = "FAILED";
    store.ConnectionErrorCode = result;
  }
}

/**
 * Spec §3.4's procedure, each failure its ConnectionErrorCode (§3.3) [MODEL CHOICE on the order]:
 * cluster, subnets (deleted, then full), an ACTIVE HSM, the network, then kmsuser's login.
 */
function* connectionProcedure(kms: VirtualKms, store: StoreRecord): Proc<string> {
  const cluster = kms.cluster(store.CloudHsmClusterId);
  if (cluster === undefined) return "CLUSTER_NOT_FOUND";
  const subnets = Object.values(cluster.subnetMapping).map((id) => kms.ctx.cloudhsm.subnets.get(id));
  if (subnets.some((s) => s === undefined || s.deleted)) return "SUBNET_NOT_FOUND";
  if (subnets.some((s) => s?.full === true)) return "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET";
  if (cluster.activeHsms().length === 0) return "INSUFFICIENT_CLOUDHSM_HSMS";
  const newPassword = kms.passwordPrng.hex(32);
  const response = yield* kms.hsm.askAny(cluster, { op: "LoginAndRotate", password: store.password, newPassword });
  if (response === undefined) return "NETWORK_ERRORS";
  if (!response.ok) {
    if (
      response.code === "USER_NOT_FOUND" ||
      response.code === "INVALID_CREDENTIALS" ||
      response.code === "USER_LOCKED_OUT" ||
      response.code === "USER_LOGGED_IN"
    )
      return response.code;
    throw new Error(`kms: unexpected login answer ${response.code}`);
  }
  store.password = newPassword;
  return "CONNECTED";
}

export function* DisconnectCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const callStartUs = kms.nowUs;
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  access.authorizeIam(kms, caller, "kms:DisconnectCustomKeyStore");
  const store = mustStore(kms, caller, storeId);
  if (store.ConnectionState === "DISCONNECTED" || store.ConnectionState === "DISCONNECTING")
    invalidState(store, "DisconnectCustomKeyStore");
  // A login exchange on the wire is let finish, so its result (a rotated password) is never lost.
  if (store.exchangeInFlight) yield* suspend<void>((resume) => kms.onExchangeDone(store, () => resume(undefined)));
  store.generation += 1;
  store.ConnectionState = "DISCONNECTING";
  delete store.ConnectionErrorCode;
  const cluster = kms.cluster(store.CloudHsmClusterId);
  if (cluster !== undefined) yield* kms.hsm.askAny(cluster, { op: "Logout" });
  const generation = store.generation;
  kms.ctx.scheduler.after(callStartUs + kms.options.disconnectDelayUs - kms.nowUs, `disconnected ${store.CustomKeyStoreId}`, () => {
    if (store.generation === generation) store.ConnectionState = "DISCONNECTED";
  });
  return ok({});
}

export function* UpdateCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  const name = optionalString(input, "NewCustomKeyStoreName", 1, 256);
  const password = optionalString(input, "KeyStorePassword", 7, 32);
  const clusterId = optionalString(input, "CloudHsmClusterId", 19, 24);
  if (name === undefined && password === undefined && clusterId === undefined) {
    reject("ValidationException", "Specify at least one of NewCustomKeyStoreName, KeyStorePassword and CloudHsmClusterId."); // [MODEL CHOICE]
  }
  access.authorizeIam(kms, caller, "kms:UpdateCustomKeyStore");
  const store = mustStore(kms, caller, storeId);
  // Spec §3.2 matrix: a name alone may change when CONNECTED or DISCONNECTED; anything else needs DISCONNECTED.
  const nameOnly = password === undefined && clusterId === undefined;
  const allowed = store.ConnectionState === "DISCONNECTED" || (nameOnly && store.ConnectionState === "CONNECTED");
  if (!allowed) invalidState(store, "UpdateCustomKeyStore");
  if (name !== undefined && kms.storesOf(caller).some((s) => s !== store && s.CustomKeyStoreName === name)) {
    reject("CustomKeyStoreNameInUseException", `A custom key store with name ${name} already exists in this account and Region.`);
  }
  if (clusterId !== undefined) {
    const cluster = findCluster(kms, caller, clusterId);
    if (cluster.certificate !== store.lineage) {
      reject(
        "CloudHsmClusterNotRelatedException",
        `The CloudHSM cluster ${clusterId} does not share backup history with the store's cluster.`,
      );
    }
    checkUsable(cluster);
    checkConfiguration(cluster);
    store.CloudHsmClusterId = clusterId;
  }
  if (name !== undefined) store.CustomKeyStoreName = name;
  if (password !== undefined) store.password = password;
  return ok({});
}

export function* DeleteCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  access.authorizeIam(kms, caller, "kms:DeleteCustomKeyStore");
  const store = mustStore(kms, caller, storeId);
  if (store.ConnectionState !== "DISCONNECTED") invalidState(store, "DeleteCustomKeyStore"); // §3.4 [MODEL CHOICE]: state first
  if ([...kms.keys.values()].some((k) => k.CustomKeyStoreId === storeId)) {
    reject("CustomKeyStoreHasCMKsException", `Custom key store ${storeId} still holds KMS keys.`);
  }
  kms.stores.splice(kms.stores.indexOf(store), 1);
  return ok({});
}

export function* DescribeCustomKeyStores(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  const name = optionalString(input, "CustomKeyStoreName", 1, 256);
  if (storeId !== undefined && name !== undefined) {
    reject("ValidationException", "You cannot specify both CustomKeyStoreId and CustomKeyStoreName.");
  }
  access.authorizeIam(kms, caller, "kms:DescribeCustomKeyStores");
  const stores = kms
    .storesOf(caller)
    .filter((s) => (storeId === undefined || s.CustomKeyStoreId === storeId) && (name === undefined || s.CustomKeyStoreName === name));
  if ((storeId !== undefined || name !== undefined) && stores.length === 0) storeNotFound();
  return ok({
    CustomKeyStores: stores.map((s) => ({
      CustomKeyStoreId: s.CustomKeyStoreId,
      CustomKeyStoreName: s.CustomKeyStoreName,
      CustomKeyStoreType: "AWS_CLOUDHSM",
      CloudHsmClusterId: s.CloudHsmClusterId,
      TrustAnchorCertificate: s.TrustAnchorCertificate,
      ConnectionState: s.ConnectionState,
      ...(s.ConnectionErrorCode !== undefined ? { ConnectionErrorCode: s.ConnectionErrorCode } : {}),
      CreationDate: kms.date(s.creationUs),
    })),
    Truncated: false,
  });
}
