// The clusters a scenario's world starts with, read from its file: the world's own (`cluster`), the
// ACTIVE clusters of other lineages (`otherClusters`, so an account can hold more than one custom key
// store, spec §3.4) and the ones created but never initialized (`uninitializedClusterIds`, spec §3.5).
// Every subnet any of them names is the world's; `worldSubnets` lists them for the CreateCluster calls the
// generator makes (a cluster made later names some or all of them), `clusterLike` those of one cluster.
import type { Json } from "../protocol/step.ts";
import type { ClusterSpec, WorldSpec } from "../sim/config.ts";
import type { HsmSpec } from "../sim/hsm/cluster.ts";
import type { Reader } from "./scenario-reader.ts";

/** CloudHSMv2's ClusterId pattern. */
const CLUSTER_ID = /^cluster-[2-7a-zA-Z]{11,16}$/;

export function readCluster(r: Reader, v: Json | undefined, path: string): ClusterSpec {
  const cluster = r.only(v, path, ["clusterId", "trustAnchor", "kmsuserPassword", "hsms"]);
  const hsmsRaw = cluster["hsms"];
  const hsmsIn = Array.isArray(hsmsRaw) && hsmsRaw.length > 0 ? hsmsRaw : r.fail(`${path}.hsms`, "must be a non-empty list");
  const hsms: HsmSpec[] = hsmsIn.map((h, i) => {
    const o = r.only(h, `${path}.hsms.${i}`, ["hsmId", "availabilityZone", "subnetId"]);
    return {
      hsmId: r.string(o["hsmId"], `${path}.hsms.${i}.hsmId`),
      availabilityZone: r.string(o["availabilityZone"], `${path}.hsms.${i}.availabilityZone`),
      subnetId: r.string(o["subnetId"], `${path}.hsms.${i}.subnetId`),
    };
  });
  const clusterId = r.string(cluster["clusterId"], `${path}.clusterId`);
  if (!CLUSTER_ID.test(clusterId)) r.fail(`${path}.clusterId`, `not a cluster id (cluster-[2-7a-zA-Z]{11,16}): ${clusterId}`);
  return {
    clusterId,
    trustAnchor: r.string(cluster["trustAnchor"], `${path}.trustAnchor`),
    kmsuserPassword: r.string(cluster["kmsuserPassword"], `${path}.kmsuserPassword`),
    hsms,
  };
}

/** The world's other clusters and uninitialized cluster ids, checked against its own cluster. */
export function readOtherClusters(
  r: Reader,
  world: Record<string, Json>,
  own: ClusterSpec,
): { otherClusters: ClusterSpec[]; uninitializedClusterIds: string[] } {
  const othersIn = world["otherClusters"] ?? [];
  if (!Array.isArray(othersIn)) return r.fail("world.otherClusters", "must be a list of clusters");
  const otherClusters = othersIn.map((c, i) => readCluster(r, c, `world.otherClusters.${i}`));
  const idsIn = world["uninitializedClusterIds"] ?? [];
  if (!Array.isArray(idsIn)) return r.fail("world.uninitializedClusterIds", "must be a list of cluster ids");
  const uninitializedClusterIds = idsIn.map((v, i) => {
    const id = r.string(v, `world.uninitializedClusterIds.${i}`);
    if (!CLUSTER_ID.test(id)) r.fail(`world.uninitializedClusterIds.${i}`, `not a cluster id: ${id}`);
    return id;
  });
  const ids = [own.clusterId, ...otherClusters.map((c) => c.clusterId), ...uninitializedClusterIds];
  if (new Set(ids).size !== ids.length) r.fail("world", "cluster ids must be distinct");
  const hsmIds = [own, ...otherClusters].flatMap((c) => c.hsms.map((h) => h.hsmId));
  if (new Set(hsmIds).size !== hsmIds.length) r.fail("world", "HSM ids must be distinct across clusters");
  // One VPC: a subnet is in one Availability Zone, whichever cluster's HSM names it.
  const subnets = new Map(own.hsms.map((h) => [h.subnetId, h.availabilityZone]));
  otherClusters.forEach((c, i) =>
    c.hsms.forEach((h, j) => {
      if ((subnets.get(h.subnetId) ?? h.availabilityZone) !== h.availabilityZone)
        r.fail(
          `world.otherClusters.${i}.hsms.${j}.subnetId`,
          `subnet ${h.subnetId} is in ${subnets.get(h.subnetId)} elsewhere in the world`,
        );
      subnets.set(h.subnetId, h.availabilityZone);
    }),
  );
  return { otherClusters, uninitializedClusterIds };
}

/** The HSM type the harness's CreateCluster calls ask for where they mean to succeed (the world's clusters are of it too). */
export const HSM_TYPE = "hsm1.medium";

/** Every subnet the world's clusters name, once, in the order they name them, with its Availability Zone. */
export function worldSubnets(world: Pick<WorldSpec, "cluster" | "otherClusters">): { subnetId: string; availabilityZone: string }[] {
  const subnets = new Map<string, string>();
  for (const h of [world.cluster, ...world.otherClusters].flatMap((c) => c.hsms))
    if (!subnets.has(h.subnetId)) subnets.set(h.subnetId, h.availabilityZone);
  return [...subnets].map(([subnetId, availabilityZone]) => ({ subnetId, availabilityZone }));
}

/** One subnet per Availability Zone of `subnets` (the first named there): SubnetIds CreateCluster accepts. */
export function onePerZone(subnets: readonly { subnetId: string; availabilityZone: string }[]): string[] {
  const byZone = new Map<string, string>();
  for (const s of subnets) if (!byZone.has(s.availabilityZone)) byZone.set(s.availabilityZone, s.subnetId);
  return [...byZone.values()];
}

/**
 * The CreateCluster members of a cluster of HSM_TYPE in the subnets `like` is in (one per zone): what the
 * harness's runbooks ask for, as an operator restoring a cluster into the subnets of the one it replaces.
 */
export function clusterLike(like: ClusterSpec): { HsmType: string; SubnetIds: string[] } {
  return { HsmType: HSM_TYPE, SubnetIds: onePerZone(like.hsms) };
}
