// Custom key store rules (spec §3, check order §16) and the connection as the model sees it: the
// connection procedure (§3.4) runs connectDelay after Connect — cluster, subnets, an ACTIVE HSM, the
// network, then kmsuser's login and password rotation (§3.3, §4) — and its result is published
// connectExchange later. `runExchange` is the procedure; model/settle.ts decides when it runs.
import { any, okPattern, type OutputPattern } from "../protocol/pattern.ts";
import { needIam } from "./access.ts";
import { accountOf } from "./authorize.ts";
import { callerStores } from "./key-lookup.ts";
import { clusterOf, failover, reachOf, twoActiveAzs, upHsms, type MidCall } from "./cluster.ts";
import { branchOf, dateOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { storeCopy } from "./copies.ts";
import { page, pageParams } from "./paging.ts";
import { optionalText, refuse, requiredText, type Check } from "./refusal.ts";
import { draftCluster } from "./drafts.ts";
import { externalKeyStore } from "./external-key-store.ts";
import type { ExchangeLanding, ModelCluster, ModelState, ModelStore } from "./state.ts";
import { changed, edit, withStore } from "./state-change.ts";
import { packedMap } from "../protocol/packed-map.ts";

const SLR = "AWSServiceRoleForKeyManagementServiceCustomKeyStores";
/** Spec §4 [MODEL CHOICE]: five failed logins lock a crypto user. */
export const FAILED_LOGINS_MAX = 5;
/**
 * Spec §3.4 DescribeCustomKeyStores: Limit 1–1000 by its shape; the default is not documented
 * [MODEL CHOICE: 100, as ListKeys and ListKeyPolicies, whose Limit has the same shape]. Stores come in
 * creation order and a marker is refused as the other listings refuse it (model/paging.ts).
 */
const STORES_PAGE_DEFAULT = 100;

/** A store of the caller's account (§3.4: another account's store is not found). */
function* findStore(ctx: CallContext, id: string): Check<ModelStore> {
  return callerStores(ctx).find((s) => s.id === id) ?? (yield* refuse("CustomKeyStoreNotFoundException"));
}

/** A cluster of the caller's account; the world's clusters are all its own account's [MODEL CHOICE]. */
function* findCluster(ctx: CallContext, id: string): Check<ModelCluster> {
  const mine = accountOf(ctx.caller.arn) === ctx.world.account;
  const found = mine && /^cluster-[2-7a-zA-Z]{11,16}$/.test(id) ? clusterOf(ctx.state, id) : undefined;
  return found ?? (yield* refuse("CloudHsmClusterNotFoundException"));
}

export function* CreateCustomKeyStore(ctx: CallContext): Check<Branch[]> {
  const { input, state, world } = ctx;
  const name = yield* requiredText(input, "CustomKeyStoreName", 1, 256);
  if (((yield* optionalText(input, "CustomKeyStoreType", 1, 64)) ?? "AWS_CLOUDHSM") !== "AWS_CLOUDHSM") return yield* externalKeyStore(ctx);
  const clusterId = yield* requiredText(input, "CloudHsmClusterId", 19, 24);
  const trustAnchor = yield* requiredText(input, "TrustAnchorCertificate", 1, 5000);
  const password = yield* requiredText(input, "KeyStorePassword", 7, 32);
  yield* needIam(ctx, "kms:CreateCustomKeyStore");
  const mine = callerStores(ctx); // §3.4: names, clusters and the quota count per account
  const same = mine.find(
    (s) =>
      s.state === "DISCONNECTED" &&
      s.name === name &&
      s.clusterId === clusterId &&
      s.trustAnchor === trustAnchor &&
      s.password === password,
  );
  if (same !== undefined) return [branchOf(okPattern({ CustomKeyStoreId: same.id }), "§3.4 idempotent re-create", undefined, () => state)];
  if (mine.some((s) => s.name === name)) return yield* refuse("CustomKeyStoreNameInUseException");
  const cluster = yield* findCluster(ctx, clusterId);
  if (mine.some((s) => s.lineage === cluster.lineage)) return yield* refuse("CloudHsmClusterInUseException"); // §3.4: same backup history
  if (cluster.state !== "ACTIVE") return yield* refuse("CloudHsmClusterNotActiveException");
  if (trustAnchor !== cluster.trustAnchor) return yield* refuse("IncorrectTrustAnchorException");
  if (!twoActiveAzs(cluster)) return yield* refuse("CloudHsmClusterInvalidConfigurationException");
  if (mine.length >= world.customKeyStoresPerAccount) return yield* refuse("LimitExceededException"); // §11.1: any state
  if (!state.serviceLinkedRole) {
    yield* needIam(ctx, "iam:CreateServiceLinkedRole", {
      resource: `arn:aws:iam::${world.account}:role/aws-service-role/cks.kms.amazonaws.com/${SLR}`,
    });
  }
  return goesAhead(ctx, okPattern({ CustomKeyStoreId: any("CustomKeyStoreId") }), (actual) => {
    const id = actual.ok ? actual.output["CustomKeyStoreId"] : undefined;
    if (typeof id !== "string") throw new Error("model: CreateCustomKeyStore matched without an id");
    return changed(state, (next) => {
      next.serviceLinkedRole = true;
      next.stores = [
        ...next.stores,
        storeCopy({
          id,
          account: accountOf(ctx.caller.arn),
          name,
          clusterId,
          lineage: cluster.lineage,
          trustAnchor,
          password,
          state: "DISCONNECTED",
          creationUs: ctx.nowUs,
        }),
      ];
    });
  });
}

export function* ConnectCustomKeyStore(ctx: CallContext): Check<Branch[]> {
  const id = yield* requiredText(ctx.input, "CustomKeyStoreId", 1, 64);
  yield* needIam(ctx, "kms:ConnectCustomKeyStore");
  const store = yield* findStore(ctx, id);
  if (store.state === "FAILED" || store.state === "DISCONNECTING") return yield* refuse("CustomKeyStoreInvalidStateException");
  if (store.state !== "DISCONNECTED")
    return [branchOf(okPattern(), "§3.2 connect while connecting/connected is a no-op", undefined, () => ctx.state)];
  const cluster = clusterOf(ctx.state, store.clusterId); // a missing cluster fails later, asynchronously (§3.4)
  if (cluster !== undefined && cluster.state !== "ACTIVE") return yield* refuse("CloudHsmClusterNotActiveException");
  if (cluster !== undefined && upHsms(cluster).length === 0) return yield* refuse("CloudHsmClusterInvalidConfigurationException"); // §15.3 [MODEL CHOICE]
  const exchangeAtUs = ctx.nowUs + ctx.world.connectDelayUs;
  return goesAhead(ctx, okPattern(), () =>
    withStore(ctx.state, id, (s) => {
      s.state = "CONNECTING";
      s.errorCode = undefined;
      s.pending = {
        kind: "connect",
        exchangeAtUs,
        publishAtUs: exchangeAtUs + ctx.world.connectExchangeUs,
        result: undefined,
        asks: undefined,
      };
    }),
  );
}

/** Logs kmsuser in at one HSM (§4) and rotates its password; changes the draft `state`, returns the answer. */
function login(state: ModelState, cluster: ModelCluster, store: ModelStore): string {
  const user = cluster.users["kmsuser"];
  if (user === undefined) return "USER_NOT_FOUND";
  if (user.failedLogins >= FAILED_LOGINS_MAX) return "USER_LOCKED_OUT";
  if (user.session !== null) return "USER_LOGGED_IN";
  if (user.password !== store.password) {
    user.failedLogins += 1;
    return "INVALID_CREDENTIALS";
  }
  state.rotations += 1;
  user.password = `rotated-${state.rotations}`; // the store learns it only if the reply comes back
  user.session = "kms";
  user.failedLogins = 0;
  return "CONNECTED";
}

/**
 * The connection procedure of §3.4 for store `storeId`, on (and changing) the draft `state`; records
 * its result in the store's pending connect. The order of the checks is a [MODEL CHOICE] shared with the KMS.
 */
export function runExchange(state: ModelState, storeId: string, midCall?: MidCall): void {
  const store = state.stores.find((s) => s.id === storeId)!;
  const pending = store.pending;
  if (pending?.kind !== "connect" || pending.result !== undefined) throw new Error("model: no login exchange to run");
  pending.result =
    pending.landed !== undefined ? landedLogin(state, store, pending.landed, pending.asks) : procedure(state, store, pending.asks, midCall);
  // With its result in, neither mark means anything more: runs reached either way are one state.
  pending.landed = undefined;
  pending.asks = undefined;
}

/**
 * `runExchange` for an exchange no change landed in: its checks and the HSMs it asks (unless taken as it
 * started, `asks`), then the login.
 */
function procedure(state: ModelState, store: ModelStore, asks: readonly string[] | undefined, midCall: MidCall | undefined): string {
  const failed = asks !== undefined ? undefined : exchangeChecks(state, store);
  if (failed !== undefined) return failed;
  const cluster = clusterOf(state, store.clusterId);
  if (cluster === undefined) return "NETWORK_ERRORS"; // checked as it started, gone since: no HSM answers
  const result = failover(cluster, () => login(state, cluster, store), [], midCall, asks) ?? "NETWORK_ERRORS";
  if (result === "CONNECTED") store.password = cluster.users["kmsuser"]!.password;
  return result;
}

/**
 * The checks of §3.4 a login exchange makes as it starts, before any request goes out (as the KMS does,
 * sim/kms/connection.ts): the ConnectionErrorCode of the first that fails, or undefined when all pass.
 */
export function exchangeChecks(state: ModelState, store: ModelStore): string | undefined {
  const cluster = clusterOf(state, store.clusterId);
  const subnets =
    cluster === undefined ? [] : packedMap(Object.values(cluster.subnetMapping), (id) => state.subnets.find((s) => s.subnetId === id));
  // A cluster being deleted (it has no HSM left) is as good as gone [MODEL CHOICE], so the answer does not
  // hang on whether the deletion ends before the procedure runs.
  if (cluster === undefined || cluster.state === "DELETE_IN_PROGRESS") return "CLUSTER_NOT_FOUND";
  if (subnets.some((s) => s === undefined || s.deleted)) return "SUBNET_NOT_FOUND";
  if (subnets.some((s) => s?.full === true)) return "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET";
  if (upHsms(cluster).length === 0) return "INSUFFICIENT_CLOUDHSM_HSMS";
  return undefined;
}

/**
 * The login of an exchange that changes met at `landed`'s point (model/exchange-landing.ts): its checks
 * passed, and its attempts ran on the cluster's HSMs as they were before (`landed.cluster`) up to that
 * point, where each takes on what it is now; one deleted since answers nothing more (a deleted HSM serves
 * no request, sim/hsm/cluster.ts). The login finds the crypto users as they are now: an operator action
 * at that instant came before it (model/model.ts keeps the other order too).
 */
function landedLogin(state: ModelState, store: ModelStore, landed: ExchangeLanding, asks: readonly string[] | undefined): string {
  const cluster = clusterOf(state, store.clusterId);
  const tried = draftCluster(landed.cluster);
  if (cluster !== undefined) tried.users = cluster.users; // the draft's: the login changes them in place
  const atLanding: MidCall = (attempt, point) => {
    if (attempt !== landed.attempt || point !== landed.point) return;
    for (const h of tried.hsms) {
      const now = cluster?.hsms.find((x) => x.hsmId === h.hsmId);
      if (now === undefined) h.crashed = true;
      else Object.assign(h, reachOf(now));
    }
  };
  const result = failover(tried, () => login(state, tried, store), [], atLanding, asks) ?? "NETWORK_ERRORS";
  if (result === "CONNECTED") store.password = tried.users["kmsuser"]!.password;
  return result;
}

export function* DisconnectCustomKeyStore(ctx: CallContext): Check<Branch[]> {
  const id = yield* requiredText(ctx.input, "CustomKeyStoreId", 1, 64);
  yield* needIam(ctx, "kms:DisconnectCustomKeyStore");
  const store = yield* findStore(ctx, id);
  if (store.state === "DISCONNECTED" || store.state === "DISCONNECTING") return yield* refuse("CustomKeyStoreInvalidStateException");
  const next = edit(ctx.state, (draft) => {
    const s = draft.stores.find((x) => x.id === id)!;
    // A login exchange already under way finishes first (its rotated password must not be lost).
    if (s.pending?.kind === "connect" && s.pending.result === undefined && ctx.nowUs >= s.pending.exchangeAtUs) runExchange(draft, id);
    const cluster = clusterOf(draft, s.clusterId);
    if (cluster !== undefined) {
      failover(
        cluster,
        () => {
          const user = cluster.users["kmsuser"];
          if (user?.session === "kms") user.session = null;
          return "ok";
        },
        [],
        ctx.midCall,
      );
    }
    s.state = "DISCONNECTING";
    s.errorCode = undefined;
    s.pending = { kind: "disconnect", doneAtUs: ctx.nowUs + ctx.world.disconnectDelayUs };
  });
  return goesAhead(ctx, okPattern(), () => next);
}

export function* UpdateCustomKeyStore(ctx: CallContext): Check<Branch[]> {
  const id = yield* requiredText(ctx.input, "CustomKeyStoreId", 1, 64);
  const name = yield* optionalText(ctx.input, "NewCustomKeyStoreName", 1, 256);
  const password = yield* optionalText(ctx.input, "KeyStorePassword", 7, 32);
  const clusterId = yield* optionalText(ctx.input, "CloudHsmClusterId", 19, 24);
  if (name === undefined && password === undefined && clusterId === undefined) return yield* refuse("ValidationException"); // [MODEL CHOICE]
  yield* needIam(ctx, "kms:UpdateCustomKeyStore");
  const store = yield* findStore(ctx, id);
  const nameOnly = password === undefined && clusterId === undefined;
  // §3.2 matrix (following [BM] over DG23, §15.1): name alone in CONNECTED or DISCONNECTED; the rest DISCONNECTED.
  if (!(store.state === "DISCONNECTED" || (nameOnly && store.state === "CONNECTED")))
    return yield* refuse("CustomKeyStoreInvalidStateException");
  if (name !== undefined && callerStores(ctx).some((s) => s.id !== id && s.name === name))
    return yield* refuse("CustomKeyStoreNameInUseException");
  if (clusterId !== undefined) {
    const cluster = yield* findCluster(ctx, clusterId);
    if (cluster.lineage !== store.lineage) return yield* refuse("CloudHsmClusterNotRelatedException");
    if (cluster.state !== "ACTIVE") return yield* refuse("CloudHsmClusterNotActiveException");
    if (!twoActiveAzs(cluster)) return yield* refuse("CloudHsmClusterInvalidConfigurationException");
  }
  return goesAhead(ctx, okPattern(), () =>
    withStore(ctx.state, id, (s) => {
      if (name !== undefined) s.name = name;
      if (password !== undefined) s.password = password; // §3.4: only tells the KMS; changes nothing in the cluster
      if (clusterId !== undefined) s.clusterId = clusterId;
    }),
  );
}

export function* DeleteCustomKeyStore(ctx: CallContext): Check<Branch[]> {
  const id = yield* requiredText(ctx.input, "CustomKeyStoreId", 1, 64);
  yield* needIam(ctx, "kms:DeleteCustomKeyStore");
  const store = yield* findStore(ctx, id);
  if (store.state !== "DISCONNECTED") return yield* refuse("CustomKeyStoreInvalidStateException"); // §3.4 [MODEL CHOICE]: state, then keys
  if (ctx.state.keys.some((k) => k.storeId === id)) return yield* refuse("CustomKeyStoreHasCMKsException");
  // §3.4: metadata only; the cluster is untouched.
  return goesAhead(ctx, okPattern(), () => changed(ctx.state, (next) => void (next.stores = next.stores.filter((s) => s.id !== id))));
}

export function* DescribeCustomKeyStores(ctx: CallContext): Check<Branch[]> {
  const id = yield* optionalText(ctx.input, "CustomKeyStoreId", 1, 64);
  const name = yield* optionalText(ctx.input, "CustomKeyStoreName", 1, 256);
  const paging = yield* pageParams(ctx, 1000, STORES_PAGE_DEFAULT);
  if (id !== undefined && name !== undefined) return yield* refuse("ValidationException"); // §15.13 [MODEL CHOICE]
  yield* needIam(ctx, "kms:DescribeCustomKeyStores");
  const stores = callerStores(ctx).filter((s) => (id === undefined || s.id === id) && (name === undefined || s.name === name));
  if ((id !== undefined || name !== undefined) && stores.length === 0) return yield* refuse("CustomKeyStoreNotFoundException");
  const listed = yield* page(stores, paging, "CustomKeyStores", (s): OutputPattern => ({
    CustomKeyStoreId: s.id,
    CustomKeyStoreName: s.name,
    CustomKeyStoreType: "AWS_CLOUDHSM",
    CloudHsmClusterId: s.clusterId,
    TrustAnchorCertificate: s.trustAnchor,
    ConnectionState: s.state,
    ...(s.state === "FAILED" ? { ConnectionErrorCode: s.errorCode ?? "INTERNAL_ERROR" } : {}),
    CreationDate: dateOf(ctx.world, s.creationUs),
  }));
  return goesAhead(ctx, okPattern(listed));
}
