// The virtual CloudHSM service: the control plane (cloudhsmv2 operations, authorized by IAM as
// `cloudhsm:<Op>`), backups, the subnets clusters live in (standing for EC2), and the operator's
// actions inside a cluster (`hsm:<Action>`, done with HSM credentials through the cluster's own
// client, not over the KMS's links). It answers synchronously: none of this is on a timed path. Its
// operations by step name, and the call that runs one, are operations.ts.
import type { Prng } from "../kernel/prng.ts";
import { authorizeIamAction } from "../iam/authorize.ts";
import { callerContext } from "../iam/request-context.ts";
import type { IamDirectory } from "../iam/iam.ts";
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { optionalInteger, optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { FrontDoor } from "../service-failure.ts";
import { CLOUDHSMV2_MODEL } from "../../protocol/aws/service-model.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import { readClusterRequest, WORLD_HSM_TYPE } from "./cluster-request.ts";
import { VirtualCluster, type ClusterOptions, type CryptoUser, type HsmSpec, type KeyObject, type VirtualHsm } from "./cluster.ts";

export interface Subnet {
  subnetId: string;
  availabilityZone: string;
  /** Deleted: no new network interface can be made in it. */
  deleted: boolean;
  /** No free address left for a new network interface. */
  full: boolean;
}

interface Backup {
  BackupId: string;
  ClusterId: string;
  certificate: string;
  trustAnchor: string;
  users: Map<string, CryptoUser>;
  /** Key objects by handle, as the HSM it was taken from held them. */
  objects: Map<string, KeyObject>;
}

export interface ServiceOptions extends ClusterOptions {
  /** Most HSMs in one cluster. */
  hsmsPerClusterMax: number;
  /** Milliseconds since 1970 at virtual time zero (for aws:CurrentTime). */
  epochMs: number;
  /** How long a deleted cluster is DELETE_IN_PROGRESS before it is gone, in microseconds; 0: at once. */
  clusterDeletionUs: number;
}

/**
 * The certificate a new cluster lineage starts with (a convention the model shares), within the
 * CloudHSMv2 service model's Cert pattern `[a-zA-Z0-9+-/=\s]*`.
 */
export function lineageCertificate(clusterId: string): string {
  return `-----BEGIN CERTIFICATE-----\nClusterCertificateOf${clusterId}\n-----END CERTIFICATE-----`;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export class CloudHsmService {
  /** Where a `service-failure` fault arms one of the cloudhsmv2 API's own errors (sim/service-failure.ts). */
  readonly frontDoor = new FrontDoor(CLOUDHSMV2_MODEL);
  readonly clusters = new Map<string, VirtualCluster>();
  readonly backups = new Map<string, Backup>();
  readonly subnets = new Map<string, Subnet>();
  /** Key objects restored from a backup, waiting for the restored cluster's first HSM. */
  private readonly restoredKeys = new Map<string, Map<string, KeyObject>>();
  private readonly idPrng: Prng;

  constructor(
    private readonly iam: IamDirectory,
    private readonly prng: Prng,
    private readonly scheduler: Scheduler,
    readonly options: ServiceOptions,
  ) {
    this.idPrng = prng.child("ids");
  }

  private newId(prefix: string): string {
    let s = `${prefix}-`;
    for (let i = 0; i < 11; i++) s += BASE32[this.idPrng.intBelow(32)];
    return s;
  }

  /** The world's initial cluster: ACTIVE, initialized, kmsuser created, HSMs running. */
  addInitialCluster(clusterId: string, trustAnchor: string, kmsuserPassword: string, hsms: HsmSpec[]): VirtualCluster {
    const mapping = Object.fromEntries(hsms.map((h) => [h.availabilityZone, h.subnetId]));
    const cluster = this.makeCluster(clusterId, "ACTIVE", WORLD_HSM_TYPE, lineageCertificate(clusterId), trustAnchor, mapping, undefined);
    cluster.users.set("kmsuser", { password: kmsuserPassword, session: undefined, failedLogins: 0 });
    for (const h of hsms) cluster.addHsm(h);
    return cluster;
  }

  /** A cluster of the world created but never initialized: UNINITIALIZED, no HSM, every subnet mapped by zone (as a CreateCluster naming them all). */
  addUninitializedCluster(clusterId: string): VirtualCluster {
    const mapping = Object.fromEntries([...this.subnets.values()].map((s) => [s.availabilityZone, s.subnetId]));
    return this.makeCluster(clusterId, "UNINITIALIZED", WORLD_HSM_TYPE, lineageCertificate(clusterId), "", mapping, undefined);
  }

  private makeCluster(
    id: string,
    state: VirtualCluster["state"],
    hsmType: string,
    certificate: string,
    trustAnchor: string,
    mapping: Record<string, string>,
    source: string | undefined,
  ): VirtualCluster {
    const cluster = new VirtualCluster(
      id,
      state,
      hsmType,
      certificate,
      trustAnchor,
      mapping,
      source,
      this.options,
      this.prng.child(`material:${id}`),
      this.scheduler,
    );
    this.clusters.set(id, cluster);
    return cluster;
  }

  authorize(caller: string, action: string): Rejection | undefined {
    const context = callerContext(this.iam, caller, this.options.epochMs + Math.floor(this.scheduler.clock.nowUs / 1000));
    const decision = authorizeIamAction(this.iam, caller, action, context);
    return decision.allowed ? undefined : new Rejection("CloudHsmAccessDeniedException", decision.message);
  }

  mustCluster(input: JsonObject): VirtualCluster | Rejection {
    const id = requiredString(input, "ClusterId", 1, 64);
    if (id instanceof Rejection) return id;
    return this.clusters.get(id) ?? new Rejection("CloudHsmResourceNotFoundException", `Cluster ${id} not found.`);
  }

  describeHsm(cluster: VirtualCluster, h: VirtualHsm): JsonObject {
    return { HsmId: h.id, ClusterId: cluster.id, AvailabilityZone: h.spec.availabilityZone, SubnetId: h.spec.subnetId, State: h.state };
  }

  // ---- control plane ----------------------------------------------------------------------------

  /**
   * Every cluster in ClusterId order, a page of MaxResults (all when absent) from NextToken: the decimal
   * index of the next cluster, issued when more remain; a token not of that form, or past the end, is the
   * caller's error.
   */
  describeClusters(input: JsonObject): Outcome {
    const pageSize = optionalInteger(input, "MaxResults", 1, 25);
    if (pageSize instanceof Rejection) return pageSize;
    const token = optionalString(input, "NextToken", 0, 256);
    if (token instanceof Rejection) return token;
    const size = pageSize ?? Number.MAX_SAFE_INTEGER;
    const start = token === undefined ? 0 : /^\d+$/.test(token) && Number(token) <= this.clusters.size ? Number(token) : undefined;
    if (start === undefined) return new Rejection("CloudHsmInvalidRequestException", `The NextToken ${token} is not valid.`);
    const clusters = [...this.clusters.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((c) => ({
        ClusterId: c.id,
        State: c.state,
        HsmType: c.hsmType,
        Hsms: [...c.hsms].sort((a, b) => (a.id < b.id ? -1 : 1)).map((h) => this.describeHsm(c, h)),
        SubnetMapping: c.subnetMapping,
        Certificates: { ClusterCertificate: c.certificate },
        ...(c.sourceBackupId !== undefined ? { SourceBackupId: c.sourceBackupId } : {}),
      }));
    const more = start + size < clusters.length;
    return ok({ Clusters: clusters.slice(start, start + size), ...(more ? { NextToken: String(start + size) } : {}) });
  }

  /**
   * A new cluster of the requested HsmType in the requested subnets (cluster-request.ts): UNINITIALIZED, or
   * restored from SourceBackupId — ACTIVE, of the backup's lineage, its users and key objects. A restored
   * cluster is of the requested type: the API requires HsmType in a restore too, and backups here keep no
   * type of their own [MODEL CHOICE].
   */
  createCluster(input: JsonObject): Outcome {
    const request = readClusterRequest(input, this.subnets);
    if (request instanceof Rejection) return request;
    const { hsmType, subnetMapping } = request;
    const backupId = input["SourceBackupId"];
    if (backupId === undefined || backupId === null) {
      const id = this.newId("cluster");
      const cluster = this.makeCluster(id, "UNINITIALIZED", hsmType, lineageCertificate(id), "", subnetMapping, undefined);
      return ok({ Cluster: { ClusterId: cluster.id, State: cluster.state, HsmType: hsmType, SubnetMapping: subnetMapping } });
    }
    if (typeof backupId !== "string") return new Rejection("CloudHsmInvalidRequestException", "SourceBackupId must be a string.");
    const backup = this.backups.get(backupId);
    if (backup === undefined) return new Rejection("CloudHsmResourceNotFoundException", `Backup ${backupId} not found.`);
    const id = this.newId("cluster");
    const cluster = this.makeCluster(id, "ACTIVE", hsmType, backup.certificate, backup.trustAnchor, subnetMapping, backup.BackupId);
    for (const [name, u] of backup.users) cluster.users.set(name, { password: u.password, session: undefined, failedLogins: 0 });
    this.restoredKeys.set(cluster.id, new Map(backup.objects));
    return ok({
      Cluster: {
        ClusterId: cluster.id,
        State: cluster.state,
        HsmType: hsmType,
        SubnetMapping: subnetMapping,
        SourceBackupId: backup.BackupId,
      },
    });
  }

  deleteCluster(cluster: VirtualCluster): Outcome {
    if (cluster.hsms.length > 0) return new Rejection("CloudHsmInvalidRequestException", `Cluster ${cluster.id} still has HSMs.`);
    if (cluster.state === "DELETE_IN_PROGRESS")
      return new Rejection("CloudHsmInvalidRequestException", `Cluster ${cluster.id} is being deleted.`); // [MODEL CHOICE]
    const gone = () => {
      this.clusters.delete(cluster.id);
      this.restoredKeys.delete(cluster.id);
    };
    if (this.options.clusterDeletionUs === 0) {
      gone();
      return ok({ Cluster: { ClusterId: cluster.id, State: "DELETED" } });
    }
    // Spec §4 ClusterState: DELETE_IN_PROGRESS for a while, then gone.
    cluster.state = "DELETE_IN_PROGRESS";
    this.scheduler.after(this.options.clusterDeletionUs, `cluster ${cluster.id} deleted`, gone);
    return ok({ Cluster: { ClusterId: cluster.id, State: "DELETE_IN_PROGRESS" } });
  }

  createHsm(cluster: VirtualCluster, input: JsonObject): Outcome {
    const zone = requiredString(input, "AvailabilityZone", 1, 64);
    if (zone instanceof Rejection) return zone;
    if (cluster.state !== "ACTIVE") return new Rejection("CloudHsmInvalidRequestException", `Cluster ${cluster.id} is not ACTIVE.`);
    const subnet = this.subnets.get(cluster.subnetMapping[zone] ?? "");
    if (subnet === undefined) return new Rejection("CloudHsmInvalidRequestException", `Cluster ${cluster.id} has no subnet in ${zone}.`);
    if (subnet.deleted || subnet.full)
      return new Rejection("CloudHsmInvalidRequestException", `Subnet ${subnet.subnetId} cannot take a new HSM.`);
    // Past the per-cluster limit: CloudHsmInvalidRequestException, the client error CreateHsm declares
    // (CloudHsmResourceLimitExceededException is TagResource's only) [MODEL CHOICE].
    if (cluster.hsms.length >= this.options.hsmsPerClusterMax)
      return new Rejection(
        "CloudHsmInvalidRequestException",
        `Cluster ${cluster.id} already has the most HSMs it can have (${cluster.hsms.length}).`,
      );
    const hsm = cluster.addHsm(
      { hsmId: this.newId("hsm"), availabilityZone: zone, subnetId: subnet.subnetId },
      this.restoredKeys.get(cluster.id),
    );
    this.restoredKeys.delete(cluster.id);
    return ok({ Hsm: this.describeHsm(cluster, hsm) });
  }

  /**
   * A backup, as the service takes them (daily and on the operator's demand; CloudHSMv2 has no
   * CreateBackup operation): kmsim's operator action `hsm:CreateBackup` stands for it.
   */
  createBackup(cluster: VirtualCluster): Outcome {
    const source = cluster.activeHsms()[0];
    if (cluster.state !== "ACTIVE" || source === undefined)
      return new Rejection("HsmUnavailableException", `Cluster ${cluster.id} has no ACTIVE HSM to back up.`);
    const backup: Backup = {
      BackupId: this.newId("backup"),
      ClusterId: cluster.id,
      certificate: cluster.certificate,
      trustAnchor: cluster.trustAnchor,
      users: new Map([...cluster.users].map(([n, u]) => [n, { ...u }])),
      objects: new Map(source.objects),
    };
    this.backups.set(backup.BackupId, backup);
    return ok({ Backup: { BackupId: backup.BackupId, ClusterId: cluster.id, BackupState: "READY" } });
  }

  // ---- the operator inside a cluster ------------------------------------------------------------

  /** The operator reaches the cluster through any running HSM. */
  operatorCluster(input: JsonObject): VirtualCluster | Rejection {
    const cluster = this.mustCluster(input);
    if (cluster instanceof Rejection) return cluster;
    if (cluster.activeHsms().length === 0) return new Rejection("HsmUnavailableException", `No HSM of ${cluster.id} is running.`);
    return cluster;
  }

  user(cluster: VirtualCluster, input: JsonObject): { name: string; user: CryptoUser } | Rejection {
    const name = requiredString(input, "Username", 1, 32);
    if (name instanceof Rejection) return name;
    const user = cluster.users.get(name);
    if (user === undefined) return new Rejection("HsmUserNotFoundException", `User ${name} not found.`);
    return { name, user };
  }
}
