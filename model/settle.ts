// Background settling (spec §3.2, §4, §5.4, §12): what happens between steps on the virtual clock — a
// connect's procedure run and its result published, a disconnect finishing, a key deleted at its
// deletion date with its material deleted best effort, a replication pass, a retired grant's
// propagation window closing. An event still on the wire when a step starts may have happened before
// or after it: both states are kept, and the runner keeps those that agree with the world.
import { flatMap } from "../protocol/flat-map.ts";
import { clusterOf, deleteObjects, exchangeWindowUs, failover, synchronize, upHsms } from "./cluster.ts";
import { exchangeChecks, runExchange } from "./keystores.ts";
import type { ModelState, ModelWorld } from "./state.ts";
import { changed, edit, withCluster, withStore } from "./state-change.ts";

/** A background event due by the time being settled, applied to each state it still applies to. */
interface Due {
  atUs: number;
  apply: (s: ModelState) => ModelState[];
}

/** §4: `state` after the KMS's best-effort deletion of a deleted key's key objects, by failover. */
function deleteMaterial(state: ModelState, clusterId: string, label: string): ModelState {
  if (clusterOf(state, clusterId) === undefined) return state;
  return withCluster(state, clusterId, (cluster) => {
    failover(cluster, () => {
      if (cluster.users["kmsuser"]?.session !== "kms") return "NOT_LOGGED_IN";
      deleteObjects(cluster, label);
      return "ok";
    });
  });
}

/** `state` after the replication pass scheduled in cluster `clusterId` has run (§4). */
export function replicated(state: ModelState, clusterId: string): ModelState {
  return withCluster(state, clusterId, (cluster) => {
    cluster.replicationAtUs = cluster.replicationByUs = undefined;
    synchronize(cluster);
  });
}

/** Both orders while an event due at `atUs` may still be on the wire at `nowUs`; only `done` after. */
function onTheWire(world: ModelWorld, atUs: number, nowUs: number, before: ModelState, done: ModelState): ModelState[] {
  return nowUs < atUs + exchangeWindowUs(world) ? [before, done] : [done];
}

/** The events of `state` due at `nowUs`, in time order. */
function dueEvents(world: ModelWorld, state: ModelState, nowUs: number): Due[] {
  const due: Due[] = [];
  for (const { id, pending } of state.stores) {
    if (pending?.kind === "disconnect" && nowUs >= pending.doneAtUs) {
      due.push({
        atUs: pending.doneAtUs,
        apply: (s) => {
          if (s.stores.find((y) => y.id === id)?.pending?.kind !== "disconnect") return [s];
          return [
            withStore(s, id, (x) => {
              x.state = "DISCONNECTED"; // §3.2
              x.pending = undefined;
            }),
          ];
        },
      });
    }
    if (pending?.kind === "connect" && pending.result === undefined && nowUs >= pending.exchangeAtUs) {
      due.push({
        atUs: pending.landed?.atUs ?? pending.exchangeAtUs,
        apply: (s) => {
          const p = s.stores.find((y) => y.id === id)?.pending;
          if (p?.kind !== "connect" || p.result !== undefined) return [s];
          // One that changes landed in runs once their instant is over (model/exchange-landing.ts).
          if (p.landed !== undefined && nowUs === p.landed.atUs) return [s];
          const run = (from: ModelState) => edit(from, (next) => runExchange(next, id));
          if (p.landed !== undefined) return [run(s)];
          // Any other, inside its window, may not have run yet as far as this step is concerned — but its
          // checks were made as it started, on the state as it is now (no step has come since): failing,
          // it is decided there and then; passing, only its login is still on the wire, to the HSMs read
          // now (`asks`), and they are not made again when it runs.
          let started = s;
          if (p.asks === undefined) {
            const store = s.stores.find((y) => y.id === id)!;
            if (exchangeChecks(s, store) !== undefined) return [run(s)];
            const asks = upHsms(clusterOf(s, store.clusterId)!).map((h) => h.hsmId); // the HSMs the login asks, read now
            started = withStore(s, id, (x) => void (x.pending = { ...p, asks }));
          }
          return onTheWire(world, p.exchangeAtUs, nowUs, started, run(started));
        },
      });
    }
    if (pending?.kind === "connect" && nowUs >= pending.publishAtUs) {
      due.push({
        atUs: pending.publishAtUs,
        apply: (s) => {
          const p = s.stores.find((y) => y.id === id)?.pending;
          if (p?.kind !== "connect" || p.result === undefined) return [s];
          const result = p.result;
          return [
            withStore(s, id, (x) => {
              x.state = result === "CONNECTED" ? "CONNECTED" : "FAILED"; // §3.2, §3.3
              if (result !== "CONNECTED") x.errorCode = result;
              x.pending = undefined;
            }),
          ];
        },
      });
    }
  }
  for (const { arn, deletionAtUs } of state.keys) {
    if (deletionAtUs === undefined || nowUs < deletionAtUs) continue;
    due.push({
      atUs: deletionAtUs,
      apply: (s) => {
        const key = s.keys.find((k) => k.arn === arn);
        if (key?.deletionAtUs !== deletionAtUs) return [s];
        // §5.4: the key and all the KMS holds of it go; §4: the material is deleted best effort, only
        // through a CONNECTED store — otherwise it is orphaned.
        const gone = changed(s, (next) => {
          next.keys = next.keys.filter((k) => k.arn !== arn);
          next.aliases = next.aliases.filter((a) => a.targetArn !== arn); // §6.1: deleting a key deletes its aliases
          next.grants = next.grants.filter((g) => g.keyArn !== arn); // and its grants (§5.4)
          next.deletedKeys = [...next.deletedKeys, arn];
        });
        const store = gone.stores.find((x) => x.id === key.storeId);
        if (store?.state !== "CONNECTED" || clusterOf(gone, store.clusterId) === undefined) return [gone];
        const done = deleteMaterial(gone, store.clusterId, arn);
        // Still on the wire as far as this step is concerned: done, or done later (at the next settle).
        const pending = { label: arn, clusterId: store.clusterId, atUs: deletionAtUs };
        const later = changed(gone, (next) => void (next.backingDeletions = [...next.backingDeletions, pending]));
        return onTheWire(world, deletionAtUs, nowUs, later, done);
      },
    });
  }
  for (const { label, clusterId, atUs } of state.backingDeletions) {
    due.push({
      atUs,
      apply: (s) => {
        if (!s.backingDeletions.some((d) => d.label === label)) return [s];
        const taken = changed(s, (next) => void (next.backingDeletions = next.backingDeletions.filter((d) => d.label !== label)));
        const done = deleteMaterial(taken, clusterId, label);
        return onTheWire(world, atUs, nowUs, s, done);
      },
    });
  }
  for (const { id: clusterId, replicationAtUs: atUs } of state.clusters) {
    if (atUs === undefined || nowUs < atUs) continue;
    // Run for certain once its latest time has come (a pass a step that took no time scheduled runs
    // exactly at `atUs`, before any event a later step queued for that instant); until then, maybe not.
    due.push({
      atUs,
      apply: (s) => {
        const cluster = clusterOf(s, clusterId);
        if (cluster?.replicationAtUs !== atUs) return [s];
        const byUs = cluster.replicationByUs;
        if (byUs === undefined) throw new Error(`model: cluster ${clusterId}'s replication pass has no latest time`);
        return nowUs >= byUs ? [replicated(s, clusterId)] : [s, replicated(s, clusterId)];
      },
    });
  }
  // §4: a cluster being deleted is gone at its time.
  for (const { id: clusterId, goneAtUs } of state.clusters) {
    if (goneAtUs === undefined || nowUs < goneAtUs) continue;
    due.push({
      atUs: goneAtUs,
      apply: (s) => [changed(s, (next) => void (next.clusters = next.clusters.filter((c) => c.id !== clusterId)))],
    });
  }
  // §12: a retired grant past the longest propagation delay authorizes no more.
  for (const { grant, retiredUs } of state.retiredGrants) {
    const atUs = retiredUs + world.grantPropagationUsMax;
    if (nowUs < atUs) continue;
    due.push({
      atUs,
      apply: (s) => [changed(s, (next) => void (next.retiredGrants = next.retiredGrants.filter((r) => r.grant.id !== grant.id)))],
    });
  }
  return due.sort((a, b) => a.atUs - b.atUs);
}

/** When the first event `state` holds scheduled comes due (µs; Infinity when it holds none): what `dueEvents` reads. */
function firstDueUs(world: ModelWorld, state: ModelState): number {
  // Indexed loops: this runs for every state at every settle and mostly finds nothing due; its for-of
  // loops were ~3% of a warm step's allocation in iterator results (tools/alloc-profile.mjs).
  const { stores, keys, clusters, retiredGrants } = state;
  let atUs = Infinity;
  for (let i = 0; i < stores.length; i++) {
    const pending = stores[i]!.pending;
    if (pending?.kind === "disconnect") atUs = Math.min(atUs, pending.doneAtUs);
    if (pending?.kind === "connect") atUs = Math.min(atUs, pending.result === undefined ? pending.exchangeAtUs : pending.publishAtUs);
  }
  for (let i = 0; i < keys.length; i++) atUs = Math.min(atUs, keys[i]!.deletionAtUs ?? Infinity);
  if (state.backingDeletions.length > 0) return -Infinity; // due at once
  for (let i = 0; i < clusters.length; i++)
    atUs = Math.min(atUs, clusters[i]!.replicationAtUs ?? Infinity, clusters[i]!.goneAtUs ?? Infinity);
  for (let i = 0; i < retiredGrants.length; i++) atUs = Math.min(atUs, retiredGrants[i]!.retiredUs + world.grantPropagationUsMax);
  return atUs;
}

/**
 * §4: a replication pass runs a replication delay after the step part that scheduled it, and every
 * step that could have scheduled one is over by `nowUs`: a pending pass runs by `nowUs` plus the delay
 * at the latest. So the latest time a call gave a pass it scheduled at some point under way (a key made,
 * a fault in flight landing) shrinks to what the call really took once its end is known — to the pass's
 * own time when it took none.
 */
function passesBoundedBy(world: ModelWorld, state: ModelState, nowUs: number): ModelState {
  const latestUs = nowUs + world.replicationDelayUs;
  let bounded = state;
  const clusters = state.clusters; // an indexed loop, as in firstDueUs: this runs for every state at every settle
  for (let i = 0; i < clusters.length; i++) {
    const { id, replicationByUs } = clusters[i]!;
    if (replicationByUs !== undefined && replicationByUs > latestUs)
      bounded = withCluster(bounded, id, (c) => void (c.replicationByUs = latestUs));
  }
  return bounded;
}

/**
 * Settles every background event due at `nowUs`, in time order. Where a step may have come before an
 * event still on the wire, both orders are kept, so the result can be more than one state.
 */
export function settle(world: ModelWorld, state: ModelState, nowUs: number): ModelState[] {
  const clockAtLeastUs = state.clockAtLeastUs;
  if (clockAtLeastUs !== undefined) {
    if (nowUs < clockAtLeastUs) return []; // a pass ran during a call that ended before the pass's time
    state = changed(state, (next) => void (next.clockAtLeastUs = undefined));
  }
  state = passesBoundedBy(world, state, nowUs);
  if (nowUs < firstDueUs(world, state)) return [state];
  let states = [state];
  for (const event of dueEvents(world, state, nowUs)) states = flatMap(states, event.apply);
  return states;
}
