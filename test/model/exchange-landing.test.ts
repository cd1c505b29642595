// Changes landing inside a connect's login exchange (model/exchange-landing.ts, spec §3.2, §3.4): every
// fault and CloudHSM control-plane call made at one instant meets the exchange at the same point, so
// the answers the world gives when two of them come together are among the model's; an exchange a
// change landed in runs once time moves on, or before an operator action reads the crypto users.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { initialState } from "../../model/initial-state.ts";
import { modelStep } from "../../model/model.ts";
import { settle } from "../../model/settle.ts";
import type { ModelState } from "../../model/state.ts";
import { changed } from "../../model/state-change.ts";
import { dedupeStructural } from "../../protocol/structural.ts";
import type { FaultStep, Outcome, Step } from "../../protocol/step.ts";

const scenario = loadScenario("default");
const world = modelWorld(scenario);
const fresh = initialState(world);
const cluster = fresh.clusters[0]!;
const [first, second] = cluster.hsms.map((h) => h.hsmId) as [string, string];
const exchangeAtUs = 5_000_000;
/** An instant inside the exchange, before its result is published. */
const duringUs = exchangeAtUs + 2_000;

/** A store on each of `clusters` connecting since 0, its login exchange due at `exchangeAtUs`. */
function connecting(clusters = [cluster]): ModelState {
  return changed(fresh, (state) => {
    state.stores = clusters.map((c, i) => ({
      id: `cks-${String(i).padStart(17, "0")}`,
      account: world.account,
      name: `store-${i}`,
      clusterId: c.id,
      lineage: c.lineage,
      trustAnchor: c.trustAnchor,
      password: scenario.world.cluster.kmsuserPassword,
      state: "CONNECTING",
      creationUs: 0,
      pending: { kind: "connect", exchangeAtUs, publishAtUs: exchangeAtUs + world.connectExchangeUs, asks: undefined },
    }));
  });
}

/** Every state `steps` may leave, taken in turn at `nowUs` from the states settled then (each call answered ok). */
function after(states: ModelState[], steps: Step[], nowUs: number): ModelState[] {
  let now = dedupeStructural(states.flatMap((s) => settle(world, s, nowUs)));
  for (const step of steps) {
    const answered = (s: ModelState) =>
      modelStep(world, s, step, nowUs).map((b) => b.next({ ok: true, output: b.outcome.ok ? b.outcome.output : {} } as Outcome));
    now = dedupeStructural(now.flatMap(answered));
  }
  return now;
}

/** How the connect may end: CONNECTED, or FAILED with its error code. */
function endings(states: ModelState[]): string[] {
  const settled = states.flatMap((s) => settle(world, s, exchangeAtUs + 10_000_000));
  const ends = settled.map((s) => s.stores[0]!.errorCode ?? s.stores[0]!.state);
  return [...new Set(ends)].sort();
}

const deleteHsm = (HsmId: string): Step => ({ call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId: cluster.id, HsmId } });
const pendingLanded = (s: ModelState) => s.stores[0]!.pending?.kind === "connect" && s.stores[0]!.pending.landed !== undefined;

describe("changes landing inside a connect's login exchange", () => {
  it("lets every HSM deleted at one instant meet the exchange at one point: no answer at all", () => {
    const ends = endings(after([connecting()], [deleteHsm(first), deleteHsm(second)], duringUs));
    // After the exchange ended, or within it: then neither HSM answers. It started before this instant,
    // so the deletions cannot come before it.
    expect(ends).toEqual(["CONNECTED", "NETWORK_ERRORS"]);
    // At the very instant it starts, too: the world starts an exchange due at an instant before any step
    // at it, so its checks (an ACTIVE HSM among them) have passed when the deletions come.
    const atStart = endings(after([connecting()], [deleteHsm(first), deleteHsm(second)], exchangeAtUs));
    expect(atStart).toEqual(["CONNECTED", "NETWORK_ERRORS"]);
  });

  it("makes an exchange's checks as it starts: a subnet filled while its login is on the wire does not fail it", () => {
    const full: FaultStep = { fault: "subnet-full", subnet: Object.values(cluster.subnetMapping)[0]! };
    expect(endings(after([connecting()], [full], duringUs))).toEqual(["CONNECTED"]);
    // Filled before it starts, the exchange fails its checks, and only so.
    expect(endings(after(after([connecting()], [full], exchangeAtUs - 1), [], duringUs))).toEqual([
      "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET",
    ]);
  });

  it("lets faults at one instant meet the exchange at one point: a login served before both lifts", () => {
    // Both HSMs slow since before the exchange; both lifted at one instant within it. The first serves
    // the login and its late reply is lost; the second, answering in time by then, finds kmsuser logged in.
    const slow = (hsm: string, factor: number): FaultStep => ({ fault: "slow-hsm", hsm, factor });
    const slowed = after([connecting()], [slow(first, 132), slow(second, 132)], 1_000);
    const ends = endings(after(slowed, [slow(first, 1), slow(second, 1)], duringUs));
    expect(ends).toContain("USER_LOGGED_IN");
  });

  it("lands a change in every exchange it meets: two connects on clusters sharing a zone, the zone out", () => {
    const shared = fresh.clusters.filter((c) => c.hsms.some((h) => h.availabilityZone === "us-east-1c"));
    expect(shared).toHaveLength(2);
    const outage: FaultStep = { fault: "az-outage", az: "us-east-1c" };
    const states = after([connecting(shared)], [outage], duringUs);
    const bothLanded = (s: ModelState) => s.stores.every((x) => x.pending?.kind === "connect" && x.pending.landed !== undefined);
    expect(states.some(bothLanded)).toBe(true);
  });

  it("keeps a landed exchange for the rest of its instant and runs it once time moves on", () => {
    const landed = after([connecting()], [deleteHsm(first)], duringUs);
    expect(landed.some(pendingLanded)).toBe(true);
    expect(landed.flatMap((s) => settle(world, s, duringUs)).some(pendingLanded)).toBe(true);
    expect(landed.flatMap((s) => settle(world, s, duringUs + 1)).some(pendingLanded)).toBe(false);
  });

  it("lets an operator action at that instant come before the exchange's login or after it", () => {
    const landed = after([connecting()], [deleteHsm(first)], duringUs);
    expect(landed.some(pendingLanded)).toBe(true);
    const change: Step = {
      call: "hsm:ChangePassword",
      as: "admin",
      input: { ClusterId: cluster.id, Username: "kmsuser", NewPassword: "kmsuserPass1" },
    };
    const branches = landed.flatMap((s) => modelStep(world, s, change, duringUs));
    const answers = new Set(branches.map((b) => (b.outcome.ok ? "ok" : b.outcome.error.name)));
    // After the login, kmsuser is logged in and its password cannot change; before it, it can.
    expect([...answers].sort()).toEqual(["HsmUserLoggedInException", "ok"]);
    const states = branches.map((b) => b.next({ ok: true, output: {} } as Outcome));
    expect(states.some(pendingLanded)).toBe(true);
    expect(states.every(pendingLanded)).toBe(false);
  });
});
