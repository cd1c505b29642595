import { describe, expect, it } from "vitest";
import { Prng } from "../../../sim/kernel/prng.ts";

describe("Prng", () => {
  it("gives the same stream for the same seed", () => {
    const a = new Prng("s");
    const b = new Prng("s");
    expect(Array.from({ length: 8 }, () => a.uint32())).toEqual(Array.from({ length: 8 }, () => b.uint32()));
  });

  it("keeps child streams independent of draws elsewhere", () => {
    const quiet = new Prng("root");
    const busy = new Prng("root");
    for (let i = 0; i < 100; i++) busy.uint32();
    busy.child("other").bytes(64);
    expect(busy.child("network").bytes(16)).toEqual(quiet.child("network").bytes(16));
  });

  it("gives different streams to different child names", () => {
    const root = new Prng("root");
    expect(root.child("a").hex(32)).not.toEqual(root.child("b").hex(32));
  });

  it("draws bounded integers inside their bounds", () => {
    const prng = new Prng("bounds");
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = prng.intBetween(3, 7);
      expect(x).toBeGreaterThanOrEqual(3);
      expect(x).toBeLessThanOrEqual(7);
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it("rejects a bad bound instead of returning garbage", () => {
    expect(() => new Prng("x").intBelow(0)).toThrow(/bad bound/);
  });
});
