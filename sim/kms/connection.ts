// A custom key store's connection as a process on the virtual clock (spec §3.4): CONNECTING for
// connectDelay, then the connection procedure — find the cluster, make a network interface in each of
// its subnets, log in as kmsuser with the stored password and rotate it to a value only the KMS knows —
// with the result (CONNECTED, or FAILED and its ConnectionErrorCode) published at a fixed instant.
import { sleep, type Proc } from "../kernel/process.ts";
import type { HsmAnswer } from "./hsm-client.ts";
import type { VirtualKms } from "./kms.ts";
import type { StoreRecord } from "./state.ts";
import { packedMap } from "../../protocol/packed-map.ts";

/** The connection attempt: wait, run the procedure, publish the result at a fixed instant. */
export function* connectProcess(kms: VirtualKms, store: StoreRecord, generation: number): Proc<void> {
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
  // A cluster being deleted has no HSM left: as good as gone [MODEL CHOICE], whenever its deletion ends.
  if (cluster === undefined || cluster.state === "DELETE_IN_PROGRESS") return "CLUSTER_NOT_FOUND";
  const subnets = packedMap(Object.values(cluster.subnetMapping), (id) => kms.ctx.cloudhsm.subnets.get(id));
  if (subnets.some((s) => s === undefined || s.deleted)) return "SUBNET_NOT_FOUND";
  if (subnets.some((s) => s?.full === true)) return "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET";
  if (cluster.activeHsms().length === 0) return "INSUFFICIENT_CLOUDHSM_HSMS";
  const newPassword = kms.passwordPrng.hex(32);
  const response = (yield kms.hsm.askAny(cluster, { op: "LoginAndRotate", password: store.password, newPassword })) as HsmAnswer;
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
