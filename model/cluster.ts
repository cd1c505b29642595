// A CloudHSM cluster as the model sees it (spec §3.5, §4): which HSMs are up, the order the KMS tries
// them in, two Availability Zones, key objects by label, replication, and one request from the KMS
// tried across the cluster's ACTIVE HSMs (failover), with the points where a fault in flight can land.
// The functions that change a cluster change the draft they are given (model/state.ts `changed`).
import { sameItems } from "../protocol/lists.ts";
import type { AttemptPoint, ModelCluster, ModelHsm, ModelState, ModelWorld } from "./state.ts";

export const isUp = (h: ModelHsm): boolean => !h.crashed && !h.zoneDown;

/** What a request to `h` hangs on in `failover`: whether it is up, and whether requests or replies are lost. */
export type Reach = Pick<ModelHsm, "crashed" | "zoneDown" | "cutTo" | "cutFrom" | "repliesLate">;

export function reachOf(h: ModelHsm): Reach {
  return { crashed: h.crashed, zoneDown: h.zoneDown, cutTo: h.cutTo, cutFrom: h.cutFrom, repliesLate: h.repliesLate ?? false };
}

/** ACTIVE HSMs in HsmId order (the order the KMS tries them, spec §3.5 [MODEL CHOICE]). */
export function upHsms(cluster: ModelCluster): ModelHsm[] {
  const up = cluster.hsms.filter(isUp);
  // A cluster's HSMs are mostly listed in that order already; sorting copies the list even then.
  for (let i = 1; i < up.length; i++) if (up[i - 1]!.hsmId > up[i]!.hsmId) return up.sort(byHsmId);
  return up;
}

const byHsmId = (a: ModelHsm, b: ModelHsm): number => (a.hsmId < b.hsmId ? -1 : a.hsmId > b.hsmId ? 1 : 0);

/** Spec §3.5: two ACTIVE HSMs in two different Availability Zones. */
export function twoActiveAzs(cluster: ModelCluster): boolean {
  return new Set(upHsms(cluster).map((h) => h.availabilityZone)).size >= 2;
}

export function clusterOf(state: ModelState, clusterId: string): ModelCluster | undefined {
  return state.clusters.find((c) => c.id === clusterId);
}

/** The label (KMS key ARN) of a key object. */
export function labelOf(object: string): string {
  return object.slice(0, object.lastIndexOf("@"));
}

/** Spec §4, keys are synchronized: a replication pass gives every running HSM what any of them holds. */
export function synchronize(cluster: ModelCluster): void {
  const running = upHsms(cluster);
  const union = [...new Set(running.flatMap((h) => h.objects))].sort();
  // An HSM that holds them all already keeps its list (a state after the pass shares what it did not change).
  for (const h of running) if (!sameItems(h.objects, union)) h.objects = union;
}

/**
 * The window after a background event is due in which it may still be on the wire: one request
 * timeout for each HSM a cluster may have. A step inside it may have happened before or after it.
 */
export function exchangeWindowUs(world: ModelWorld): number {
  return world.hsmsPerClusterMax * world.hsmRequestTimeoutUs;
}

/**
 * §4 [MODEL CHOICE] replication is asynchronous: a key object made, or an HSM come up, during a step
 * starting at `nowUs` schedules a replication pass `world.replicationDelayUs` later — unless one is
 * scheduled already, which will take it. The pass runs no earlier than `replicationAtUs` and no later
 * than `latenessUs` after it: 0 when the step takes no time (a fault step, a CloudHSM control-plane
 * call), so the pass runs exactly then; one exchange window when the step did its part at some point
 * of a KMS call (a key made, a fault landing during the call).
 */
export function scheduleReplication(world: ModelWorld, cluster: ModelCluster, nowUs: number, latenessUs: number): void {
  if (cluster.replicationAtUs !== undefined) return;
  cluster.replicationAtUs = nowUs + world.replicationDelayUs;
  cluster.replicationByUs = cluster.replicationAtUs + latenessUs;
}

/** Deletes every key object labelled `label` on every HSM of `cluster` (deletion is not replicated: it is immediate). */
export function deleteObjects(cluster: ModelCluster, label: string): boolean {
  let found = false;
  for (const h of cluster.hsms) {
    const kept = h.objects.filter((o) => labelOf(o) !== label);
    if (kept.length === h.objects.length) continue; // none here: the HSM's list stays as it was
    found = true;
    h.objects = kept;
  }
  return found;
}

/** Called before each point of each attempt; a mid-call fault lands in one of them. */
export type MidCall = (attempt: number, point: AttemptPoint, cluster: ModelCluster) => void;

/**
 * One request from the KMS, tried on the cluster's ACTIVE HSMs (as listed when it starts) in order, or
 * on the HSMs `asks` names (listed when it started, earlier: a login exchange's): a request cut on the
 * way in is not served; an HSM that is down when it would serve, or gone from the cluster, answers
 * nothing; a served one has its effects (`serve` applies them) even if its reply is cut; an answer in
 * `passOver` moves on. Returns the answer, the last passed-over one, or undefined when no reply came back.
 */
export function failover(
  cluster: ModelCluster,
  serve: (hsm: ModelHsm) => string,
  passOver: readonly string[] = [],
  midCall?: MidCall,
  asks?: readonly string[],
): string | undefined {
  let passed: string | undefined;
  const up = asks === undefined ? upHsms(cluster) : asks.map((id) => cluster.hsms.find((h) => h.hsmId === id));
  for (let i = 0; i < up.length; i++) {
    const hsm = up[i];
    midCall?.(i, "send", cluster);
    if (hsm === undefined || hsm.cutTo) continue;
    midCall?.(i, "serve", cluster);
    if (!isUp(hsm)) continue;
    const answer = serve(hsm);
    midCall?.(i, "reply", cluster);
    if (hsm.cutFrom || hsm.repliesLate === true) continue;
    if (passOver.includes(answer)) {
      passed = answer;
      continue;
    }
    return answer;
  }
  return passed;
}
