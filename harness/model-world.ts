// The reference model's view of a scenario's world: its constants and timing in the model's units.
import type { ModelWorld } from "../model/state.ts";
import { lateFactorMin } from "../sim/config.ts";
import type { Scenario } from "./scenario.ts";
import { packedMap } from "../protocol/packed-map.ts";

const sharedWorlds = new WeakMap<Scenario, ModelWorld>();

/**
 * `modelWorld(scenario)`, made once per scenario object and shared by its runs (which read it, never
 * write it): every seed's model then starts from the same initial state (harness/model-follower.ts),
 * and what the model remembers per state or per policy set holds across seeds.
 */
export function sharedModelWorld(scenario: Scenario): ModelWorld {
  let world = sharedWorlds.get(scenario);
  if (world === undefined) sharedWorlds.set(scenario, (world = Object.freeze(modelWorld(scenario))));
  return world;
}

export function modelWorld(scenario: Scenario): ModelWorld {
  const { world, timing } = scenario;
  return {
    region: world.region,
    account: world.account,
    partnerAccount: world.partnerAccount,
    epochMs: world.epochMs,
    principals: world.principals,
    clusterId: world.cluster.clusterId,
    trustAnchor: world.cluster.trustAnchor,
    kmsuserPassword: world.cluster.kmsuserPassword,
    hsms: packedMap(world.cluster.hsms, (h) => ({ hsmId: h.hsmId, availabilityZone: h.availabilityZone, subnetId: h.subnetId })),
    otherClusters: packedMap(world.otherClusters, (c) => ({
      clusterId: c.clusterId,
      trustAnchor: c.trustAnchor,
      kmsuserPassword: c.kmsuserPassword,
      hsms: packedMap(c.hsms, (h) => ({ hsmId: h.hsmId, availabilityZone: h.availabilityZone, subnetId: h.subnetId })),
    })),
    uninitializedClusterIds: [...world.uninitializedClusterIds],
    connectDelayUs: timing.connectDelayMs * 1000,
    connectExchangeUs: timing.connectExchangeMs * 1000,
    disconnectDelayUs: timing.disconnectDelayMs * 1000,
    hsmRequestTimeoutUs: timing.hsmRequestTimeoutMs * 1000,
    replicationDelayUs: timing.replicationDelayMs * 1000,
    lateFactorMin: lateFactorMin(timing),
    grantPropagationUsMax: timing.grantPropagationMsMax * 1000,
    clusterDeletionUs: timing.clusterDeletionMs * 1000,
    hsmsPerClusterMax: world.hsmsPerClusterMax,
    storeRequestsPerSecond: scenario.quotas.storeRequestsPerSecond,
    grantsPerKey: scenario.quotas.grantsPerKey,
    customKeyStoresPerAccount: scenario.quotas.customKeyStoresPerAccount,
  };
}
