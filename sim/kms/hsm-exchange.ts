// One request from the virtual KMS to one HSM and its reply, as a single object on the scheduler: the
// request crosses the network, the HSM serves it after its service time (a slow HSM then holds its
// reply), the reply crosses back; a timer ends the wait first if the reply is later than the timeout.
// The same object is queued again for each step, where each step was a closure and an event of its own;
// the events, their times and their order are those of the closures they replace.
import type { Network } from "../kernel/network.ts";
import type { Resumable, Waiter } from "../kernel/process.ts";
import type { Scheduler, Timed } from "../kernel/scheduler.ts";
import type { VirtualCluster } from "../hsm/cluster.ts";
import type { HsmRequest, HsmResponse } from "../hsm/messages.ts";

/** The node the virtual KMS sends from and is answered at. */
export const KMS_NODE = "kms";

// What the exchange's next firing does.
/** The request reaches the HSM, which starts serving it. */
const ARRIVE = 0;
/** The HSM has served it: the reply leaves, or is held first. */
const SERVE = 1;
/** A slow HSM's hold is over: the reply leaves. */
const RELEASE = 2;
/** The reply reaches the KMS. */
const DELIVER = 3;

/** The timer of one exchange: the wait ends with no answer when it fires first. */
class ExchangeTimeout implements Timed {
  timeUs = 0;
  seq = 0;
  cancelled = false;

  constructor(private readonly exchange: HsmExchange) {}

  cancel(): void {
    this.cancelled = true;
  }

  get label(): string {
    return this.exchange.label;
  }

  fire(): void {
    this.exchange.timedOut();
  }
}

export class HsmExchange implements Timed, Waiter {
  timeUs = 0;
  seq = 0;
  cancelled = false;
  private step = ARRIVE;
  private settled = false;
  private response: HsmResponse | undefined = undefined;
  private process: Resumable | undefined = undefined;
  private ticket = 0;
  private readonly timer = new ExchangeTimeout(this);
  /** The timer is in the scheduler's queue (it holds its place from the start: see armIfLate). */
  private timerQueued = false;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly network: Network,
    private readonly cluster: VirtualCluster,
    private readonly hsmId: string,
    private readonly request: HsmRequest,
    /** Read when the request is made (a mutant changes the client's timeout around that call). */
    private readonly timeoutUs: number,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }

  /** Events are labelled with the operation alone: only a crash message reads a label. */
  get label(): string {
    return this.request.op;
  }

  /** The process waits: the timer takes its place, then the request is sent (the order their events had). */
  wait(process: Resumable, ticket: number): void {
    this.process = process;
    this.ticket = ticket;
    this.scheduler.place(this.timeoutUs, this.timer);
    this.network.send(KMS_NODE, this.hsmId, this);
    this.armIfLate();
  }

  /**
   * Queues the timer, in the place it took when the wait began, once it could fire: when this exchange
   * has no event of its own queued (the request or the reply was lost, or the HSM is down) or its next
   * one comes at the deadline or later. Until then its next event comes before the timer would, and the
   * reply, when it comes, settles the wait: most exchanges never queue their timer, which saves its
   * push and its pop once cancelled (~800 instructions of a 32-byte Encrypt). The events, their times
   * and their order are those of a timer queued at once.
   */
  private armIfLate(): void {
    if (this.timerQueued || this.settled) return;
    if (this.seq !== 0 && this.timeUs < this.timer.timeUs) return; // its next event is queued, and comes first
    this.timerQueued = true;
    this.scheduler.queuePlaced(this.timer);
  }

  fire(): void {
    switch (this.step) {
      case ARRIVE:
        this.step = SERVE;
        this.scheduler.schedule(this.cluster.serviceUs(this.request), this);
        return this.armIfLate();
      case SERVE: {
        const response = this.cluster.serve(this.hsmId, this.request);
        if (response === undefined) return this.armIfLate(); // a down HSM answers nothing
        this.response = response;
        const holdUs = this.cluster.replyHoldUs(this.hsmId, this.request);
        if (holdUs === 0) return this.reply();
        this.step = RELEASE;
        this.scheduler.schedule(holdUs, this);
        return this.armIfLate();
      }
      case RELEASE:
        return this.reply();
      case DELIVER:
        if (this.settled) return; // the timer fired first
        this.settled = true;
        this.timer.cancel();
        return this.process!.resume(this.ticket, this.response);
    }
  }

  timedOut(): void {
    if (this.settled) return; // the reply came first (and cancelled the timer)
    this.settled = true;
    this.process!.resume(this.ticket, undefined);
  }

  private reply(): void {
    this.step = DELIVER;
    this.network.send(this.hsmId, KMS_NODE, this);
    this.armIfLate();
  }
}
