// The last shrinking pass keeps only what the failure needs: steps it can do without are dropped,
// faults lose an `after` they do not need, pauses are halved while the failure stays the same.
import { describe, expect, it } from "vitest";
import { polish } from "../../harness/polish.ts";
import type { Failure, RunResult } from "../../harness/result.ts";
import type { Step } from "../../protocol/step.ts";

const failure: Failure = { kind: "mismatch", check: "model", message: "planted" };

/** A stand-in run: fails like `failure` iff an Encrypt comes after a pause of at least 100 ms and a crash is somewhere. */
function run(steps: Step[]): RunResult {
  const pause = steps.findIndex((s) => "advance" in s && s.advance >= 100);
  const encrypt = steps.findIndex((s, i) => i > pause && "call" in s && s.call === "Encrypt");
  const crash = steps.some((s) => "fault" in s && s.fault === "hsm-crash");
  const fails = pause >= 0 && encrypt > pause && crash;
  return {
    verdict: fails ? "fail" : "pass",
    ...(fails ? { failure } : {}),
    records: [],
    traceHash: "",
    settling: [],
    probes: {},
    latency: {},
  };
}

describe("polish", () => {
  it("drops what the failure does not need, takes off `after` and halves pauses", () => {
    const steps: Step[] = [
      { call: "DescribeKey", as: "admin", input: {} },
      { fault: "hsm-crash", hsm: "hsm-a", after: 3 },
      { advance: 5000 },
      { fault: "heal" },
      { call: "Encrypt", as: "app", input: {} },
      { advance: 7 },
    ];
    const polished = polish(steps, failure, run);
    expect(polished?.steps).toEqual([{ fault: "hsm-crash", hsm: "hsm-a" }, { advance: 156 }, { call: "Encrypt", as: "app", input: {} }]);
  });

  it("keeps only changes that fail the same way, and says so when there were none", () => {
    const needed: Step[] = [{ fault: "hsm-crash", hsm: "hsm-a" }, { advance: 100 }, { call: "Encrypt", as: "app", input: {} }];
    expect(polish(needed, failure, run)).toBeUndefined();
    expect(polish(needed, { ...failure, check: "state-audit" }, run)).toBeUndefined();
  });
});
