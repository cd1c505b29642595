// Processes on the virtual clock: a function suspension and a Waiter suspension resume the same way,
// a wait resumed twice (or a stale one) is a crash, and a timeout ends a wait no one answers.
import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/kernel/clock.ts";
import { sleep, spawn, withTimeout, type Process, type Proc, type Waiter } from "../../../sim/kernel/process.ts";
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

  it("end a wait with undefined when its timeout comes first", () => {
    const scheduler = new Scheduler(new VirtualClock());
    let outcome: unknown = "unset";
    spawn(
      withTimeout<string>(scheduler, 100, "wait", () => undefined),
      (value) => (outcome = value),
    );
    scheduler.runTo(99);
    expect(outcome).toBe("unset");
    scheduler.runTo(100);
    expect(outcome).toBeUndefined();
  });
});
