// Processes on the virtual clock: a generator that yields "suspend until resumed" and is resumed by
// a scheduler event (a reply, a timeout, a sleep). Everything runs synchronously inside scheduler
// events, so there is no Promise, no microtask and no ambient ordering anywhere in a run.
import type { Scheduler } from "./scheduler.ts";

/**
 * What a process yields: a function that arranges for `resume` to be called exactly once, or a Waiter
 * (an object that arranges the same by calling its process's `resume` with the ticket it was given).
 */
export type Suspension = ((resume: (value: unknown) => void) => void) | Waiter;
export type Proc<T> = Generator<Suspension, T, unknown>;

/** What a Waiter resumes: a process, or another Waiter that waits on it in turn (sim/kms/hsm-failover.ts). */
export interface Resumable {
  resume(ticket: number, value: unknown): void;
}

/**
 * A suspension as an object, for the hot path (an HSM request, sim/kms/hsm-exchange.ts): the process
 * hands itself and a ticket, where a function suspension takes a fresh closure on every wait.
 */
export interface Waiter {
  wait(process: Resumable, ticket: number): void;
}

/** A generator as a Waiter: waited on, it runs as a process of its own and resumes the waiter with its result. */
export function waiterOf(proc: Proc<unknown>): Waiter {
  return { wait: (process, ticket) => spawn(proc, (value) => process.resume(ticket, value)) };
}

/** A running process: steps its generator on each resumption, hands its result to `onDone`. */
export class Process implements Resumable {
  /** The ticket of the suspension it waits on now; 0 while it runs (no wait to resume). */
  private waiting = 0;
  private waits = 0;

  constructor(
    private readonly proc: Proc<unknown>,
    private readonly onDone: (value: unknown) => void,
  ) {}

  /** Ends the wait `ticket` names with `value`. Resuming a wait twice (or one not waited on) is a programming error. */
  resume(ticket: number, value: unknown): void {
    if (ticket !== this.waiting) throw new Error("process resumed twice");
    this.waiting = 0;
    this.advance(value);
  }

  advance(input: unknown): void {
    const next = this.proc.next(input);
    if (next.done === true) {
      this.onDone(next.value);
      return;
    }
    const ticket = (this.waiting = ++this.waits);
    const suspension = next.value;
    if (typeof suspension === "function") suspension((value) => this.resume(ticket, value));
    else suspension.wait(this, ticket);
  }
}

/** Suspends the current process until `register`'s callback fires; returns the value it was given. */
export function* suspend<T>(register: (resume: (value: T) => void) => void): Proc<T> {
  return (yield register as Suspension) as T;
}

export function* sleep(scheduler: Scheduler, delayUs: number, label: string): Proc<void> {
  yield* suspend<void>((resume) => void scheduler.after(delayUs, label, () => resume(undefined)));
}

/** Starts `proc` now; `onDone` receives its result. A process resumed twice is a programming error. */
export function spawn<T>(proc: Proc<T>, onDone: (value: T) => void): void {
  new Process(proc, onDone as (value: unknown) => void).advance(undefined);
}
