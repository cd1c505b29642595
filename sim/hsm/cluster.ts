// One virtual CloudHSM cluster: its state and lineage (the cluster certificate that every cluster
// restored from its backups shares), its subnet mapping, its HSMs, its crypto users (password,
// session — held by the KMS or by an operator — failed logins, lockout after five), and key objects
// owned by kmsuser, labelled with the KMS key ARN, kept per HSM. A key object made on one HSM is
// copied to every running HSM; when an HSM comes up, every running HSM ends up with what any of them
// holds; deleting a key object deletes it everywhere. AES-256-GCM with @noble/ciphers.
import { gcm } from "@noble/ciphers/aes.js";
import type { Prng } from "../kernel/prng.ts";
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
}

/** The cloudhsmv2 ClusterState values this simulation reaches. */
export type ClusterState = "ACTIVE" | "UNINITIALIZED";

export class VirtualHsm {
  /** Key objects by label (the KMS key ARN). */
  readonly keys = new Map<string, Uint8Array>();
  crashed = false;
  /** Its availability zone is out. */
  zoneDown = false;

  constructor(readonly spec: HsmSpec) {}

  get id(): string {
    return this.spec.hsmId;
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

  constructor(
    readonly id: string,
    public state: ClusterState,
    /** The lineage: clusters restored from this one's backups share it (spec §3.4, §4). */
    readonly certificate: string,
    readonly trustAnchor: string,
    /** Availability zone → subnet id. */
    readonly subnetMapping: Record<string, string>,
    readonly sourceBackupId: string | undefined,
    readonly options: ClusterOptions,
    private readonly materialPrng: Prng,
  ) {}

  hsm(hsmId: string): VirtualHsm | undefined {
    return this.hsms.find((h) => h.id === hsmId);
  }

  /** ACTIVE HSMs in HsmId order: the order the KMS tries them in. */
  activeHsms(): VirtualHsm[] {
    return this.hsms.filter((h) => h.up).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get kmsuser(): CryptoUser | undefined {
    return this.users.get("kmsuser");
  }

  /** Adds an HSM, holding `seed` (a backup's key objects) and then, synchronized, what its running peers hold. */
  addHsm(spec: HsmSpec, seed?: ReadonlyMap<string, Uint8Array>): VirtualHsm {
    const hsm = new VirtualHsm(spec);
    for (const [label, material] of seed ?? []) hsm.keys.set(label, material);
    this.hsms.push(hsm);
    this.synchronize();
    return hsm;
  }

  removeHsm(hsmId: string): void {
    const i = this.hsms.findIndex((h) => h.id === hsmId);
    if (i < 0) throw new Error(`cluster ${this.id}: no HSM ${hsmId}`);
    this.hsms.splice(i, 1);
  }

  /** Key synchronization (spec §4): every running HSM ends up holding what any running HSM holds. */
  synchronize(): void {
    const running = this.activeHsms();
    for (const from of running) {
      for (const [label, material] of from.keys) for (const to of running) if (!to.keys.has(label)) to.keys.set(label, material);
    }
  }

  deleteKeyObjects(label: string): boolean {
    let found = false;
    for (const hsm of this.hsms) found = hsm.keys.delete(label) || found;
    return found;
  }

  serviceUs(request: HsmRequest): number {
    return this.options.serviceUs[request.op];
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
        const material = this.materialPrng.bytes(32);
        for (const peer of this.activeHsms()) peer.keys.set(request.label, material);
        return { ok: true };
      }
      case "Encrypt": {
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        const material = hsm.keys.get(request.label);
        if (material === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        return { ok: true, bytes: gcm(material, request.iv, request.aad).encrypt(request.plaintext) };
      }
      case "DeleteKey":
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        this.deleteKeyObjects(request.label); // deletion is synchronized like creation; gone already is fine
        return { ok: true };
      case "Decrypt": {
        if (user?.session !== "kms") return { ok: false, code: "NOT_LOGGED_IN" };
        const material = hsm.keys.get(request.label);
        if (material === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        try {
          return { ok: true, bytes: gcm(material, request.iv, request.aad).decrypt(request.ciphertext) };
        } catch {
          return { ok: false, code: "DECRYPT_FAILED" }; // the AEAD tag did not verify: an answer, not a crash
        }
      }
    }
  }
}
