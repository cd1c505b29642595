// Latency budgets (architecture: "Faults and time"), judged over a whole run: per operation, the p99 of
// its calls' durations on the virtual clock must stay within the scenario's budget.
import { isCall } from "../protocol/step.ts";
import type { Scenario } from "./scenario.ts";
import type { StepRecord } from "./result.ts";
import { packedMap } from "../protocol/packed-map.ts";

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/** The first budget the run's calls exceed: its message and the slowest such call's step. */
export function budgetExceeded(
  scenario: Scenario,
  records: readonly StepRecord[],
): { step: number; check: string; message: string } | undefined {
  for (const [operation, budget] of Object.entries(scenario.budgets)) {
    const calls = records.filter((r) => isCall(r.step) && r.step.call === operation);
    if (calls.length === 0) continue;
    const observedMs = p99(packedMap(calls, (r) => r.durationUs)) / 1000; // protocol/packed-map.ts
    if (observedMs > budget.p99Ms) {
      const slowest = calls.reduce((a, b) => (b.durationUs > a.durationUs ? b : a));
      return {
        step: slowest.i,
        check: `budget:${operation}`,
        message: `${operation} p99 ${observedMs} ms exceeds its budget of ${budget.p99Ms} ms over ${calls.length} calls`,
      };
    }
  }
  return undefined;
}
