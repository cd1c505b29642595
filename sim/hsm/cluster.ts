// One virtual CloudHSM cluster: its state and lineage (the cluster certificate that every cluster
// restored from its backups shares), its subnet mapping, its HSMs, its crypto users (password,
// session — held by the KMS or by an operator — failed logins, lockout after five), and key objects
// owned by kmsuser, labelled with the KMS key ARN, kept per HSM under a handle unique in the world.
//
// Replication is asynchronous (spec §4, "keys are synchronized"): a key object is made on the one HSM
// that serves GenerateKey, and a replication pass a fixed delay later (or sooner, if one is already
// scheduled) gives every running HSM what any running HSM holds. An HSM that comes back, or is newly added, catches up the same way. Until then a
// request can reach an HSM that lacks the key; it answers KEY_NOT_FOUND and the KMS tries the next.
// Objects are told apart by handle, not label: a GenerateKey served twice (its first reply lost)
// leaves two objects with one label, and the KMS uses the one whose handle it was told. Deleting by
// label deletes every such object on every HSM at once. AES-256-GCM through the world's crypto backend.
import type { CryptoBackend } from "../crypto/backend.ts";
import type { Prng } from "../kernel/prng.ts";
import type { Scheduler } from "../kernel/scheduler.ts";
import type { HsmOp, HsmRequest, HsmResponse } from "./messages.ts";

export interface HsmSpec {
  hsmId: string;
  availabilityZone: string;
  subnetId: string;
}

export interface ClusterOptions {
  /** Time each HSM operation takes to serve, in microseconds. */
  serviceUs: Record<HsmOp, number>;
  /** Failed logins after which CloudHSM locks a crypto user (spec §4: five). */
  failedLoginsMax: number;
  /** How long after a key object is made, or an HSM comes up, a replication pass runs, in microseconds. */
  replicationDelayUs: number;
  /** The AES-256-GCM the HSMs seal and open with (sim/crypto/). */
  crypto: CryptoBackend;
}

/** One key object: its label (the KMS key ARN) and its AES-256 material. */
export interface KeyObject {
  label: string;
  material: Uint8Array;
}

/** The cloudhsmv2 ClusterState values this simulation reaches. */
export type ClusterState = "ACTIVE" | "UNINITIALIZED" | "DELETE_IN_PROGRESS";

export class VirtualHsm {
  /** Key objects by handle. */
  readonly objects = new Map<string, KeyObject>();
  /** Key objects this HSM has generated: the number in the next handle. */
  private generated = 0;
  crashed = false;
  /** Its availability zone is out. */
  zoneDown = false;
  /** Its replies leave this many times its service time after a request arrives (`slow-hsm`). */
  slowFactor = 1;

  constructor(readonly spec: HsmSpec) {}

  get id(): string {
    return this.spec.hsmId;
  }

  /** A new handle, unique in the world: HSM ids are. */
  newHandle(): string {
    this.generated += 1;
    return `${this.id}/${this.generated}`;
  }

  /** The labels of the key objects it holds, each once, sorted. */
  labels(): string[] {
    return [...new Set([...this.objects.values()].map((o) => o.label))].sort();
  }

  get up(): boolean {
    return !this.crashed && !this.zoneDown;
  }

  /** The control plane's view: an HSM that is down is DEGRADED, not ACTIVE. */
  get state(): "ACTIVE" | "DEGRADED" {
    return this.up ? "ACTIVE" : "DEGRADED";
  }
}

export interface CryptoUser {
  password: string;
  /** Who holds the user's login session, if anyone. */
  session: "kms" | "operator" | undefined;
  failedLogins: number;
}

export class VirtualCluster {
  readonly hsms: VirtualHsm[] = [];
  readonly users = new Map<string, CryptoUser>();
  /** A replication pass is scheduled and has not run yet. */
  replicationPending = false;

  constructor(
    readonly id: string,
    public state: ClusterState,
    /** The type of its HSMs (CreateCluster's HsmType). */
    readonly hsmType: string,
    /** The lineage: clusters restored from this one's backups share it (spec §3.4, §4). */
    readonly certificate: string,
    readonly trustAnchor: string,
    /** Availability zone → subnet id. */
    readonly subnetMapping: Record<string, string>,
    readonly sourceBackupId: string | undefined,
    readonly options: ClusterOptions,
    private readonly materialPrng: Prng,
    private readonly scheduler: Scheduler,
  ) {}

  hsm(hsmId: string): VirtualHsm | undefined {
    for (const h of this.hsms) if (h.id === hsmId) return h; // a loop: asked twice for every request an HSM serves
    return undefined;
  }

  /**
   * ACTIVE HSMs in HsmId order: the order the KMS tries them in. Asked on every crypto call of a few
   * HSMs, so picked and sorted by insertion in one loop, without a callback per element.
   */
  activeHsms(): VirtualHsm[] {
    const active: VirtualHsm[] = [];
    for (const hsm of this.hsms) {
      if (!hsm.up) continue;
      let i = active.length;
      for (; i > 0 && active[i - 1]!.id > hsm.id; i--) active[i] = active[i - 1]!;
      active[i] = hsm;
    }
    return active;
  }

  get kmsuser(): CryptoUser | undefined {
    return this.users.get("kmsuser");
  }

  /** Adds an HSM holding `seed` (a backup's key objects); it catches up with its peers by replication. */
  addHsm(spec: HsmSpec, seed?: ReadonlyMap<string, KeyObject>): VirtualHsm {
    const hsm = new VirtualHsm(spec);
    for (const [handle, object] of seed ?? []) hsm.objects.set(handle, object);
    this.hsms.push(hsm);
    this.scheduleReplication();
    return hsm;
  }

  removeHsm(hsmId: string): void {
    const i = this.hsms.findIndex((h) => h.id === hsmId);
    if (i < 0) throw new Error(`cluster ${this.id}: no HSM ${hsmId}`);
    this.hsms.splice(i, 1);
  }

  /**
   * A replication pass `options.replicationDelayUs` from now — unless one is already scheduled: that
   * one, sooner, takes what there is to replicate by the time it runs.
   */
  scheduleReplication(): void {
    if (this.replicationPending) return;
    this.replicationPending = true;
    this.scheduler.after(this.options.replicationDelayUs, `replicate ${this.id}`, () => {
      this.replicationPending = false;
      this.synchronize();
    });
  }

  /** Key synchronization (spec §4): every running HSM ends up holding what any running HSM holds. */
  synchronize(): void {
    const running = this.activeHsms();
    for (const from of running) {
      for (const [handle, object] of from.objects) for (const to of running) if (!to.objects.has(handle)) to.objects.set(handle, object);
    }
  }

  /** Deletes every key object labelled `label`, on every HSM; false if there was none. */
  deleteKeyObjects(label: string): boolean {
    let found = false;
    for (const hsm of this.hsms) {
      for (const [handle, object] of hsm.objects) {
        if (object.label !== label) continue;
        hsm.objects.delete(handle);
        found = true;
      }
    }
    return found;
  }

  serviceUs(request: HsmRequest): number {
    return this.options.serviceUs[request.op];
  }

  /**
   * How long a slow HSM holds its reply after serving `request` [MODEL CHOICE: it does the work at
   * its usual pace and is slow to answer, so its effects keep their order and a slow reply is a late one].
   */
  replyHoldUs(hsmId: string, request: HsmRequest): number {
    return ((this.hsm(hsmId)?.slowFactor ?? 1) - 1) * this.serviceUs(request);
  }

  /** Serves one request from the KMS at `hsmId`. An HSM that is down answers nothing (`undefined`). */
  serve(hsmId: string, request: HsmRequest): HsmResponse | undefined {
    const hsm = this.hsm(hsmId);
    if (hsm === undefined || !hsm.up) return undefined;
    const user = this.kmsuser;
    switch (request.op) {
      case "LoginAndRotate": {
        if (user === undefined) return { ok: false, code: "USER_NOT_FOUND" };
        if (user.failedLogins >= this.options.failedLoginsMax) return { ok: false, code: "USER_LOCKED_OUT" };
        if (user.session !== undefined) return { ok: false, code: "USER_LOGGED_IN" };
        if (user.password !== request.password) {
          user.failedLogins += 1;
          return { ok: false, code: "INVALID_CREDENTIALS" };
        }
        user.failedLogins = 0;
        user.session = "kms";
        user.password = request.newPassword;
        return { ok: true };
      }
      case "Logout":
        if (user?.session === "kms") user.session = undefined;
        return { ok: true };
      case "GenerateKey": {
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        const handle = hsm.newHandle();
        hsm.objects.set(handle, { label: request.label, material: this.materialPrng.bytes(32) });
        this.scheduleReplication();
        return { ok: true, handle };
      }
      case "Encrypt": {
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        const object = hsm.objects.get(request.handle);
        if (object === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        return { ok: true, bytes: this.options.crypto.seal(object.material, request.iv, request.aad, request.plaintext) };
      }
      case "GenerateRandom":
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        return { ok: true, bytes: this.materialPrng.bytes(request.numberOfBytes) };
      case "DeleteKey":
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        this.deleteKeyObjects(request.label); // gone already is fine
        return { ok: true };
      case "Decrypt": {
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        const object = hsm.objects.get(request.handle);
        if (object === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        const bytes = this.options.crypto.open(object.material, request.iv, request.aad, request.ciphertext);
        // The AEAD tag did not verify: an answer, not a crash.
        return bytes === undefined ? { ok: false, code: "DECRYPT_FAILED" } : { ok: true, bytes };
      }
    }
  }
}
