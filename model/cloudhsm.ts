// The CloudHSM service as the model sees it (spec §4; cloudhsmv2 names from [BM-hsm]): the control
// plane — authorized by IAM as `cloudhsm:<Op>` — and the operator's actions inside a cluster with HSM
// credentials. Clusters restored from a backup share its lineage, users and key objects; a new
// cluster without a backup stays UNINITIALIZED. Error names of operator actions are kmsim's own.
import { any, errorPattern, okPattern, type OutputPattern } from "../protocol/pattern.ts";
import type { Outcome } from "../protocol/step.ts";
import { needIam } from "./access.ts";
import { clusterRequest } from "./cluster-request.ts";
import { clusterOf, deleteObjects, isUp, labelOf, scheduleReplication, upHsms } from "./cluster.ts";
import { branchOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { clusterCopy, hsmCopy } from "./copies.ts";
import { FAILED_LOGINS_MAX } from "./keystores.ts";
import { changeLandings } from "./exchange-landing.ts";
import { integer, optionalText, refuse, requiredText, type Check } from "./refusal.ts";
import type { ModelCluster, ModelState, ModelUser } from "./state.ts";
import { changed, withCluster } from "./state-change.ts";

/** The certificate of a lineage, as the service shows it (a convention shared with the world). */
export function certificateOf(lineage: string): string {
  return `-----BEGIN CERTIFICATE-----\nClusterCertificateOf${lineage}\n-----END CERTIFICATE-----`;
}

function* cluster(ctx: CallContext, state: ModelState = ctx.state): Check<ModelCluster> {
  const id = yield* requiredText(ctx.input, "ClusterId", 1, 64);
  return clusterOf(state, id) ?? (yield* refuse("CloudHsmResourceNotFoundException"));
}

const authorized = (ctx: CallContext, op: string): Check<void> =>
  needIam(ctx, `cloudhsm:${op}`, { errorName: "CloudHsmAccessDeniedException" });

const learn = (actual: Outcome, field: string, id: string): string => {
  const inner = actual.ok ? actual.output[field] : undefined;
  const value = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? inner[id] : undefined;
  if (typeof value !== "string") throw new Error(`model: ${field}.${id} missing from a matched outcome`);
  return value;
};

/**
 * DescribeClusters pages by MaxResults (1–25) and NextToken [MODEL CHOICE: all clusters when MaxResults is
 * absent; a NextToken is the decimal index of the next cluster in ClusterId order, and one not issued that
 * way — not a number, or past the end — is CloudHsmInvalidRequestException, the client error the operation
 * documents].
 */
export function* DescribeClusters(ctx: CallContext): Check<Branch[]> {
  yield* authorized(ctx, "DescribeClusters");
  const pageSize = (yield* integer(ctx.input, "MaxResults", 1, 25)) ?? Number.MAX_SAFE_INTEGER;
  const token = yield* optionalText(ctx.input, "NextToken", 0, 256);
  const start = token === undefined ? 0 : /^\d+$/.test(token) && Number(token) <= ctx.state.clusters.length ? Number(token) : undefined;
  if (start === undefined) return yield* refuse("CloudHsmInvalidRequestException");
  const byId = <T extends { id?: string; hsmId?: string }>(a: T, b: T) => ((a.id ?? a.hsmId ?? "") < (b.id ?? b.hsmId ?? "") ? -1 : 1);
  const clusters: OutputPattern[] = [...ctx.state.clusters].sort(byId).map((c) => ({
    ClusterId: c.id,
    State: c.state,
    HsmType: c.hsmType,
    Hsms: [...c.hsms].sort(byId).map((h) => ({
      HsmId: h.hsmId,
      ClusterId: c.id,
      AvailabilityZone: h.availabilityZone,
      SubnetId: h.subnetId,
      State: isUp(h) ? "ACTIVE" : "DEGRADED",
    })),
    SubnetMapping: c.subnetMapping,
    Certificates: { ClusterCertificate: certificateOf(c.lineage) },
    ...(c.sourceBackupId !== undefined ? { SourceBackupId: c.sourceBackupId } : {}),
  }));
  const more = start + pageSize < clusters.length;
  return goesAhead(
    ctx,
    okPattern({ Clusters: clusters.slice(start, start + pageSize), ...(more ? { NextToken: String(start + pageSize) } : {}) }),
  );
}

/**
 * CreateCluster: of the HSM type and in the subnets the request names (model/cluster-request.ts), new and
 * UNINITIALIZED, or restored from SourceBackupId — ACTIVE, of the backup's lineage. A restored cluster is of
 * the type the request names [MODEL CHOICE, spec silent: the API requires HsmType in a restore too, and
 * kmsim's backups record no type of their own].
 */
export function* CreateCluster(ctx: CallContext): Check<Branch[]> {
  yield* authorized(ctx, "CreateCluster");
  const { hsmType, subnetMapping } = yield* clusterRequest(ctx.input, ctx.state.subnets);
  const described = { HsmType: hsmType, SubnetMapping: subnetMapping };
  const source = ctx.input["SourceBackupId"];
  if (source === undefined || source === null) {
    const outcome = okPattern({ Cluster: { ClusterId: any("ClusterId"), State: "UNINITIALIZED", ...described } });
    return goesAhead(ctx, outcome, (actual) => {
      const id = learn(actual, "Cluster", "ClusterId");
      const created = clusterCopy({
        id,
        state: "UNINITIALIZED",
        hsmType,
        lineage: id,
        trustAnchor: "",
        subnetMapping,
        hsms: [],
        users: {},
      });
      return changed(ctx.state, (next) => void (next.clusters = [...next.clusters, created]));
    });
  }
  if (typeof source !== "string") return yield* refuse("CloudHsmInvalidRequestException");
  const backup = ctx.state.backups.find((b) => b.id === source) ?? (yield* refuse("CloudHsmResourceNotFoundException"));
  const outcome = okPattern({ Cluster: { ClusterId: any("ClusterId"), State: "ACTIVE", ...described, SourceBackupId: backup.id } });
  return goesAhead(ctx, outcome, (actual) => {
    const id = learn(actual, "Cluster", "ClusterId");
    const users = Object.fromEntries(
      Object.entries(backup.users).map(([n, u]) => [n, { password: u.password, session: null, failedLogins: 0 }]),
    );
    return changed(ctx.state, (next) => {
      next.clusters = [
        ...next.clusters,
        clusterCopy({
          id,
          state: "ACTIVE",
          hsmType,
          lineage: backup.lineage,
          trustAnchor: backup.trustAnchor,
          subnetMapping,
          sourceBackupId: backup.id,
          hsms: [],
          users,
          restoredObjects: [...backup.objects],
        }),
      ];
    });
  });
}

export function* DeleteCluster(ctx: CallContext): Check<Branch[]> {
  yield* authorized(ctx, "DeleteCluster");
  const c = yield* cluster(ctx);
  // Being deleted already: a client error [MODEL CHOICE], as for a cluster that still has HSMs.
  if (c.hsms.length > 0 || c.state === "DELETE_IN_PROGRESS") return yield* refuse("CloudHsmInvalidRequestException");
  if (ctx.world.clusterDeletionUs === 0) {
    return goesAhead(ctx, okPattern({ Cluster: { ClusterId: c.id, State: "DELETED" } }), () =>
      changed(ctx.state, (next) => void (next.clusters = next.clusters.filter((x) => x.id !== c.id))),
    );
  }
  // §4 ClusterState: DELETE_IN_PROGRESS for clusterDeletion, then gone (model/settle.ts).
  const goneAtUs = ctx.nowUs + ctx.world.clusterDeletionUs;
  return goesAhead(ctx, okPattern({ Cluster: { ClusterId: c.id, State: "DELETE_IN_PROGRESS" } }), () =>
    withCluster(ctx.state, c.id, (x) => {
      x.state = "DELETE_IN_PROGRESS";
      x.goneAtUs = goneAtUs;
    }),
  );
}

export function* CreateHsm(ctx: CallContext): Check<Branch[]> {
  yield* authorized(ctx, "CreateHsm");
  const c = yield* cluster(ctx);
  const zone = yield* requiredText(ctx.input, "AvailabilityZone", 1, 64);
  if (c.state !== "ACTIVE") return yield* refuse("CloudHsmInvalidRequestException");
  const subnet = ctx.state.subnets.find((s) => s.subnetId === c.subnetMapping[zone]);
  if (subnet === undefined || subnet.deleted || subnet.full) return yield* refuse("CloudHsmInvalidRequestException");
  // Past the limit: the client error CreateHsm declares (its model lists no ResourceLimitExceeded) [MODEL CHOICE].
  if (c.hsms.length >= ctx.world.hsmsPerClusterMax) return yield* refuse("CloudHsmInvalidRequestException");
  const outcome = okPattern({
    Hsm: { HsmId: any("HsmId"), ClusterId: c.id, AvailabilityZone: zone, SubnetId: subnet.subnetId, State: "ACTIVE" },
  });
  return goesAhead(ctx, outcome, (actual) => {
    const hsmId = learn(actual, "Hsm", "HsmId");
    return withCluster(ctx.state, c.id, (at) => {
      // A restored cluster's first HSM starts with the backup's key objects (§4); any HSM catches up by replication.
      const objects = at.restoredObjects ?? [];
      at.hsms.push(
        hsmCopy({
          hsmId,
          availabilityZone: zone,
          subnetId: subnet.subnetId,
          crashed: false,
          zoneDown: false,
          cutTo: false,
          cutFrom: false,
          objects,
        }),
      );
      at.restoredObjects = undefined;
      scheduleReplication(ctx.world, at, ctx.nowUs, 0); // the control plane takes no time
    });
  });
}

export function* DeleteHsm(ctx: CallContext): Check<Branch[]> {
  yield* authorized(ctx, "DeleteHsm");
  const c = yield* cluster(ctx);
  // §4: the API names the HSM by HsmId, EniId or EniIp, all optional; kmsim's HSMs are named by HsmId, and a
  // request naming none is the client's error [MODEL CHOICE: CloudHsmInvalidRequestException].
  const hsmId = (yield* optionalText(ctx.input, "HsmId", 1, 64)) ?? (yield* refuse("CloudHsmInvalidRequestException"));
  if (!c.hsms.some((h) => h.hsmId === hsmId)) return yield* refuse("CloudHsmResourceNotFoundException");
  const outcome = okPattern({ HsmId: hsmId });
  const deleted = withCluster(ctx.state, c.id, (at) => void (at.hsms = at.hsms.filter((h) => h.hsmId !== hsmId)));
  // A connect's login exchange on the wire may meet the deletion at any point (model/exchange-landing.ts).
  const landings = changeLandings(ctx.world, ctx.state, deleted, ctx.nowUs, (x) => x.id === c.id, "DeleteHsm");
  return landings.map((l) => branchOf(outcome, l.why, undefined, () => l.state));
}

/**
 * §4: a backup as the service takes one (CloudHSMv2 has no CreateBackup operation; kmsim's operator
 * action hsm:CreateBackup stands for a backup being taken now): needs a running HSM, like any operator action.
 */
export function* CreateBackup(ctx: CallContext): Check<Branch[]> {
  const c = yield* cluster(ctx);
  const source = upHsms(c)[0];
  if (c.state !== "ACTIVE" || source === undefined) return yield* refuse("HsmUnavailableException");
  return goesAhead(ctx, okPattern({ Backup: { BackupId: any("BackupId"), ClusterId: c.id, BackupState: "READY" } }), (actual) => {
    const id = learn(actual, "Backup", "BackupId");
    const backup = { id, clusterId: c.id, lineage: c.lineage, trustAnchor: c.trustAnchor, users: c.users, objects: source.objects };
    return changed(ctx.state, (next) => void (next.backups = [...next.backups, backup]));
  });
}

/**
 * An operator action: needs a running HSM in the cluster; `act` checks the request against the cluster
 * as it is (refusing as needed) and returns the change it makes to it.
 */
function* operator(ctx: CallContext, act: (c: ModelCluster) => Check<(draft: ModelCluster) => void>): Check<Branch[]> {
  const found = yield* cluster(ctx);
  if (upHsms(found).length === 0) return yield* refuse("HsmUnavailableException");
  const change = yield* act(found);
  return goesAhead(ctx, okPattern(), () => withCluster(ctx.state, found.id, change));
}

/** The crypto user the input names (Username), or HsmUserNotFoundException. */
function* user(ctx: CallContext, c: ModelCluster): Check<{ name: string; user: ModelUser }> {
  const name = yield* requiredText(ctx.input, "Username", 1, 32);
  return { name, user: c.users[name] ?? (yield* refuse("HsmUserNotFoundException")) };
}

export function* OperatorLogin(ctx: CallContext): Check<Branch[]> {
  // A failed login still counts (§4): that answer changes the state too.
  const found = yield* cluster(ctx);
  if (upHsms(found).length === 0) return yield* refuse("HsmUnavailableException");
  const { name, user: u } = yield* user(ctx, found);
  const password = yield* requiredText(ctx.input, "Password", 1, 64);
  if (u.failedLogins >= FAILED_LOGINS_MAX) return yield* refuse("HsmUserLockedOutException");
  if (u.session !== null) return yield* refuse("HsmUserLoggedInException");
  const wrong = u.password !== password;
  const next = withCluster(ctx.state, found.id, (draft) => {
    const at = draft.users[name]!;
    if (wrong) at.failedLogins += 1;
    else {
      at.failedLogins = 0;
      at.session = "operator";
    }
  });
  return [branchOf(wrong ? errorPattern("HsmInvalidCredentialsException") : okPattern(), undefined, undefined, () => next)];
}

export const OperatorLogout = (ctx: CallContext): Check<Branch[]> =>
  operator(ctx, function* (c) {
    const { name, user: u } = yield* user(ctx, c);
    if (u.session !== "operator") return yield* refuse("HsmUserNotLoggedInException");
    return (draft) => void (draft.users[name]!.session = null);
  });

export const OperatorChangePassword = (ctx: CallContext): Check<Branch[]> =>
  operator(ctx, function* (c) {
    const { name, user: u } = yield* user(ctx, c);
    const password = yield* requiredText(ctx.input, "NewPassword", 7, 32);
    if (u.session === "kms") return yield* refuse("HsmUserLoggedInException"); // §4: not while the KMS is logged in
    return (draft) => {
      draft.users[name]!.password = password;
      draft.users[name]!.failedLogins = 0;
    };
  });

export const OperatorCreateUser = (ctx: CallContext): Check<Branch[]> =>
  operator(ctx, function* (c) {
    const name = yield* requiredText(ctx.input, "Username", 1, 32);
    const password = yield* requiredText(ctx.input, "Password", 7, 32);
    if (c.users[name] !== undefined) return yield* refuse("HsmUserExistsException");
    return (draft) => void (draft.users[name] = { password, session: null, failedLogins: 0 });
  });

export const OperatorDeleteUser = (ctx: CallContext): Check<Branch[]> =>
  operator(ctx, function* (c) {
    const { name, user: u } = yield* user(ctx, c);
    if (u.session !== null) return yield* refuse("HsmUserLoggedInException");
    return (draft) => void delete draft.users[name];
  });

export const OperatorDeleteKey = (ctx: CallContext): Check<Branch[]> =>
  operator(ctx, function* (c) {
    const label = yield* requiredText(ctx.input, "Label", 1, 2048);
    if (c.users["kmsuser"]?.session !== "operator") return yield* refuse("HsmUserNotLoggedInException"); // §4: only the owner deletes
    if (!c.hsms.some((h) => h.objects.some((o) => labelOf(o) === label))) return yield* refuse("HsmKeyNotFoundException");
    return (draft) => void deleteObjects(draft, label);
  });
