// The failover a KMS call waits on (sim/kms/hsm-failover.ts): the ACTIVE HSMs asked in turn, the first
// answer not passed over taken, the last passed-over answer when no HSM gives another, undefined when
// none answers at all — each HSM asked only once the one before has ended.
import { describe, expect, it } from "vitest";
import { spawn, type Proc, type Resumable, type Waiter } from "../../../sim/kernel/process.ts";
import type { VirtualCluster } from "../../../sim/hsm/cluster.ts";
import type { HsmRequest, HsmResponse } from "../../../sim/hsm/messages.ts";
import { HsmFailover, type HsmAnswer } from "../../../sim/kms/hsm-failover.ts";

/** A cluster whose ACTIVE HSMs are `ids`. */
const clusterOf = (ids: string[]) => ({ activeHsms: () => ids.map((id) => ({ id })) }) as unknown as VirtualCluster;

/** An asker whose HSMs answer from `answers` (none listed: no answer), each exchange ended by `end()`. */
function asker(answers: Record<string, HsmAnswer>) {
  const asked: string[] = [];
  let pending: (() => void) | undefined;
  return {
    asked,
    request: (_cluster: VirtualCluster, hsmId: string, _request: HsmRequest): Waiter => ({
      wait: (process: Resumable, ticket: number) => {
        asked.push(hsmId);
        pending = () => process.resume(ticket, answers[hsmId]);
      },
    }),
    /** Ends the exchange in progress (as its reply or its timeout would). */
    end: () => {
      const end = pending!;
      pending = undefined;
      end();
    },
    get waiting() {
      return pending !== undefined;
    },
  };
}

const MISSING: HsmResponse = { ok: false, code: "KEY_NOT_FOUND" };
const FOUND: HsmResponse = { ok: true, bytes: new Uint8Array([1]) };

/** Runs a process that waits on `failover`; the result once it has one. */
function waitOn(failover: Waiter) {
  const got: { answer?: HsmAnswer; done: boolean } = { done: false };
  spawn(
    (function* (): Proc<void> {
      got.answer = (yield failover) as HsmAnswer;
      got.done = true;
    })(),
    () => undefined,
  );
  return got;
}

describe("HsmFailover", () => {
  it("asks the HSMs in turn past silence and passed-over answers, and takes the first other answer", () => {
    const hsms = asker({ "hsm-b": MISSING, "hsm-c": FOUND, "hsm-d": FOUND });
    const got = waitOn(
      new HsmFailover(hsms, clusterOf(["hsm-a", "hsm-b", "hsm-c", "hsm-d"]), { op: "Encrypt" } as HsmRequest, ["KEY_NOT_FOUND"]),
    );
    expect(hsms.asked).toEqual(["hsm-a"]); // one at a time
    hsms.end(); // hsm-a: no answer
    expect(hsms.asked).toEqual(["hsm-a", "hsm-b"]);
    hsms.end(); // hsm-b: lacks the key, passed over
    expect(got.done).toBe(false);
    hsms.end(); // hsm-c: the answer
    expect(got).toEqual({ answer: FOUND, done: true });
    expect(hsms.asked).toEqual(["hsm-a", "hsm-b", "hsm-c"]);
    expect(hsms.waiting).toBe(false);
  });

  it("answers the last passed-over answer when no HSM gives another, and undefined when none answers", () => {
    const missing = asker({ "hsm-a": MISSING });
    const passedOver = waitOn(new HsmFailover(missing, clusterOf(["hsm-a", "hsm-b"]), { op: "Decrypt" } as HsmRequest, ["KEY_NOT_FOUND"]));
    missing.end();
    missing.end();
    expect(passedOver).toEqual({ answer: MISSING, done: true });
    const silent = asker({});
    const none = waitOn(new HsmFailover(silent, clusterOf(["hsm-a"]), { op: "Logout" } as HsmRequest, []));
    silent.end();
    expect(none).toEqual({ answer: undefined, done: true });
  });

  it("takes an answer not listed to pass over, even a failure", () => {
    const hsms = asker({ "hsm-a": MISSING });
    const got = waitOn(new HsmFailover(hsms, clusterOf(["hsm-a", "hsm-b"]), { op: "Encrypt" } as HsmRequest, []));
    hsms.end();
    expect(got).toEqual({ answer: MISSING, done: true });
    expect(hsms.asked).toEqual(["hsm-a"]);
  });

  it("answers undefined at once when the cluster has no ACTIVE HSM", () => {
    const hsms = asker({});
    expect(waitOn(new HsmFailover(hsms, clusterOf([]), { op: "Encrypt" } as HsmRequest, []))).toEqual({ answer: undefined, done: true });
    expect(hsms.asked).toEqual([]);
  });

  it("crashes when resumed by an exchange not in progress", () => {
    const failover = new HsmFailover(asker({}), clusterOf(["hsm-a"]), { op: "Encrypt" } as HsmRequest, []);
    waitOn(failover);
    expect(() => failover.resume(2, undefined)).toThrow(/not in progress/);
  });
});
