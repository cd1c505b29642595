// The virtual CloudHSM cluster: HSMs in availability zones, the kmsuser crypto user (password,
// session, failed-login counter, lockout after five failures), and kmsuser-owned AES-256 key
// objects labelled with the KMS key ARN, sealed and opened with AES-GCM (@noble/ciphers).
// Key objects are copied to every running HSM when made, and a restored HSM catches up from its
// peers, so any running HSM can answer for any key. Faults are applied from outside (crash/restore);
// nothing here branches on "buggy".
import { gcm } from "@noble/ciphers/aes.js";
import type { Prng } from "../kernel/prng.ts";
import type { HsmOp, HsmRequest, HsmResponse } from "./messages.ts";

export interface HsmSpec {
  hsmId: string;
  availabilityZone: string;
  subnetId: string;
}

export interface ClusterSpec {
  clusterId: string;
  trustAnchor: string;
  kmsuserPassword: string;
  hsms: HsmSpec[];
}

export interface ClusterOptions {
  /** Time each HSM operation takes to serve, in microseconds. */
  serviceUs: Record<HsmOp, number>;
  /** Failed logins after which CloudHSM locks a crypto user (spec §4: five). */
  failedLoginsMax: number;
}

export type HsmState = "ACTIVE" | "DEGRADED";

export class VirtualHsm {
  /** Key objects by label (the KMS key ARN). */
  readonly keys = new Map<string, Uint8Array>();
  crashed = false;

  constructor(readonly spec: HsmSpec) {}

  get id(): string {
    return this.spec.hsmId;
  }

  /** The control plane's view: a crashed HSM is not ACTIVE. */
  get state(): HsmState {
    return this.crashed ? "DEGRADED" : "ACTIVE";
  }
}

export interface KmsUser {
  password: string;
  loggedIn: boolean;
  failedLogins: number;
}

export class VirtualCluster {
  readonly hsms: VirtualHsm[];
  readonly state = "ACTIVE";
  kmsuser: KmsUser | undefined;

  constructor(
    readonly spec: ClusterSpec,
    readonly options: ClusterOptions,
    private readonly materialPrng: Prng,
  ) {
    this.hsms = spec.hsms.map((h) => new VirtualHsm(h));
    this.kmsuser = { password: spec.kmsuserPassword, loggedIn: false, failedLogins: 0 };
  }

  get id(): string {
    return this.spec.clusterId;
  }

  hsm(hsmId: string): VirtualHsm | undefined {
    return this.hsms.find((h) => h.id === hsmId);
  }

  activeHsms(): VirtualHsm[] {
    return this.hsms.filter((h) => h.state === "ACTIVE");
  }

  crash(hsmId: string): void {
    this.mustHsm(hsmId).crashed = true;
  }

  /** Restarts an HSM; it copies every key object its running peers hold. */
  restore(hsmId: string): void {
    const hsm = this.mustHsm(hsmId);
    hsm.crashed = false;
    for (const peer of this.activeHsms()) {
      for (const [label, material] of peer.keys) if (!hsm.keys.has(label)) hsm.keys.set(label, material);
    }
  }

  serviceUs(request: HsmRequest): number {
    return this.options.serviceUs[request.op];
  }

  /** Serves one request at `hsmId`. A crashed HSM answers nothing (`undefined`). */
  serve(hsmId: string, request: HsmRequest): HsmResponse | undefined {
    const hsm = this.mustHsm(hsmId);
    if (hsm.crashed) return undefined;
    const user = this.kmsuser;
    switch (request.op) {
      case "LoginAndRotate": {
        if (user === undefined) return { ok: false, code: "USER_NOT_FOUND" };
        if (user.failedLogins >= this.options.failedLoginsMax) return { ok: false, code: "USER_LOCKED_OUT" };
        if (user.loggedIn) return { ok: false, code: "USER_LOGGED_IN" };
        if (user.password !== request.password) {
          user.failedLogins += 1;
          return { ok: false, code: "INVALID_CREDENTIALS" };
        }
        user.failedLogins = 0;
        user.loggedIn = true;
        user.password = request.newPassword;
        return { ok: true };
      }
      case "Logout":
        if (user !== undefined) user.loggedIn = false;
        return { ok: true };
      case "GenerateKey": {
        if (user === undefined || !user.loggedIn) return { ok: false, code: "NOT_LOGGED_IN" };
        const material = this.materialPrng.bytes(32);
        for (const peer of this.activeHsms()) peer.keys.set(request.label, material);
        return { ok: true };
      }
      case "Encrypt": {
        if (user === undefined || !user.loggedIn) return { ok: false, code: "NOT_LOGGED_IN" };
        const material = hsm.keys.get(request.label);
        if (material === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        return { ok: true, bytes: gcm(material, request.iv, request.aad).encrypt(request.plaintext) };
      }
      case "Decrypt": {
        if (user === undefined || !user.loggedIn) return { ok: false, code: "NOT_LOGGED_IN" };
        const material = hsm.keys.get(request.label);
        if (material === undefined) return { ok: false, code: "KEY_NOT_FOUND" };
        try {
          return { ok: true, bytes: gcm(material, request.iv, request.aad).decrypt(request.ciphertext) };
        } catch {
          return { ok: false, code: "DECRYPT_FAILED" };
        }
      }
    }
  }

  private mustHsm(hsmId: string): VirtualHsm {
    const hsm = this.hsm(hsmId);
    if (hsm === undefined) throw new Error(`cluster ${this.id}: no HSM ${hsmId}`);
    return hsm;
  }
}
