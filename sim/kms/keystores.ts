// Custom key store operations of the virtual KMS (spec §3), with the check order of spec §16, and
// the connection as a process on the virtual clock: CONNECTING for connectDelay, then a login
// exchange with the cluster (log in as kmsuser with the stored password and rotate it to a value
// only the KMS knows), with the result published at a fixed instant; DISCONNECTING → DISCONNECTED.
import { sleep, suspend, type Proc } from "../kernel/process.ts";
import { ok, type JsonObject, type Outcome } from "../step.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import { SERVICE_LINKED_ROLE } from "./iam.ts";
import type { VirtualKms } from "./kms.ts";
import type { StoreRecord } from "./state.ts";
import { optionalString, reject, requiredString } from "./validate.ts";

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

export function* CreateCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const name = requiredString(input, "CustomKeyStoreName", 1, 256);
  const type = optionalString(input, "CustomKeyStoreType", 1, 64) ?? "AWS_CLOUDHSM";
  if (type !== "AWS_CLOUDHSM") reject("UnsupportedOperationException", `kmsim does not model ${type} key stores.`);
  const clusterId = requiredString(input, "CloudHsmClusterId", 19, 24);
  const trustAnchor = requiredString(input, "TrustAnchorCertificate", 1, 5000);
  const password = requiredString(input, "KeyStorePassword", 7, 32);
  kms.authorizeIam(caller, "kms:CreateCustomKeyStore");

  // Spec §3.4: an identical retry of a DISCONNECTED store returns the existing id (checked first).
  const same = kms.stores.find(
    (s) => s.ConnectionState === "DISCONNECTED" && s.CustomKeyStoreName === name && s.CloudHsmClusterId === clusterId &&
      s.TrustAnchorCertificate === trustAnchor && s.password === password,
  );
  if (same !== undefined) return ok({ CustomKeyStoreId: same.CustomKeyStoreId });

  if (kms.stores.some((s) => s.CustomKeyStoreName === name)) {
    reject("CustomKeyStoreNameInUseException", `A custom key store with name ${name} already exists in this account and Region.`);
  }
  const cluster = CLUSTER_ID.test(clusterId) ? kms.ctx.clusters.get(clusterId) : undefined;
  if (cluster === undefined) reject("CloudHsmClusterNotFoundException", `AWS KMS cannot find the CloudHSM cluster ${clusterId}.`);
  if (kms.stores.some((s) => s.CloudHsmClusterId === clusterId)) {
    reject("CloudHsmClusterInUseException", `The CloudHSM cluster ${clusterId} is already associated with a custom key store.`);
  }
  if (cluster.state !== "ACTIVE") reject("CloudHsmClusterNotActiveException", `The CloudHSM cluster ${clusterId} is not active.`);
  if (trustAnchor !== cluster.spec.trustAnchor) {
    reject("IncorrectTrustAnchorException", `The trust anchor certificate does not match the CloudHSM cluster ${clusterId}.`);
  }
  if (!hasTwoActiveAzs(cluster)) {
    reject("CloudHsmClusterInvalidConfigurationException", `The CloudHSM cluster ${clusterId} needs at least two active HSMs in different Availability Zones.`);
  }
  if (kms.stores.length >= kms.options.storesMax) {
    reject("LimitExceededException", `You have reached the limit of ${kms.options.storesMax} custom key stores in this account and Region.`);
  }
  const iam = kms.ctx.iam;
  if (!iam.serviceLinkedRoleExists) {
    const account = caller.split(":")[4];
    const roleArn = `arn:aws:iam::${account}:role/aws-service-role/cks.kms.amazonaws.com/${SERVICE_LINKED_ROLE}`;
    kms.authorizeIam(caller, "iam:CreateServiceLinkedRole", roleArn); // spec §10 [MODEL CHOICE]: no role, no store
    iam.serviceLinkedRoleExists = true;
  }
  const store: StoreRecord = {
    CustomKeyStoreId: kms.newStoreId(),
    CustomKeyStoreName: name,
    CloudHsmClusterId: clusterId,
    TrustAnchorCertificate: trustAnchor,
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
  kms.authorizeIam(caller, "kms:ConnectCustomKeyStore");
  const store = kms.store(storeId) ?? storeNotFound();
  if (store.ConnectionState === "FAILED" || store.ConnectionState === "DISCONNECTING") invalidState(store, "ConnectCustomKeyStore");
  if (store.ConnectionState !== "DISCONNECTED") return ok({}); // spec §3.2: valid, and a no-op [MODEL CHOICE]
  const cluster = kms.ctx.clusters.get(store.CloudHsmClusterId);
  if (cluster !== undefined) {
    if (cluster.state !== "ACTIVE") reject("CloudHsmClusterNotActiveException", `The CloudHSM cluster ${cluster.id} is not active.`);
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

/** The connection attempt: wait, run the login exchange, publish the result at a fixed instant. */
function* connectProcess(kms: VirtualKms, store: StoreRecord, generation: number): Proc<void> {
  const { connectDelayUs, connectExchangeUs } = kms.options;
  yield* sleep(kms.ctx.scheduler, connectDelayUs, `connect ${store.CustomKeyStoreId}`);
  if (store.generation !== generation) return;
  const exchangeStartUs = kms.nowUs;
  store.exchangeInFlight = true;
  const result = yield* loginExchange(kms, store);
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

/** Logs in as kmsuser and rotates its password; returns CONNECTED or a ConnectionErrorCode. */
function* loginExchange(kms: VirtualKms, store: StoreRecord): Proc<string> {
  const cluster = kms.ctx.clusters.get(store.CloudHsmClusterId);
  if (cluster === undefined) return "CLUSTER_NOT_FOUND";
  if (cluster.activeHsms().length === 0) return "INSUFFICIENT_CLOUDHSM_HSMS";
  const newPassword = kms.passwordPrng.hex(32);
  const response = yield* kms.hsm.askAny(cluster, { op: "LoginAndRotate", password: store.password, newPassword });
  if (response === undefined) return "NETWORK_ERRORS";
  if (!response.ok) {
    if (response.code === "USER_NOT_FOUND" || response.code === "INVALID_CREDENTIALS" || response.code === "USER_LOCKED_OUT" || response.code === "USER_LOGGED_IN") return response.code;
    throw new Error(`kms: unexpected login answer ${response.code}`);
  }
  store.password = newPassword;
  return "CONNECTED";
}

export function* DisconnectCustomKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const callStartUs = kms.nowUs;
  const storeId = requiredString(input, "CustomKeyStoreId", 1, 64);
  kms.authorizeIam(caller, "kms:DisconnectCustomKeyStore");
  const store = kms.store(storeId) ?? storeNotFound();
  if (store.ConnectionState === "DISCONNECTED" || store.ConnectionState === "DISCONNECTING") invalidState(store, "DisconnectCustomKeyStore");
  // A login exchange on the wire is let finish, so its result (a rotated password) is never lost.
  if (store.exchangeInFlight) yield* suspend<void>((resume) => kms.onExchangeDone(store, () => resume(undefined)));
  store.generation += 1;
  store.ConnectionState = "DISCONNECTING";
  delete store.ConnectionErrorCode;
  const cluster = kms.ctx.clusters.get(store.CloudHsmClusterId);
  if (cluster !== undefined) yield* kms.hsm.askAny(cluster, { op: "Logout" });
  const generation = store.generation;
  const remainingUs = callStartUs + kms.options.disconnectDelayUs - kms.nowUs;
  kms.ctx.scheduler.after(remainingUs, `disconnected ${store.CustomKeyStoreId}`, () => {
    if (store.generation === generation) store.ConnectionState = "DISCONNECTED";
  });
  return ok({});
}

export function* DescribeCustomKeyStores(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const storeId = optionalString(input, "CustomKeyStoreId", 1, 64);
  const name = optionalString(input, "CustomKeyStoreName", 1, 256);
  if (storeId !== undefined && name !== undefined) {
    reject("ValidationException", "You cannot specify both CustomKeyStoreId and CustomKeyStoreName.");
  }
  kms.authorizeIam(caller, "kms:DescribeCustomKeyStores");
  const stores = kms.stores.filter((s) => (storeId === undefined || s.CustomKeyStoreId === storeId) && (name === undefined || s.CustomKeyStoreName === name));
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
