// Latency histograms add up exactly in any order, and percentiles read as bucket upper edges.
import { describe, expect, it } from "vitest";
import { addHistogram, histogram, latencyStats } from "../../reports/latency.ts";

describe("latency histograms", () => {
  const durations = [0, 0, 1500, 2100, 2100, 2600, 3000, 9000, 12_000, 40_000];

  it("gives percentiles as the upper edge of their bucket, never past the maximum", () => {
    const stats = latencyStats({ Encrypt: histogram(durations) })["Encrypt"]!;
    expect(stats).toMatchObject({ calls: 10, maxUs: 40_000, meanMs: 7.23, p50MsMax: 2.5, p90MsMax: 12.5, p99MsMax: 40 });
    expect(stats.buckets["0"]).toBe(2);
  });

  it("adds split histograms to the same numbers as one", () => {
    const whole = histogram(durations);
    const parts = histogram(durations.slice(5));
    addHistogram(parts, histogram(durations.slice(0, 5)));
    expect(latencyStats({ op: parts })).toEqual(latencyStats({ op: whole }));
  });
});
