import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../../sim/kernel/clock.ts";
import { Scheduler, type Timed } from "../../../sim/kernel/scheduler.ts";

/** An entry of the caller's own (as sim/kms/hsm-exchange.ts makes), out of the queue, that runs `fire`. */
const timedEntry = (label: string, fire: () => void): Timed => ({
  timeUs: 0,
  seq: 0,
  cancelled: false,
  label,
  cancel: () => undefined,
  fire,
});

describe("Scheduler", () => {
  it("runs events by time, then by the order they were scheduled", () => {
    const s = new Scheduler(new VirtualClock());
    const ran: string[] = [];
    s.after(30, "c", () => ran.push("c@30"));
    s.after(10, "a", () => ran.push("a@10"));
    s.after(30, "d", () => ran.push("d@30"));
    s.after(10, "b", () => ran.push("b@10"));
    s.after(0, "z", () => ran.push("z@0"));
    s.runTo(100);
    expect(ran).toEqual(["z@0", "a@10", "b@10", "c@30", "d@30"]);
    expect(s.clock.nowUs).toBe(100);
  });

  it("moves the clock to each event's time as it runs", () => {
    const s = new Scheduler(new VirtualClock());
    const times: number[] = [];
    for (const d of [5, 1, 3]) s.after(d, "t", () => times.push(s.clock.nowUs));
    s.runTo(10);
    expect(times).toEqual([1, 3, 5]);
  });

  it("does not run cancelled events", () => {
    const s = new Scheduler(new VirtualClock());
    const ran: string[] = [];
    s.after(1, "keep", () => ran.push("keep"));
    s.after(2, "drop", () => ran.push("drop")).cancel();
    s.runTo(5);
    expect(ran).toEqual(["keep"]);
  });

  it("leaves events after the target time for later", () => {
    const s = new Scheduler(new VirtualClock());
    const ran: number[] = [];
    s.after(50, "late", () => ran.push(50));
    s.runTo(49);
    expect(ran).toEqual([]);
    s.runTo(50);
    expect(ran).toEqual([50]);
  });

  it("reports a wait that can never end instead of spinning", () => {
    const s = new Scheduler(new VirtualClock());
    expect(() => s.runUntil(() => false, "nothing")).toThrow(/can never finish/);
  });

  it("bounds a runaway process", () => {
    const s = new Scheduler(new VirtualClock(), { eventsPerDrainMax: 100 });
    const again = (): void => void s.after(1, "loop", again);
    again();
    expect(() => s.runUntil(() => false, "loop")).toThrow(/more than 100 events/);
  });

  it("queues an entry again once it has fired, and crashes on one queued while still in the queue", () => {
    const s = new Scheduler(new VirtualClock());
    const fired: number[] = [];
    const entry = timedEntry("exchange", () => fired.push(s.clock.nowUs));
    s.schedule(5, entry);
    s.runTo(5);
    s.schedule(5, entry); // fired, so out of the queue
    s.runTo(20);
    expect(fired).toEqual([5, 10]);
    s.schedule(5, entry);
    expect(() => s.schedule(7, entry)).toThrow(/exchange queued again while still in the queue/);
    entry.cancelled = true; // cancelled, it stays queued until it is passed over
    expect(() => s.schedule(7, entry)).toThrow(/queued again/);
  });

  it("fires an entry placed and queued later where it would have fired had it been queued when placed", () => {
    const s = new Scheduler(new VirtualClock());
    const ran: string[] = [];
    const entry = timedEntry("timer", () => ran.push(`timer@${s.clock.nowUs}`));
    s.place(10, entry); // its place: at 10, before anything scheduled after it
    s.after(10, "same time", () => ran.push(`same@${s.clock.nowUs}`));
    s.after(4, "queues it", () => s.queuePlaced(entry));
    expect(() => s.place(3, entry)).toThrow(/timer queued again/);
    s.runTo(20);
    expect(ran).toEqual(["timer@10", "same@10"]);
  });

  it("refuses to move time backwards", () => {
    const clock = new VirtualClock();
    clock.advanceTo(10);
    expect(() => clock.advanceTo(9)).toThrow(/backwards/);
  });
});
