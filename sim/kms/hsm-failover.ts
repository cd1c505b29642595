// Failover across a cluster's HSMs as one object a process waits on (HsmClient.askAny): the ACTIVE
// HSMs when it is made, in HsmId order, each asked in turn through an HSM exchange, until one gives an
// answer not passed over. One object for the whole failover, where a generator between the process
// and its exchanges took a frame of its own and a step through it on every resumption (about 1,500
// instructions of a warm 32-byte Encrypt). The requests, their times and their order are those of the
// generator it replaces: each next HSM is asked at once when the one before gives no answer.
import type { Resumable, Waiter } from "../kernel/process.ts";
import type { VirtualCluster, VirtualHsm } from "../hsm/cluster.ts";
import type { HsmFailureCode, HsmRequest, HsmResponse } from "../hsm/messages.ts";

/** What asking a cluster comes to: an HSM's response, or undefined when none answered at all. */
export type HsmAnswer = HsmResponse | undefined;

/** How a failover sends one request to one HSM (HsmClient.request, which a mutant may stand in for). */
export interface HsmAsker {
  request(cluster: VirtualCluster, hsmId: string, request: HsmRequest): Waiter;
}

export class HsmFailover implements Waiter, Resumable {
  /** The HSMs to ask, read when the failover is made. */
  private readonly hsms: VirtualHsm[];
  /** How many of them have been asked; the ticket each exchange resumes with. */
  private asked = 0;
  /** The last passed-over answer, the result if no HSM gives another. */
  private passed: HsmAnswer = undefined;
  private process: Resumable | undefined = undefined;
  private ticket = 0;

  constructor(
    private readonly client: HsmAsker,
    private readonly cluster: VirtualCluster,
    private readonly request: HsmRequest,
    private readonly passOver: readonly HsmFailureCode[],
  ) {
    this.hsms = cluster.activeHsms();
  }

  wait(process: Resumable, ticket: number): void {
    this.process = process;
    this.ticket = ticket;
    this.askNext();
  }

  /** An HSM's exchange has ended with `value` (its answer, or undefined: none in time). */
  resume(ticket: number, value: unknown): void {
    if (ticket !== this.asked) throw new Error("hsm failover: resumed by an exchange not in progress");
    const answer = value as HsmAnswer;
    if (answer === undefined) return this.askNext();
    if (!answer.ok && this.passOver.includes(answer.code)) {
      this.passed = answer;
      return this.askNext();
    }
    this.process!.resume(this.ticket, answer);
  }

  private askNext(): void {
    if (this.asked === this.hsms.length) return this.process!.resume(this.ticket, this.passed);
    const hsm = this.hsms[this.asked++]!;
    this.client.request(this.cluster, hsm.id, this.request).wait(this, this.asked);
  }
}
