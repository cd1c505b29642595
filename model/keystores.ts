// Custom key store rules (spec §3, check order §16) and the connection as the model sees it: the
// login exchange starts connectDelay after Connect and its result is published connectExchange later.
// Its result depends on the cluster at the exchange (§3.3, §4). When a fault lands inside the
// exchange the model cannot know which side of it the exchange saw, so it forks (`exchangeOutcomes`).
import { dateOf, needIam, type Branch, type CallContext } from "./context.ts";
import { any, okPattern, type OutputPattern } from "./pattern.ts";
import { refuse, text } from "./refuse.ts";
import { copy, reachability, twoActiveAzs, type ModelState, type ModelStore, type Reachability } from "./state.ts";

const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
/** Spec §4 [MODEL CHOICE]: five failed logins lock kmsuser. */
const FAILED_LOGINS_MAX = 5;
/** Spec §11.1: ten custom key stores per account and Region. */
const STORES_MAX = 10;

function findStore(ctx: CallContext, id: string): ModelStore {
  return ctx.state.stores.find((s) => s.id === id) ?? refuse("CustomKeyStoreNotFoundException");
}

export function CreateCustomKeyStore(ctx: CallContext): Branch[] {
  const { input, state, world } = ctx;
  const name = text(input, "CustomKeyStoreName", 1, 256, true)!;
  if ((text(input, "CustomKeyStoreType", 1, 64, false) ?? "AWS_CLOUDHSM") !== "AWS_CLOUDHSM") refuse("UnsupportedOperationException");
  const clusterId = text(input, "CloudHsmClusterId", 19, 24, true)!;
  const trustAnchor = text(input, "TrustAnchorCertificate", 1, 5000, true)!;
  const password = text(input, "KeyStorePassword", 7, 32, true)!;
  needIam(ctx, "kms:CreateCustomKeyStore");
  const same = state.stores.find((s) => s.state === "DISCONNECTED" && s.name === name && s.clusterId === clusterId && s.trustAnchor === trustAnchor && s.password === password);
  if (same !== undefined) return [{ outcome: okPattern({ CustomKeyStoreId: same.id }), why: "§3.4 idempotent re-create", next: () => state }];
  if (state.stores.some((s) => s.name === name)) refuse("CustomKeyStoreNameInUseException");
  if (clusterId !== world.clusterId) refuse("CloudHsmClusterNotFoundException");
  if (state.stores.some((s) => s.clusterId === clusterId)) refuse("CloudHsmClusterInUseException");
  if (trustAnchor !== world.trustAnchor) refuse("IncorrectTrustAnchorException");
  if (!twoActiveAzs(state)) refuse("CloudHsmClusterInvalidConfigurationException");
  if (state.stores.length >= STORES_MAX) refuse("LimitExceededException");
  if (!state.serviceLinkedRole) {
    needIam(ctx, "iam:CreateServiceLinkedRole", `arn:aws:iam::${world.account}:role/aws-service-role/cks.kms.amazonaws.com/${SLR}`);
  }
  return [{
    outcome: okPattern({ CustomKeyStoreId: any("CustomKeyStoreId") }),
    next: (actual) => {
      const next = copy(state);
      next.serviceLinkedRole = true;
      const id = actual.ok ? actual.output["CustomKeyStoreId"] : undefined;
      if (typeof id !== "string") throw new Error("model: CreateCustomKeyStore matched without an id");
      next.stores.push({ id, name, clusterId, trustAnchor, password, state: "DISCONNECTED", creationUs: ctx.nowUs });
      return next;
    },
  }];
}

export function ConnectCustomKeyStore(ctx: CallContext): Branch[] {
  const id = text(ctx.input, "CustomKeyStoreId", 1, 64, true)!;
  needIam(ctx, "kms:ConnectCustomKeyStore");
  const store = findStore(ctx, id);
  if (store.state === "FAILED" || store.state === "DISCONNECTING") refuse("CustomKeyStoreInvalidStateException");
  if (store.state !== "DISCONNECTED") return [{ outcome: okPattern(), why: "§3.2 connect while connecting/connected is a no-op", next: () => ctx.state }];
  if (!reachability(ctx.state).anyActive) refuse("CloudHsmClusterInvalidConfigurationException"); // §15.3 [MODEL CHOICE]
  const next = copy(ctx.state);
  const s = next.stores.find((x) => x.id === id)!;
  s.state = "CONNECTING";
  delete s.errorCode;
  const exchangeAtUs = ctx.nowUs + ctx.world.connectDelayUs;
  s.pending = { kind: "connect", exchangeAtUs, publishAtUs: exchangeAtUs + ctx.world.connectExchangeUs };
  return [{ outcome: okPattern(), next: () => next }];
}

/** Logs kmsuser in with the store's password and rotates it (§3.4, §4); returns the result. */
function exchange(state: ModelState, store: ModelStore, reach: Reachability): string {
  if (!reach.anyActive) return "INSUFFICIENT_CLOUDHSM_HSMS";
  if (!reach.anyReachable) return "NETWORK_ERRORS";
  const user = state.kmsuser;
  if (user.failedLogins >= FAILED_LOGINS_MAX) return "USER_LOCKED_OUT";
  if (user.loggedIn) return "USER_LOGGED_IN";
  if (user.password !== store.password) {
    user.failedLogins += 1;
    return "INVALID_CREDENTIALS";
  }
  state.rotations += 1;
  user.password = store.password = `rotated-${state.rotations}`;
  user.loggedIn = true;
  user.failedLogins = 0;
  return "CONNECTED";
}

/**
 * Every way the store's login exchange may have gone, each as (state after, result). One way when
 * nothing disturbed it; when a fault landed inside it, also the way it sees the cluster now, and for
 * a partition the way where kmsuser was logged in but the reply was lost.
 */
export function exchangeOutcomes(state: ModelState, storeId: string): { state: ModelState; result: string }[] {
  const store = state.stores.find((s) => s.id === storeId)!;
  const pending = store.pending;
  if (pending?.kind !== "connect") throw new Error("model: no connect exchange to resolve");
  const views = [pending.snapshot ?? reachability(state)];
  if (pending.disturbedBy !== undefined) views.push(reachability(state));
  const out: { state: ModelState; result: string }[] = [];
  for (const view of views) {
    const next = copy(state);
    out.push({ state: next, result: exchange(next, next.stores.find((s) => s.id === storeId)!, view) });
  }
  const user = state.kmsuser;
  const couldLogIn = !user.loggedIn && user.failedLogins < FAILED_LOGINS_MAX && user.password === store.password;
  if (pending.disturbedBy === "partition" && couldLogIn) {
    for (const result of ["USER_LOGGED_IN", "NETWORK_ERRORS"]) {
      const next = copy(state);
      next.rotations += 1;
      next.kmsuser = { password: `lost-${next.rotations}`, loggedIn: true, failedLogins: 0 };
      out.push({ state: next, result });
    }
  }
  return out;
}

export function DisconnectCustomKeyStore(ctx: CallContext): Branch[] {
  const id = text(ctx.input, "CustomKeyStoreId", 1, 64, true)!;
  needIam(ctx, "kms:DisconnectCustomKeyStore");
  const store = findStore(ctx, id);
  if (store.state === "DISCONNECTED" || store.state === "DISCONNECTING") refuse("CustomKeyStoreInvalidStateException");
  // A login exchange already under way finishes first (its rotated password must not be lost).
  const started = store.pending?.kind === "connect" && ctx.nowUs >= store.pending.exchangeAtUs;
  const befores = started ? exchangeOutcomes(ctx.state, id).map((o) => o.state) : [ctx.state];
  return befores.map((before) => {
    const next = copy(before);
    if (reachability(next).anyReachable) next.kmsuser.loggedIn = false;
    const s = next.stores.find((x) => x.id === id)!;
    s.state = "DISCONNECTING";
    delete s.errorCode;
    s.pending = { kind: "disconnect", doneAtUs: ctx.nowUs + ctx.world.disconnectDelayUs };
    return { outcome: okPattern(), why: started ? "§3.4 disconnect after a login exchange" : undefined, next: () => next };
  });
}

export function DescribeCustomKeyStores(ctx: CallContext): Branch[] {
  const id = text(ctx.input, "CustomKeyStoreId", 1, 64, false);
  const name = text(ctx.input, "CustomKeyStoreName", 1, 256, false);
  if (id !== undefined && name !== undefined) refuse("ValidationException"); // §15.13 [MODEL CHOICE]
  needIam(ctx, "kms:DescribeCustomKeyStores");
  const stores = ctx.state.stores.filter((s) => (id === undefined || s.id === id) && (name === undefined || s.name === name));
  if ((id !== undefined || name !== undefined) && stores.length === 0) refuse("CustomKeyStoreNotFoundException");
  const entries: OutputPattern[] = stores.map((s) => ({
    CustomKeyStoreId: s.id,
    CustomKeyStoreName: s.name,
    CustomKeyStoreType: "AWS_CLOUDHSM",
    CloudHsmClusterId: s.clusterId,
    TrustAnchorCertificate: s.trustAnchor,
    ConnectionState: s.state,
    ...(s.state === "FAILED" ? { ConnectionErrorCode: s.errorCode ?? "INTERNAL_ERROR" } : {}),
    CreationDate: dateOf(ctx.world, s.creationUs),
  }));
  return [{ outcome: okPattern({ CustomKeyStores: entries, Truncated: false }), next: () => ctx.state }];
}
