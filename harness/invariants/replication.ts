// Key synchronization (spec §4): once a cluster's replication has settled, every ACTIVE HSM of it
// holds the same key objects.
import type { Invariant } from "./invariant.ts";

export function replication(): Invariant {
  return {
    name: "replication",
    after(_facts, observer) {
      const cluster = observer.divergentSettledCluster();
      if (cluster === undefined) return undefined;
      return `cluster ${cluster}: replication settled but its ACTIVE HSMs hold different key objects (keys are synchronized, spec §4)`;
    },
  };
}
