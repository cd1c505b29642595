// The CloudHSM service as the model sees it (spec §4; cloudhsmv2 names from [BM-hsm]): the control
// plane — authorized by IAM as `cloudhsm:<Op>` — and the operator's actions inside a cluster with HSM
// credentials. Clusters restored from a backup share its lineage, users and key objects; a new
// cluster without a backup stays UNINITIALIZED. Error names of operator actions are kmsim's own.
import type { Outcome } from "../protocol/step.ts";
import { needIam, type Branch, type CallContext } from "./context.ts";
import { any, okPattern, type OutputPattern } from "../protocol/pattern.ts";
import { refuse, text } from "./refuse.ts";
import { FAILED_LOGINS_MAX } from "./keystores.ts";
import { clusterOf, copy, deleteObjects, isUp, scheduleReplication, upHsms, type ModelCluster, type ModelState } from "./state.ts";

/** The certificate of a lineage, as the service shows it (a convention shared with the world). */
export function certificateOf(lineage: string): string {
  return `-----BEGIN CERTIFICATE-----\nClusterCertificate:${lineage}\n-----END CERTIFICATE-----`;
}

function cluster(ctx: CallContext, state: ModelState = ctx.state): ModelCluster {
  const id = text(ctx.input, "ClusterId", 1, 64, true)!;
  return clusterOf(state, id) ?? refuse("CloudHsmResourceNotFoundException");
}

function authorized(ctx: CallContext, op: string): void {
  needIam(ctx, `cloudhsm:${op}`, { errorName: "CloudHsmAccessDeniedException" });
}

const learn = (actual: Outcome, field: string, id: string): string => {
  const inner = actual.ok ? actual.output[field] : undefined;
  const value = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? inner[id] : undefined;
  if (typeof value !== "string") throw new Error(`model: ${field}.${id} missing from a matched outcome`);
  return value;
};

export function DescribeClusters(ctx: CallContext): Branch[] {
  authorized(ctx, "DescribeClusters");
  const byId = <T extends { id?: string; hsmId?: string }>(a: T, b: T) => ((a.id ?? a.hsmId ?? "") < (b.id ?? b.hsmId ?? "") ? -1 : 1);
  const clusters: OutputPattern[] = [...ctx.state.clusters].sort(byId).map((c) => ({
    ClusterId: c.id,
    State: c.state,
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
  return [{ outcome: okPattern({ Clusters: clusters }), next: () => ctx.state }];
}

export function CreateCluster(ctx: CallContext): Branch[] {
  authorized(ctx, "CreateCluster");
  const source = ctx.input["SourceBackupId"];
  const mapping = Object.fromEntries(ctx.state.subnets.map((s) => [s.availabilityZone, s.subnetId]));
  if (source === undefined || source === null) {
    return [
      {
        outcome: okPattern({ Cluster: { ClusterId: any("ClusterId"), State: "UNINITIALIZED" } }),
        next: (actual) => {
          const next = copy(ctx.state);
          const id = learn(actual, "Cluster", "ClusterId");
          next.clusters.push({ id, state: "UNINITIALIZED", lineage: id, trustAnchor: "", subnetMapping: mapping, hsms: [], users: {} });
          return next;
        },
      },
    ];
  }
  if (typeof source !== "string") refuse("CloudHsmInvalidRequestException");
  const backup = ctx.state.backups.find((b) => b.id === source) ?? refuse("CloudHsmResourceNotFoundException");
  return [
    {
      outcome: okPattern({ Cluster: { ClusterId: any("ClusterId"), State: "ACTIVE", SourceBackupId: backup.id } }),
      next: (actual) => {
        const next = copy(ctx.state);
        const users = Object.fromEntries(
          Object.entries(backup.users).map(([n, u]) => [n, { password: u.password, session: null, failedLogins: 0 }]),
        );
        next.clusters.push({
          id: learn(actual, "Cluster", "ClusterId"),
          state: "ACTIVE",
          lineage: backup.lineage,
          trustAnchor: backup.trustAnchor,
          subnetMapping: mapping,
          sourceBackupId: backup.id,
          hsms: [],
          users,
          restoredObjects: [...backup.objects],
        });
        return next;
      },
    },
  ];
}

export function DeleteCluster(ctx: CallContext): Branch[] {
  authorized(ctx, "DeleteCluster");
  const c = cluster(ctx);
  if (c.hsms.length > 0) refuse("CloudHsmInvalidRequestException");
  const next = copy(ctx.state);
  next.clusters = next.clusters.filter((x) => x.id !== c.id);
  return [{ outcome: okPattern({ Cluster: { ClusterId: c.id, State: "DELETED" } }), next: () => next }];
}

export function CreateHsm(ctx: CallContext): Branch[] {
  authorized(ctx, "CreateHsm");
  const c = cluster(ctx);
  const zone = text(ctx.input, "AvailabilityZone", 1, 64, true)!;
  if (c.state !== "ACTIVE") refuse("CloudHsmInvalidRequestException");
  const subnet = ctx.state.subnets.find((s) => s.subnetId === c.subnetMapping[zone]);
  if (subnet === undefined || subnet.deleted || subnet.full) refuse("CloudHsmInvalidRequestException");
  if (c.hsms.length >= ctx.world.hsmsPerClusterMax) refuse("CloudHsmResourceLimitExceededException");
  return [
    {
      outcome: okPattern({
        Hsm: { HsmId: any("HsmId"), ClusterId: c.id, AvailabilityZone: zone, SubnetId: subnet.subnetId, State: "ACTIVE" },
      }),
      next: (actual) => {
        const next = copy(ctx.state);
        const at = clusterOf(next, c.id)!;
        // A restored cluster's first HSM starts with the backup's key objects (§4); any HSM catches up by replication.
        at.hsms.push({
          hsmId: learn(actual, "Hsm", "HsmId"),
          availabilityZone: zone,
          subnetId: subnet.subnetId,
          crashed: false,
          zoneDown: false,
          cutTo: false,
          cutFrom: false,
          objects: at.restoredObjects ?? [],
        });
        delete at.restoredObjects;
        scheduleReplication(ctx.world, at, ctx.nowUs);
        return next;
      },
    },
  ];
}

export function DeleteHsm(ctx: CallContext): Branch[] {
  authorized(ctx, "DeleteHsm");
  const c = cluster(ctx);
  const hsmId = text(ctx.input, "HsmId", 1, 64, true)!;
  if (!c.hsms.some((h) => h.hsmId === hsmId)) refuse("CloudHsmResourceNotFoundException");
  const next = copy(ctx.state);
  const at = clusterOf(next, c.id)!;
  at.hsms = at.hsms.filter((h) => h.hsmId !== hsmId);
  return [{ outcome: okPattern({ HsmId: hsmId }), next: () => next }];
}

export function CreateBackup(ctx: CallContext): Branch[] {
  authorized(ctx, "CreateBackup");
  const c = cluster(ctx);
  const source = upHsms(c)[0];
  if (c.state !== "ACTIVE" || source === undefined) refuse("CloudHsmInvalidRequestException");
  return [
    {
      outcome: okPattern({ Backup: { BackupId: any("BackupId"), ClusterId: c.id, BackupState: "READY" } }),
      next: (actual) => {
        const next = copy(ctx.state);
        next.backups.push({
          id: learn(actual, "Backup", "BackupId"),
          clusterId: c.id,
          lineage: c.lineage,
          trustAnchor: c.trustAnchor,
          users: structuredClone(c.users),
          objects: [...source.objects],
        });
        return next;
      },
    },
  ];
}

/** An operator action: needs a running HSM in the cluster; `act` changes the copy or refuses. */
function operator(ctx: CallContext, act: (c: ModelCluster) => void): Branch[] {
  const found = cluster(ctx);
  if (upHsms(found).length === 0) refuse("HsmUnavailableException");
  const next = copy(ctx.state);
  act(clusterOf(next, found.id)!);
  return [{ outcome: okPattern(), next: () => next }];
}

function user(ctx: CallContext, c: ModelCluster) {
  const name = text(ctx.input, "Username", 1, 32, true)!;
  return { name, user: c.users[name] ?? refuse("HsmUserNotFoundException") };
}

export const OperatorLogin = (ctx: CallContext): Branch[] => {
  // A failed login still counts (§4), so the refusal must carry the changed state: handled by hand.
  const found = cluster(ctx);
  if (upHsms(found).length === 0) refuse("HsmUnavailableException");
  const { name, user: u } = user(ctx, found);
  const password = text(ctx.input, "Password", 1, 64, true)!;
  if (u.failedLogins >= FAILED_LOGINS_MAX) refuse("HsmUserLockedOutException");
  if (u.session !== null) refuse("HsmUserLoggedInException");
  const next = copy(ctx.state);
  const at = clusterOf(next, found.id)!.users[name]!;
  if (u.password !== password) {
    at.failedLogins += 1;
    return [{ outcome: { ok: false, error: { name: "HsmInvalidCredentialsException" } }, next: () => next }];
  }
  at.failedLogins = 0;
  at.session = "operator";
  return [{ outcome: okPattern(), next: () => next }];
};

export const OperatorLogout = (ctx: CallContext): Branch[] =>
  operator(ctx, (c) => {
    const { user: u } = user(ctx, c);
    if (u.session !== "operator") refuse("HsmUserNotLoggedInException");
    u.session = null;
  });

export const OperatorChangePassword = (ctx: CallContext): Branch[] =>
  operator(ctx, (c) => {
    const { user: u } = user(ctx, c);
    const password = text(ctx.input, "NewPassword", 7, 32, true)!;
    if (u.session === "kms") refuse("HsmUserLoggedInException"); // §4: not while the KMS is logged in
    u.password = password;
    u.failedLogins = 0;
  });

export const OperatorCreateUser = (ctx: CallContext): Branch[] =>
  operator(ctx, (c) => {
    const name = text(ctx.input, "Username", 1, 32, true)!;
    const password = text(ctx.input, "Password", 7, 32, true)!;
    if (c.users[name] !== undefined) refuse("HsmUserExistsException");
    c.users[name] = { password, session: null, failedLogins: 0 };
  });

export const OperatorDeleteUser = (ctx: CallContext): Branch[] =>
  operator(ctx, (c) => {
    const { name, user: u } = user(ctx, c);
    if (u.session !== null) refuse("HsmUserLoggedInException");
    delete c.users[name];
  });

export const OperatorDeleteKey = (ctx: CallContext): Branch[] =>
  operator(ctx, (c) => {
    const label = text(ctx.input, "Label", 1, 2048, true)!;
    if (c.users["kmsuser"]?.session !== "operator") refuse("HsmUserNotLoggedInException"); // §4: only the owner deletes
    if (!deleteObjects(c, label)) refuse("HsmKeyNotFoundException");
  });
