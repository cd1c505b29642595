// Key synchronization (spec §4): once a cluster's replication has settled, every ACTIVE HSM of it
// holds the same key objects.
import type { Invariant } from "./invariant.ts";

export function replication(): Invariant {
  return {
    name: "replication",
    after(_facts, observer) {
      for (const cluster of observer.settledClusters()) {
        const [first, ...rest] = cluster.activeHsmObjects;
        if (rest.some((objects) => objects !== first)) {
          return `cluster ${cluster.id}: replication settled but its ACTIVE HSMs hold different key objects (keys are synchronized, spec §4)`;
        }
      }
      return undefined;
    },
  };
}
