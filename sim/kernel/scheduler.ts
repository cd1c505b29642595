// The event scheduler: a binary heap of events ordered by (time, sequence number), so two events
// at the same virtual time always run in the order they were scheduled. Running an event moves the
// virtual clock to its time. Every drain is bounded by eventsPerDrainMax: a runaway process is a crash.
import type { VirtualClock } from "./clock.ts";

export interface SchedulerOptions {
  /** Most events one drain may run before the run is declared stuck. */
  eventsPerDrainMax: number;
}

export interface EventHandle {
  cancel(): void;
}

/**
 * An entry of the queue: when it runs, its place among entries at the same time, and what it does
 * (`fire`). It is its own handle. A hot caller (the HSM exchange, sim/kms/hsm-exchange.ts) implements it
 * and schedules the same object again for each of its steps, where each step was an event and a closure.
 * An entry is in the queue at most once at a time (checked: its `seq` is 0 exactly while it is out of
 * the queue and holds no place in it (`place`), so queueing it twice is a crash, not a second firing).
 * An interface, not a base class: a derived class's constructor goes through a runtime lookup of its
 * base on every object made.
 * Implementations declare `timeUs`, `seq` and `cancelled` first, in that order, so the queue reads them
 * at the same offsets.
 */
export interface Timed extends EventHandle {
  timeUs: number;
  seq: number;
  cancelled: boolean;
  /** What the entry is, for a crash message (nothing else reads it). */
  readonly label: string;
  fire(): void;
}

/** An event that runs a function (one object per event, not an event and a separate handle). */
class ScheduledEvent implements Timed {
  timeUs = 0;
  seq = 0;
  cancelled = false;

  constructor(
    readonly label: string,
    private readonly run: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }

  fire(): void {
    this.run();
  }
}

export class Scheduler {
  private readonly heap: Timed[] = [];
  /** From 1: an entry's `seq` of 0 says it is not in the queue. */
  private seqNext = 1;

  constructor(
    readonly clock: VirtualClock,
    private readonly options: SchedulerOptions = { eventsPerDrainMax: 1_000_000 },
  ) {}

  /**
   * Schedules `run` after `delayUs` microseconds of virtual time. `label` says what the event is, for a
   * crash message (nothing else reads it): hot callers pass a name they already hold, not a joined one.
   */
  after(delayUs: number, label: string, run: () => void): EventHandle {
    const event = new ScheduledEvent(label, run);
    this.schedule(delayUs, event);
    return event;
  }

  /** Queues `entry` (not in the queue now) to fire after `delayUs` microseconds of virtual time; as `after`. */
  schedule(delayUs: number, entry: Timed): void {
    this.place(delayUs, entry);
    this.push(entry);
  }

  /**
   * Gives `entry` (not in the queue now) its time, `delayUs` from now, and its place among entries at
   * that time, as `schedule` does, but leaves it out of the queue until `queuePlaced`: it then fires
   * exactly where it would have, had it been queued now, provided it is queued before the clock passes
   * an event that would come after it. For a timer that rarely fires (sim/kms/hsm-exchange.ts): one
   * never queued costs no heap push, and no pop once cancelled. Its `seq` stays non-zero meanwhile.
   */
  place(delayUs: number, entry: Timed): void {
    if (!Number.isSafeInteger(delayUs) || delayUs < 0) throw new Error(`scheduler: bad delay ${delayUs} for ${entry.label}`);
    if (entry.seq !== 0) throw new Error(`scheduler: ${entry.label} queued again while still in the queue`);
    entry.timeUs = this.clock.nowUs + delayUs;
    entry.seq = this.seqNext++;
    entry.cancelled = false;
  }

  /** Queues an entry `place` gave its time and place (once). */
  queuePlaced(entry: Timed): void {
    this.push(entry);
  }

  /** Runs events in order until `done()` holds; throws if the queue empties or the bound is hit first. */
  runUntil(done: () => boolean, what: string): void {
    let ran = 0;
    while (!done()) {
      const event = this.pop();
      if (event === undefined) throw new Error(`scheduler: ${what} can never finish: no events left`);
      if (++ran > this.options.eventsPerDrainMax)
        throw new Error(`scheduler: ${what} ran more than ${this.options.eventsPerDrainMax} events`);
      this.clock.advanceTo(event.timeUs);
      event.fire();
    }
  }

  /** Runs every event due at or before `timeUs`, then leaves the clock at `timeUs`. */
  runTo(timeUs: number): void {
    let ran = 0;
    for (;;) {
      const top = this.peek();
      if (top === undefined || top.timeUs > timeUs) break;
      const event = this.pop();
      if (event === undefined) break;
      if (++ran > this.options.eventsPerDrainMax)
        throw new Error(`scheduler: advancing to ${timeUs} ran more than ${this.options.eventsPerDrainMax} events`);
      this.clock.advanceTo(event.timeUs);
      event.fire();
    }
    this.clock.advanceTo(timeUs);
  }

  private peek(): Timed | undefined {
    while (this.heap[0]?.cancelled) this.popRaw();
    return this.heap[0];
  }

  private pop(): Timed | undefined {
    return this.peek() === undefined ? undefined : this.popRaw();
  }

  private static before(a: Timed, b: Timed): boolean {
    return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
  }

  private push(event: Timed): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!Scheduler.before(event, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  private popRaw(): Timed | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top !== undefined) top.seq = 0; // out of the queue: it may be queued again
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && Scheduler.before(heap[right]!, heap[left]!) ? right : left;
      if (!Scheduler.before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
