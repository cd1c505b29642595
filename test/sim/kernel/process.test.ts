// Processes on the virtual clock: a function suspension and a Waiter suspension resume the same way,
// and a wait resumed twice (or a stale one) is a crash. (An HSM request's timeout: test/sim/hsm/slow.test.ts.)
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/kernel/clock.ts";
import { sleep, spawn, waiterOf, type Process, type Proc, type Waiter } from "../../../sim/kernel/process.ts";
import { Scheduler } from "../../../sim/kernel/scheduler.ts";

/** A Waiter that keeps the process and ticket it was handed, for the test to resume by hand. */
class HeldWait implements Waiter {
  process: Process | undefined;
  ticket = 0;

  wait(process: Process, ticket: number): void {
    this.process = process;
    this.ticket = ticket;
  }
}

describe("processes", () => {
  it("resume from function and Waiter suspensions alike, on the virtual clock", () => {
    const scheduler = new Scheduler(new VirtualClock());
    const held = new HeldWait();
    const seen: unknown[] = [];
    function* proc(): Proc<string> {
      yield* sleep(scheduler, 5, "nap");
      seen.push(scheduler.clock.nowUs);
      seen.push(yield held);
      return "done";
    }
    let result: string | undefined;
    spawn(proc(), (value) => (result = value));
    scheduler.runTo(10);
    expect(seen).toEqual([5]);
    held.process!.resume(held.ticket, "answer");
    expect(seen).toEqual([5, "answer"]);
    expect(result).toBe("done");
  });

  it("crash when a wait is resumed twice, or after the process has moved on", () => {
    const first = new HeldWait();
    const second = new HeldWait();
    function* proc(): Proc<void> {
      yield first;
      yield second;
    }
    spawn(proc(), () => undefined);
    first.process!.resume(first.ticket, 1);
    expect(() => first.process!.resume(first.ticket, 1)).toThrow(/resumed twice/);
    second.process!.resume(second.ticket, 2);
    expect(() => second.process!.resume(second.ticket, 2)).toThrow(/resumed twice/);
  });

  it("wait on a generator made a Waiter, resumed with its result whether it suspends or ends at once", () => {
    const scheduler = new Scheduler(new VirtualClock());
    function* inner(delayUs: number): Proc<number> {
      if (delayUs > 0) yield* sleep(scheduler, delayUs, "inner");
      return scheduler.clock.nowUs;
    }
    const seen: unknown[] = [];
    function* outer(): Proc<void> {
      seen.push(yield waiterOf(inner(0)));
      seen.push(yield waiterOf(inner(7)));
    }
    let done = false;
    spawn(outer(), () => (done = true));
    expect(seen).toEqual([0]);
    scheduler.runTo(10);
    expect(seen).toEqual([0, 7]);
    expect(done).toBe(true);
  });
});
