// Key synchronization (spec §4): once a cluster's replication has settled, the invariant reports
// ACTIVE HSMs that hold different key objects, and is quiet while they agree, while replication is
// pending, and about an HSM that is down.
import { describe, expect, it } from "vitest";
import { replication } from "../../../harness/invariants/replication.ts";
import { Observer } from "../../../harness/observer.ts";
import { ok } from "../../../protocol/step.ts";
import { connectedKey, scenario } from "../../support/connected-key.ts";

const facts = { step: { advance: 0 }, atUs: 0, sut: ok(), decisions: [], faultInFlight: false };

function settled() {
  const { world } = connectedKey();
  const cluster = world.cloudhsm.clusters.get(scenario.world.cluster.clusterId)!;
  const [a, b] = cluster.activeHsms();
  return { world, cluster, a: a!, b: b!, observer: new Observer(world) };
}

describe("replication", () => {
  it("is quiet when every ACTIVE HSM of a settled cluster holds the same key objects", () => {
    const { a, b, observer } = settled();
    expect(a.objects.size).toBeGreaterThan(0);
    expect([...a.objects.keys()]).toEqual([...b.objects.keys()]);
    expect(replication().after(facts, observer)).toBeUndefined();
  });

  it("reports an ACTIVE HSM missing a key object, or holding one more, or another with as many", () => {
    const missing = settled();
    missing.b.objects.clear();
    expect(replication().after(facts, missing.observer)).toMatch(/replication settled but its ACTIVE HSMs hold different key objects/);
    const extra = settled();
    extra.b.objects.set("extra", { label: "x", material: new Uint8Array(32) });
    expect(replication().after(facts, extra.observer)).toMatch(new RegExp(`cluster ${extra.cluster.id}:`));
    const other = settled();
    const [handle, object] = [...other.b.objects][0]!;
    other.b.objects.delete(handle);
    other.b.objects.set(`${handle}x`, object);
    expect(replication().after(facts, other.observer)).toMatch(/hold different key objects/);
  });

  it("is quiet while replication is pending, and about an HSM that is down", () => {
    const pending = settled();
    pending.b.objects.clear();
    pending.cluster.replicationPending = true;
    expect(replication().after(facts, pending.observer)).toBeUndefined();
    const down = settled();
    down.b.objects.clear();
    down.world.fault({ fault: "hsm-crash", hsm: down.b.id });
    expect(down.b.up).toBe(false);
    expect(replication().after(facts, down.observer)).toBeUndefined();
  });
});
