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

/** An event in the queue; it is its own handle (one object per event, not an event and a closure). */
class ScheduledEvent implements EventHandle {
  cancelled = false;

  constructor(
    readonly timeUs: number,
    readonly seq: number,
    readonly label: string,
    readonly run: () => void,
  ) {}

  cancel(): void {
    this.cancelled = true;
  }
}

export class Scheduler {
  private readonly heap: ScheduledEvent[] = [];
  private seqNext = 0;

  constructor(
    readonly clock: VirtualClock,
    private readonly options: SchedulerOptions = { eventsPerDrainMax: 1_000_000 },
  ) {}

  /**
   * Schedules `run` after `delayUs` microseconds of virtual time. `label` says what the event is, for a
   * crash message (nothing else reads it): hot callers pass a name they already hold, not a joined one.
   */
  after(delayUs: number, label: string, run: () => void): EventHandle {
    if (!Number.isSafeInteger(delayUs) || delayUs < 0) throw new Error(`scheduler: bad delay ${delayUs} for ${label}`);
    const event = new ScheduledEvent(this.clock.nowUs + delayUs, this.seqNext++, label, run);
    this.push(event);
    return event;
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
      event.run();
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
      event.run();
    }
    this.clock.advanceTo(timeUs);
  }

  private peek(): ScheduledEvent | undefined {
    while (this.heap[0]?.cancelled) this.popRaw();
    return this.heap[0];
  }

  private pop(): ScheduledEvent | undefined {
    return this.peek() === undefined ? undefined : this.popRaw();
  }

  private static before(a: ScheduledEvent, b: ScheduledEvent): boolean {
    return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.seq < b.seq);
  }

  private push(event: ScheduledEvent): void {
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

  private popRaw(): ScheduledEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
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
