// Processes on the virtual clock: a generator that yields "suspend until resumed" and is resumed by
// a scheduler event (a reply, a timeout, a sleep). Everything runs synchronously inside scheduler
// events, so there is no Promise, no microtask and no ambient ordering anywhere in a run.
import type { Scheduler } from "./scheduler.ts";

/** What a process yields: a function that arranges for `resume` to be called exactly once. */
export type Suspension = (resume: (value: unknown) => void) => void;
export type Proc<T> = Generator<Suspension, T, unknown>;

/** Suspends the current process until `register`'s callback fires; returns the value it was given. */
export function* suspend<T>(register: (resume: (value: T) => void) => void): Proc<T> {
  return (yield register as Suspension) as T;
}

export function* sleep(scheduler: Scheduler, delayUs: number, label: string): Proc<void> {
  yield* suspend<void>((resume) => void scheduler.after(delayUs, label, () => resume(undefined)));
}

/** Starts `proc` now; `onDone` receives its result. A process resumed twice is a programming error. */
export function spawn<T>(proc: Proc<T>, onDone: (value: T) => void): void {
  const advance = (input: unknown): void => {
    const next = proc.next(input);
    if (next.done) {
      onDone(next.value);
      return;
    }
    let resumed = false;
    next.value((value) => {
      if (resumed) throw new Error("process resumed twice");
      resumed = true;
      advance(value);
    });
  };
  advance(undefined);
}

/** Waits for whichever comes first: `register`'s callback, or `timeoutUs` (then returns `undefined`). */
export function* withTimeout<T>(
  scheduler: Scheduler,
  timeoutUs: number,
  label: string,
  register: (deliver: (value: T) => void) => void,
): Proc<T | undefined> {
  return (yield timeoutSuspension(scheduler, timeoutUs, label, register)) as T | undefined;
}

/**
 * What withTimeout yields, for a process to yield itself (`(yield timeoutSuspension(…)) as T | undefined`):
 * the same wait without two generators to step through on the hot path of every HSM request.
 */
export function timeoutSuspension<T>(
  scheduler: Scheduler,
  timeoutUs: number,
  label: string,
  register: (deliver: (value: T) => void) => void,
): Suspension {
  return (resume) => {
    let settled = false;
    const timer = scheduler.after(timeoutUs, label, () => {
      if (settled) return;
      settled = true;
      resume(undefined);
    });
    register((value) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      resume(value);
    });
  };
}
