// The simulated world of one run: the virtual clock and scheduler, the network, the virtual CloudHSM
// cluster and the virtual KMS, all seeded from one root PRNG split into named streams. It applies
// resolved steps — a call (run to completion on the virtual clock, its duration recorded), a fault,
// a pause — and exposes its insides read-only for the invariant checks.
import { VirtualClock } from "./kernel/clock.ts";
import { Network } from "./kernel/network.ts";
import { Prng } from "./kernel/prng.ts";
import { Scheduler } from "./kernel/scheduler.ts";
import { VirtualCluster } from "./hsm/cluster.ts";
import { KMS_NODE } from "./kms/hsm-client.ts";
import { IamDirectory } from "./kms/iam.ts";
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
  readonly cluster: VirtualCluster;
  readonly iam: IamDirectory;
  readonly kms: VirtualKms;

  constructor(readonly scenario: Scenario, seed: string) {
    const { world, timing } = scenario;
    this.prng = new Prng(seed);
    this.network = new Network(this.scheduler, this.prng.child("network"), timing.latency);
    this.cluster = new VirtualCluster(world.cluster, { serviceUs: timing.hsmServiceUs, failedLoginsMax: FAILED_LOGINS_MAX }, this.prng.child("hsm"));
    this.iam = new IamDirectory(world.principals, [world.account, world.partnerAccount]);
    this.kms = new VirtualKms(
      {
        scheduler: this.scheduler,
        network: this.network,
        prng: this.prng.child("kms"),
        iam: this.iam,
        clusters: new Map([[this.cluster.id, this.cluster]]),
        options: {
          region: world.region,
          account: world.account,
          epochMs: world.epochMs,
          connectDelayUs: timing.connectDelayMs * 1000,
          connectExchangeUs: timing.connectExchangeMs * 1000,
          disconnectDelayUs: timing.disconnectDelayMs * 1000,
          hsmRequestTimeoutUs: timing.hsmRequestTimeoutMs * 1000,
          storesMax: STORES_MAX,
        },
      },
      KMS_OPERATIONS,
    );
  }

  /** Runs one call to completion; background processes run alongside on the same clock. */
  call(step: CallStep, callerArn: string): CallResult {
    const startUs = this.clock.nowUs;
    let outcome: Outcome | undefined;
    this.kms.start(step.call, callerArn, step.input ?? {}, (o) => (outcome = o));
    this.scheduler.runUntil(() => outcome !== undefined, step.call);
    if (outcome === undefined) throw new Error(`world: ${step.call} finished without an outcome`);
    return { outcome, durationUs: this.clock.nowUs - startUs };
  }

  fault(step: FaultStep): void {
    switch (step.fault) {
      case "hsm-crash":
        return this.cluster.crash(this.hsmOf(step));
      case "hsm-restore":
        return this.cluster.restore(this.hsmOf(step));
      case "partition":
        return this.network.partition(KMS_NODE, this.hsmOf(step), true);
      case "heal":
        if (step.hsm === undefined) return this.network.healAll();
        return this.network.heal(KMS_NODE, step.hsm);
    }
  }

  advance(ms: number): void {
    this.scheduler.runTo(this.clock.nowUs + ms * 1000);
  }

  private hsmOf(step: FaultStep): string {
    if (step.hsm === undefined) throw new Error(`world: fault ${step.fault} needs an hsm`);
    return step.hsm;
  }
}
