// The reference model's state before the first step (§2, §4): the world's clusters (the first ACTIVE,
// kmsuser made, its HSMs running; the others ACTIVE too, each of its own lineage; the uninitialized
// ones), its subnets, the principals' identity policies and tags, and nothing else yet. Every part is
// made through its copy (model/copies.ts), as every later one is: one shape of each kind.
import { packedMap } from "../protocol/packed-map.ts";
import { clusterCopy, hsmCopy, stateCopy } from "./copies.ts";
import { frozen } from "./frozen.ts";
import type { ModelCluster, ModelState, ModelSubnet, ModelWorld } from "./state.ts";

/** The HSM type of the clusters the world starts with [MODEL CHOICE, a convention the world shares]. */
const WORLD_HSM_TYPE = "hsm1.medium";

/** A cluster the world starts with: ACTIVE, the first of its lineage, kmsuser made, its HSMs running. */
function activeCluster(c: Pick<ModelWorld, "clusterId" | "trustAnchor" | "kmsuserPassword" | "hsms">): ModelCluster {
  return clusterCopy({
    id: c.clusterId,
    state: "ACTIVE",
    hsmType: WORLD_HSM_TYPE,
    lineage: c.clusterId,
    trustAnchor: c.trustAnchor,
    subnetMapping: Object.fromEntries(c.hsms.map((h) => [h.availabilityZone, h.subnetId])),
    hsms: packedMap(c.hsms, ({ hsmId, availabilityZone, subnetId }) =>
      hsmCopy({ hsmId, availabilityZone, subnetId, crashed: false, zoneDown: false, cutTo: false, cutFrom: false, objects: [] }),
    ),
    users: { kmsuser: { password: c.kmsuserPassword, session: null, failedLogins: 0 } },
  });
}

export function initialState(world: ModelWorld): ModelState {
  // Every subnet an HSM of the world names, once, in the order the clusters list them.
  const subnets: ModelSubnet[] = [];
  for (const h of [world, ...world.otherClusters].flatMap((c) => c.hsms))
    if (!subnets.some((s) => s.subnetId === h.subnetId))
      subnets.push({ subnetId: h.subnetId, availabilityZone: h.availabilityZone, deleted: false, full: false });
  // An uninitialized cluster maps every subnet (by zone), as a CreateCluster naming them all does (model/cluster-request.ts).
  const subnetMapping = Object.fromEntries(subnets.map((s) => [s.availabilityZone, s.subnetId]));
  return frozen<ModelState>(
    stateCopy({
      clusters: [
        activeCluster(world),
        ...packedMap(world.otherClusters, activeCluster),
        ...packedMap(world.uninitializedClusterIds, (id) =>
          clusterCopy({
            id,
            state: "UNINITIALIZED",
            hsmType: WORLD_HSM_TYPE,
            lineage: id,
            trustAnchor: "",
            subnetMapping,
            hsms: [],
            users: {},
          }),
        ),
      ],
      subnets,
      backups: [],
      rotations: 0,
      serviceLinkedRole: false,
      identityPolicies: Object.fromEntries(
        Object.values(world.principals).map((p) => [
          p.arn,
          Object.fromEntries(Object.entries(p.policies ?? {}).map(([n, d]) => [n, JSON.stringify(d)])),
        ]),
      ),
      principalTags: Object.fromEntries(Object.values(world.principals).map((p) => [p.arn, { ...p.tags }])),
      stores: [],
      keys: [],
      aliases: [],
      grants: [],
      retiredGrants: [],
      grantTokens: {},
      deletedKeys: [],
      backingDeletions: [],
      storeRequests: {},
      ciphertexts: {},
    }),
  );
}
