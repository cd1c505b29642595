// The simulated world of one run: the virtual clock and scheduler, the network, the virtual CloudHSM
// service with its clusters, and the virtual KMS, all seeded from one root PRNG split into named
// streams. It applies resolved steps — a call (run to completion on the virtual clock, its duration
// recorded), a fault, a pause — and exposes its insides read-only for the invariant checks.
import { VirtualClock } from "./kernel/clock.ts";
import { Network } from "./kernel/network.ts";
import { Prng } from "./kernel/prng.ts";
import { Scheduler } from "./kernel/scheduler.ts";
import { CloudHsmService } from "./hsm/service.ts";
import { IamDirectory } from "./iam/iam.ts";
import { applyFault } from "./faults.ts";
import { VirtualKms } from "./kms/kms.ts";
import { KMS_OPERATIONS } from "./kms/operations.ts";
import type { Scenario } from "./scenario.ts";
import type { CallStep, FaultStep, Outcome } from "./step.ts";

/** Failed logins after which CloudHSM locks a crypto user (spec §4). */
const FAILED_LOGINS_MAX = 5;
/** Most custom key stores per account and Region (spec §11.1). */
const STORES_MAX = 10;

export interface CallResult {
  outcome: Outcome;
  durationUs: number;
}

export class World {
  readonly clock = new VirtualClock();
  readonly scheduler = new Scheduler(this.clock);
  readonly prng: Prng;
  readonly network: Network;
  readonly iam: IamDirectory;
  readonly cloudhsm: CloudHsmService;
  readonly kms: VirtualKms;

  constructor(readonly scenario: Scenario, seed: string) {
    const { world, timing } = scenario;
    this.prng = new Prng(seed);
    this.network = new Network(this.scheduler, this.prng.child("network"), timing.latency);
    this.iam = new IamDirectory(world.principals, [world.account, world.partnerAccount]);
    this.cloudhsm = new CloudHsmService(this.iam, this.prng.child("hsm"), {
      serviceUs: timing.hsmServiceUs,
      failedLoginsMax: FAILED_LOGINS_MAX,
      hsmsPerClusterMax: world.hsmsPerClusterMax,
    });
    for (const h of world.cluster.hsms) {
      this.cloudhsm.subnets.set(h.subnetId, { subnetId: h.subnetId, availabilityZone: h.availabilityZone, deleted: false, full: false });
    }
    this.cloudhsm.addInitialCluster(world.cluster.clusterId, world.cluster.trustAnchor, world.cluster.kmsuserPassword, world.cluster.hsms);
    this.kms = new VirtualKms(
      {
        scheduler: this.scheduler,
        network: this.network,
        prng: this.prng.child("kms"),
        iam: this.iam,
        cloudhsm: this.cloudhsm,
        options: {
          region: world.region,
          account: world.account,
          epochMs: world.epochMs,
          connectDelayUs: timing.connectDelayMs * 1000,
          connectExchangeUs: timing.connectExchangeMs * 1000,
          disconnectDelayUs: timing.disconnectDelayMs * 1000,
          hsmRequestTimeoutUs: timing.hsmRequestTimeoutMs * 1000,
          storesMax: STORES_MAX,
          storeRequestsPerSecond: scenario.quotas.storeRequestsPerSecond,
        },
      },
      KMS_OPERATIONS,
    );
  }

  /** Runs one call to completion; background processes run alongside on the same clock. */
  call(step: CallStep, callerArn: string): CallResult {
    const startUs = this.clock.nowUs;
    if (step.call.startsWith("cloudhsmv2:") || step.call.startsWith("hsm:")) {
      return { outcome: this.cloudhsm.call(step.call, callerArn, step.input ?? {}), durationUs: 0 };
    }
    let outcome: Outcome | undefined;
    this.kms.start(step.call, callerArn, step.input ?? {}, (o) => (outcome = o));
    this.scheduler.runUntil(() => outcome !== undefined, step.call);
    if (outcome === undefined) throw new Error(`world: ${step.call} finished without an outcome`);
    return { outcome, durationUs: this.clock.nowUs - startUs };
  }

  fault(step: FaultStep): void {
    applyFault(step, this.cloudhsm, this.network);
  }

  advance(ms: number): void {
    this.scheduler.runTo(this.clock.nowUs + ms * 1000);
  }

}
