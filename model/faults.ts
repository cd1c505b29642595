// Faults as the model sees them (spec §3.2, §4, §17.1): what each does to clusters and subnets — never
// to a store's state by itself — and where one can land. A fault applied between steps may also land
// inside a connect's login exchange still on the wire, at any point of any of its HSM attempts it reaches.
import type { FaultStep } from "../protocol/step.ts";
import { scheduleReplication } from "./cluster.ts";
import { changeLandings, type Landing } from "./exchange-landing.ts";
import { armFailure } from "./service-failures.ts";
import type { ModelCluster, ModelHsm, ModelState, ModelSubnet, ModelWorld } from "./state.ts";
import { withClusters } from "./state-change.ts";

/** The HSM `hsmId` names among `clusters`' (the first, in cluster order), with its cluster. */
function namedHsm(clusters: ModelCluster[], hsmId: string | undefined): { cluster: ModelCluster; hsm: ModelHsm } | undefined {
  for (const cluster of clusters) for (const hsm of cluster.hsms) if (hsm.hsmId === hsmId) return { cluster, hsm };
  return undefined;
}

/**
 * Applies `step`, in a step starting at `nowUs`, to these (draft) clusters and subnets, in place (every
 * fault is idempotent). An HSM that comes back catches up by a replication pass (§4), scheduled from a
 * landing up to `latenessUs` after `nowUs` (0 for a fault step; a fault in flight lands during a call).
 */
export function faultInPlace(
  world: ModelWorld,
  clusters: ModelCluster[],
  subnets: ModelSubnet[],
  step: FaultStep,
  nowUs: number,
  latenessUs: number,
): void {
  const named = namedHsm(clusters, step.hsm);
  switch (step.fault) {
    case "hsm-crash":
      if (named !== undefined) named.hsm.crashed = true;
      break;
    case "hsm-restore":
      if (named !== undefined) {
        named.hsm.crashed = false;
        scheduleReplication(world, named.cluster, nowUs, latenessUs);
      }
      break;
    case "partition":
      if (named !== undefined) {
        const direction = step.direction ?? "both";
        if (direction !== "from-hsm") named.hsm.cutTo = true;
        if (direction !== "to-hsm") named.hsm.cutFrom = true;
      }
      break;
    case "slow-hsm":
      // [MODEL CHOICE] a slow HSM does the work at its usual pace and is slow to answer: a late reply is a lost one.
      if (named !== undefined) named.hsm.repliesLate = (step.factor ?? 1) >= world.lateFactorMin;
      break;
    case "heal":
      for (const c of clusters) for (const h of c.hsms) if (step.hsm === undefined || h.hsmId === step.hsm) h.cutTo = h.cutFrom = false;
      break;
    case "az-outage":
    case "az-restore":
      for (const c of clusters) {
        const hit = c.hsms.filter((h) => h.availabilityZone === step.az);
        for (const h of hit) h.zoneDown = step.fault === "az-outage";
        if (step.fault === "az-restore" && hit.length > 0) scheduleReplication(world, c, nowUs, latenessUs);
      }
      break;
    case "service-failure":
      break; // it touches no cluster or subnet (see applyFault)
    case "subnet-delete":
    case "subnet-full":
    case "subnet-restore":
      for (const s of subnets) {
        if (s.subnetId !== step.subnet) continue;
        if (step.fault === "subnet-delete") s.deleted = true;
        if (step.fault === "subnet-full") s.full = true;
        if (step.fault === "subnet-restore") s.deleted = s.full = false;
      }
      break;
  }
}

/**
 * Can `step` change `cluster` (see `faultInPlace`)? Only when the cluster holds the HSM the fault names,
 * or an HSM in the zone it names; a heal naming no HSM may change any cluster. A subnet fault or a
 * service failure changes no cluster.
 */
export function touches(step: FaultStep, cluster: ModelCluster): boolean {
  switch (step.fault) {
    case "hsm-crash":
    case "hsm-restore":
    case "partition":
    case "slow-hsm":
      return cluster.hsms.some((h) => h.hsmId === step.hsm);
    case "heal":
      return step.hsm === undefined || cluster.hsms.some((h) => h.hsmId === step.hsm);
    case "az-outage":
    case "az-restore":
      return cluster.hsms.some((h) => h.availabilityZone === step.az);
    case "service-failure":
    case "subnet-delete":
    case "subnet-full":
    case "subnet-restore":
      return false;
  }
}

const SUBNET_FAULTS: readonly FaultStep["fault"][] = ["subnet-delete", "subnet-full", "subnet-restore"];

/**
 * `state` with the fault applied (§3.2, §17.1: it changes the world, never a store's state by itself); a
 * service failure is armed at its service's front door instead (model/service-failures.ts). Only the
 * clusters the fault touches are copied; the rest stay shared with `state`.
 */
export function applyFault(world: ModelWorld, state: ModelState, step: FaultStep, nowUs: number, latenessUs: number): ModelState {
  if (step.fault === "service-failure") return armFailure(state, step);
  return withClusters(
    state,
    (cluster) => touches(step, cluster),
    SUBNET_FAULTS.includes(step.fault),
    (clusters, subnets) => faultInPlace(world, clusters, subnets, step, nowUs, latenessUs),
  );
}

/**
 * The states a fault can leave: applied to `state`, and — where a connect's login exchange may still
 * be on the wire (§3.2) — landed at each point of each HSM attempt the exchange reaches
 * (model/exchange-landing.ts `changeLandings`).
 */
export function faultLandings(world: ModelWorld, state: ModelState, step: FaultStep, nowUs: number, latenessUs: number): Landing[] {
  const plain = applyFault(world, state, step, nowUs, latenessUs);
  if (step.fault === "service-failure") return [{ state: plain, why: undefined }]; // it touches no cluster: no login exchange meets it
  return changeLandings(world, state, plain, nowUs, (cluster) => touches(step, cluster), step.fault);
}
