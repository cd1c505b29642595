// Faults, applied by the simulator between events — never `if (buggy)` branches inside the virtual
// KMS or HSM. What the custom key store claims to survive (spec §3.2, §8.1, §8.4):
//
//   Crypto on an Enabled key in a CONNECTED store keeps working while at least one ACTIVE HSM of the
//   store's cluster that holds the key's material is reachable both ways and not slowed, the KMS holds kmsuser's
//   session, and the store is under its request quota — whatever else has crashed, lost its zone or
//   been cut off. A fault never changes a store's ConnectionState by itself.
//
// Past that claim (no such HSM) the degraded outcome is KMSInvalidStateException; the model asserts
// it, and `claimHolds` lets the runner check the claim itself, independently of the model. A
// `service-failure` is no fault of the cluster or network: it arms a service's front door
// (sim/service-failure.ts) with one of its own errors, outside the claim by its nature.
import type { CloudHsmService } from "./hsm/service.ts";
import type { Network } from "./kernel/network.ts";
import { KMS_NODE } from "./kms/hsm-client.ts";
import type { VirtualKms } from "./kms/kms.ts";
import type { KeyRecord } from "./kms/state.ts";
import type { FailingService } from "../protocol/service-failures.ts";
import type { FaultStep } from "../protocol/step.ts";
import type { FrontDoor } from "./service-failure.ts";

/** The front doors a `service-failure` fault may arm, by service. */
export type FrontDoors = Readonly<Record<FailingService, FrontDoor>>;

export function applyFault(step: FaultStep, cloudhsm: CloudHsmService, network: Network, doors: FrontDoors): void {
  const clusters = [...cloudhsm.clusters.values()];
  const cluster = clusters.find((c) => c.hsm(step.hsm ?? "") !== undefined);
  const hsm = cluster?.hsm(step.hsm ?? "");
  switch (step.fault) {
    case "hsm-crash":
      if (hsm !== undefined) hsm.crashed = true;
      return;
    case "hsm-restore":
      if (hsm === undefined || cluster === undefined) return;
      hsm.crashed = false;
      return cluster.scheduleReplication(); // it catches up with its peers (spec §4)
    case "partition": {
      const target = required(step.hsm, "hsm");
      const direction = step.direction ?? "both";
      if (direction === "from-hsm") return network.partition(target, KMS_NODE, false);
      return network.partition(KMS_NODE, target, direction === "both");
    }
    case "slow-hsm":
      if (hsm !== undefined) hsm.slowFactor = step.factor ?? 1;
      return;
    case "heal":
      if (step.hsm === undefined) return network.healAll();
      return network.heal(KMS_NODE, step.hsm);
    case "az-outage":
    case "az-restore": {
      const az = required(step.az, "az");
      for (const c of clusters) {
        const hit = c.hsms.filter((h) => h.spec.availabilityZone === az);
        for (const h of hit) h.zoneDown = step.fault === "az-outage";
        if (step.fault === "az-restore" && hit.length > 0) c.scheduleReplication();
      }
      return;
    }
    case "service-failure":
      if (step.service === undefined || !Object.hasOwn(doors, step.service)) throw new Error(`faults: no service ${step.service}`);
      return doors[step.service].arm(required(step.error, "error"));
    case "subnet-delete":
    case "subnet-full":
    case "subnet-restore": {
      const subnet = cloudhsm.subnets.get(required(step.subnet, "subnet"));
      if (subnet === undefined) throw new Error(`faults: no subnet ${step.subnet}`);
      if (step.fault === "subnet-restore") subnet.deleted = subnet.full = false;
      else if (step.fault === "subnet-delete") subnet.deleted = true;
      else subnet.full = true;
      return;
    }
  }
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`faults: this fault needs ${what}`);
  return value;
}

/** Does the survival claim above promise that crypto on `key` works right now? */
export function claimHolds(kms: VirtualKms, network: Network, key: KeyRecord): boolean {
  if (kms.keyState(key) !== "Enabled" || key.CustomKeyStoreId === undefined) return false;
  const cluster = kms.storeCluster(key);
  if (cluster === undefined || cluster.kmsuser?.session !== "kms") return false;
  return cluster
    .activeHsms()
    .some(
      (h) =>
        h.objects.has(key.backingKeyHandle ?? "") && h.slowFactor === 1 && !network.isCut(KMS_NODE, h.id) && !network.isCut(h.id, KMS_NODE),
    );
}
