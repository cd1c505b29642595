// The simulated world of one run: the virtual clock and scheduler, the network, the virtual CloudHSM
// service with its clusters, and the virtual KMS, all seeded from one root PRNG split into named
// streams, sealing with the AES-256-GCM backend its config names (sim/crypto/). It applies resolved
// steps — a call (run to completion on the virtual clock, its duration recorded), a fault, a pause.
// Its insides are read by the harness's observer, never changed by it.
import { VirtualClock } from "./kernel/clock.ts";
import { Network } from "./kernel/network.ts";
import { Prng } from "./kernel/prng.ts";
import { Scheduler, type EventHandle } from "./kernel/scheduler.ts";
import { CloudHsmService } from "./hsm/service.ts";
import { callCloudHsm } from "./hsm/operations.ts";
import { IamDirectory } from "./iam/iam.ts";
import { IamService } from "./iam/service.ts";
import { applyFault, type FrontDoors } from "./faults.ts";
import { cryptoBackend } from "./crypto/select.ts";
import { VirtualKms } from "./kms/kms.ts";
import { KMS_OPERATIONS } from "./kms/operations.ts";
import type { WorldConfig } from "./config.ts";
import type { CallStep, FaultStep, Outcome } from "../protocol/step.ts";

/** Failed logins after which CloudHSM locks a crypto user (spec §4). */
const FAILED_LOGINS_MAX = 5;

/**
 * Empties a log a call refills (a few entries): popped, as a compiled loop does in place, where setting
 * `length = 0` is a call into the runtime on every call.
 */
function emptied(log: unknown[]): void {
  while (log.length > 0) log.pop();
}

/** A handle that has nothing to cancel (landing's, until its event is scheduled). */
const NO_TIMER: EventHandle = { cancel: () => undefined };

export interface CallResult {
  outcome: Outcome;
  durationUs: number;
  /** The fault that was in flight for this call, if it landed before the call ended. */
  landedDuringCall?: FaultStep;
}

export class World {
  readonly clock = new VirtualClock();
  readonly scheduler = new Scheduler(this.clock);
  readonly prng: Prng;
  readonly network: Network;
  readonly iam: IamDirectory;
  readonly iamService: IamService;
  readonly cloudhsm: CloudHsmService;
  readonly kms: VirtualKms;

  constructor(
    readonly config: WorldConfig,
    seed: string,
  ) {
    const { world, timing, quotas } = config;
    this.prng = new Prng(seed);
    const crypto = cryptoBackend(config.crypto);
    this.network = new Network(this.scheduler, this.prng.child("network"), timing.latency);
    this.iam = new IamDirectory(world.principals, [world.account, world.partnerAccount]);
    this.cloudhsm = new CloudHsmService(this.iam, this.prng.child("hsm"), this.scheduler, {
      serviceUs: timing.hsmServiceUs,
      replicationDelayUs: timing.replicationDelayMs * 1000,
      crypto,
      failedLoginsMax: FAILED_LOGINS_MAX,
      hsmsPerClusterMax: world.hsmsPerClusterMax,
      epochMs: world.epochMs,
      clusterDeletionUs: timing.clusterDeletionMs * 1000,
    });
    for (const h of [world.cluster, ...world.otherClusters].flatMap((c) => c.hsms)) {
      if (this.cloudhsm.subnets.has(h.subnetId)) continue;
      this.cloudhsm.subnets.set(h.subnetId, { subnetId: h.subnetId, availabilityZone: h.availabilityZone, deleted: false, full: false });
    }
    // The world's clusters: its own, those of other lineages (in the same subnets), the uninitialized ones.
    for (const c of [world.cluster, ...world.otherClusters])
      this.cloudhsm.addInitialCluster(c.clusterId, c.trustAnchor, c.kmsuserPassword, c.hsms);
    for (const id of world.uninitializedClusterIds) this.cloudhsm.addUninitializedCluster(id);
    this.iamService = new IamService(
      this.iam,
      (account) => this.kms.stores.some((s) => s.account === account),
      () => world.epochMs + Math.floor(this.clock.nowUs / 1000),
    );
    this.kms = new VirtualKms(
      {
        scheduler: this.scheduler,
        network: this.network,
        prng: this.prng.child("kms"),
        iam: this.iam,
        cloudhsm: this.cloudhsm,
        crypto,
        options: {
          region: world.region,
          account: world.account,
          epochMs: world.epochMs,
          connectDelayUs: timing.connectDelayMs * 1000,
          connectExchangeUs: timing.connectExchangeMs * 1000,
          disconnectDelayUs: timing.disconnectDelayMs * 1000,
          hsmRequestTimeoutUs: timing.hsmRequestTimeoutMs * 1000,
          storesMax: quotas.customKeyStoresPerAccount,
          storeRequestsPerSecond: quotas.storeRequestsPerSecond,
          grantsPerKey: quotas.grantsPerKey,
          grantPropagationUsMax: timing.grantPropagationMsMax * 1000,
        },
      },
      KMS_OPERATIONS,
    );
  }

  /** A fault with `after`, waiting for the next call. */
  private inFlight: FaultStep | undefined;

  /** The services' front doors, which `service-failure` faults arm. */
  get doors(): FrontDoors {
    return { kms: this.kms.frontDoor, iam: this.iamService.frontDoor, cloudhsmv2: this.cloudhsm.frontDoor };
  }

  /** Virtual time now, in µs. */
  get nowUs(): number {
    return this.clock.nowUs;
  }

  /** Runs every background event due by now (a step starts after them). */
  runDue(): void {
    this.scheduler.runTo(this.clock.nowUs);
  }

  /**
   * Runs one call to completion; background processes, and a fault in flight, run alongside on the same
   * clock. The IAM view's decision and condition logs then hold what this call's authorizations decided.
   */
  call(step: CallStep, callerArn: string): CallResult {
    const startUs = this.clock.nowUs;
    emptied(this.iam.decisionLog);
    emptied(this.iam.conditionLog);
    const pending = this.inFlight;
    this.inFlight = undefined;
    const inFlight = pending === undefined ? undefined : this.landing(pending);
    let outcome: Outcome | undefined;
    if (step.call.startsWith("cloudhsmv2:") || step.call.startsWith("hsm:"))
      outcome = callCloudHsm(this.cloudhsm, step.call, callerArn, step.input ?? {});
    else if (step.call.startsWith("iam:")) outcome = this.iamService.call(step.call, callerArn, step.input ?? {});
    else {
      this.kms.start(step.call, callerArn, step.input ?? {}, this.settleKmsCall);
      this.scheduler.runUntil(this.kmsCallSettled, step.call);
      outcome = this.kmsOutcome;
      this.kmsOutcome = undefined;
    }
    if (outcome === undefined) throw new Error(`world: ${step.call} finished without an outcome`);
    if (inFlight !== undefined && !inFlight.landed) {
      inFlight.timer.cancel();
      applyFault(inFlight.fault, this.cloudhsm, this.network, this.doors); // the call ended first: the fault lands as it ends
    }
    const result: CallResult = { outcome, durationUs: this.clock.nowUs - startUs };
    if (inFlight?.landed === true) result.landedDuringCall = inFlight.fault; // absent otherwise (no spread per call)
    return result;
  }

  /** The outcome of the KMS call running, once it has one (a world runs one call at a time). */
  private kmsOutcome: Outcome | undefined = undefined;
  /**
   * Made once, with the world: what every KMS call hands the KMS and the scheduler, where two closures
   * over the call's locals were made on each.
   */
  private readonly settleKmsCall = (outcome: Outcome): void => {
    this.kmsOutcome = outcome;
  };
  private readonly kmsCallSettled = (): boolean => this.kmsOutcome !== undefined;

  /** Schedules a fault in flight to land `after` ms into the call; `landed` says whether it has. */
  private landing(fault: FaultStep): { fault: FaultStep; landed: boolean; timer: EventHandle } {
    const inFlight = { fault, landed: false, timer: NO_TIMER };
    inFlight.timer = this.scheduler.after((fault.after ?? 0) * 1000, `fault ${fault.fault} in flight`, () => {
      inFlight.landed = true;
      applyFault(fault, this.cloudhsm, this.network, this.doors);
    });
    return inFlight;
  }

  /** A fault in flight that no call took lands before any other step. */
  flushInFlight(): void {
    if (this.inFlight !== undefined) applyFault(this.inFlight, this.cloudhsm, this.network, this.doors);
    this.inFlight = undefined;
  }

  get faultInFlight(): boolean {
    return this.inFlight !== undefined;
  }

  fault(step: FaultStep): void {
    this.flushInFlight();
    // A service failure takes no `after`: it arms its front door at once (sim/service-failure.ts).
    if (step.after !== undefined && step.fault !== "service-failure") this.inFlight = step;
    else applyFault(step, this.cloudhsm, this.network, this.doors);
  }

  advance(ms: number): void {
    this.flushInFlight();
    this.scheduler.runTo(this.clock.nowUs + ms * 1000);
  }
}
