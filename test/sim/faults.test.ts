// The survival claim of sim/faults.ts, on a world driven directly: it holds while one ACTIVE HSM
// holding the key is reachable both ways, and stops holding past that.
import { describe, expect, it } from "vitest";
import { claimHolds } from "../../sim/faults.ts";
import type { FaultStep } from "../../protocol/step.ts";
import { connectedKey, scenario } from "../support/connected-key.ts";

const { cluster } = scenario.world;
const [hsm0, hsm1] = cluster.hsms.map((h) => h.hsmId) as [string, string];

describe("the survival claim", () => {
  it("holds while one ACTIVE HSM with the key is reachable both ways", () => {
    const { world, key } = connectedKey();
    const holds = () => claimHolds(world.kms, world.network, key);
    const fault = (f: FaultStep) => world.fault(f);
    expect(holds()).toBe(true);
    fault({ fault: "partition", hsm: hsm0 });
    expect(holds()).toBe(true);
    fault({ fault: "partition", hsm: hsm1, direction: "from-hsm" });
    expect(holds()).toBe(false);
    fault({ fault: "heal" });
    expect(holds()).toBe(true);
    fault({ fault: "az-outage", az: cluster.hsms[0]!.availabilityZone });
    expect(holds()).toBe(true);
    fault({ fault: "hsm-crash", hsm: hsm1 });
    expect(holds()).toBe(false);
    fault({ fault: "az-restore", az: cluster.hsms[0]!.availabilityZone });
    expect(holds()).toBe(true);
  });
});
