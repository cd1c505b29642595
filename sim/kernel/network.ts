// The simulated network: directed links between named nodes ("kms", "hsm-…"). Each link draws its
// latency from its own seeded stream (a uniform body plus a rare tail), and a link can be cut in one
// direction or both, and healed. A message is dropped if its link is cut when it is sent; otherwise it
// is delivered after the drawn latency. Nothing here knows what a message means.
import type { Prng } from "./prng.ts";
import type { Scheduler, Timed } from "./scheduler.ts";

export interface LatencyOptions {
  /** Fastest one-way delivery, in microseconds. */
  latencyUsMin: number;
  /** Slowest one-way delivery outside the tail, in microseconds. */
  latencyUsMax: number;
  /** Chance, per thousand messages, that a delivery falls in the tail. */
  tailPerMille: number;
  /** Slowest one-way delivery in the tail, in microseconds. */
  tailUsMax: number;
}

export class Network {
  private readonly cut = new Set<string>();
  /** Each link's latency stream, by sender then receiver (two lookups of names V8 has hashed, no joined key). */
  private readonly linkPrng = new Map<string, Map<string, Prng>>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    private readonly options: LatencyOptions,
  ) {
    if (options.latencyUsMin > options.latencyUsMax || options.latencyUsMax > options.tailUsMax) {
      throw new Error("network: latency bounds must satisfy min <= max <= tailMax");
    }
  }

  /** Cuts from→to (and to→from when `bothWays`). */
  partition(from: string, to: string, bothWays: boolean): void {
    this.cut.add(`${from}>${to}`);
    if (bothWays) this.cut.add(`${to}>${from}`);
  }

  /** Restores both directions between the two nodes. */
  heal(a: string, b: string): void {
    this.cut.delete(`${a}>${b}`);
    this.cut.delete(`${b}>${a}`);
  }

  healAll(): void {
    this.cut.clear();
  }

  isCut(from: string, to: string): boolean {
    return this.cut.size > 0 && this.cut.has(`${from}>${to}`);
  }

  /**
   * Sends a message: the scheduler fires `delivery` at the receiver after the link's latency, unless the
   * link is cut. The delivery is an entry of the scheduler's (one object for a whole exchange, not a
   * closure a message); its label is taken as it is (only a crash reads it).
   */
  send(from: string, to: string, delivery: Timed): void {
    if (this.isCut(from, to)) return;
    this.scheduler.schedule(this.drawLatencyUs(from, to), delivery);
  }

  private drawLatencyUs(from: string, to: string): number {
    let fromLinks = this.linkPrng.get(from);
    if (fromLinks === undefined) this.linkPrng.set(from, (fromLinks = new Map()));
    let prng = fromLinks.get(to);
    if (prng === undefined) {
      prng = this.prng.child(`link:${from}>${to}`);
      fromLinks.set(to, prng);
    }
    const { latencyUsMin, latencyUsMax, tailPerMille, tailUsMax } = this.options;
    if (prng.chance(tailPerMille, 1000)) return prng.intBetween(latencyUsMax, tailUsMax);
    return prng.intBetween(latencyUsMin, latencyUsMax);
  }
}
