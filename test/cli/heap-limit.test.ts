// A seed thread's heap limit when --heap-limit is not given (cli/heap-limit.ts): V8's own where the
// machine has room for every worker to fill it, half of each worker's share of the memory where not.
import { describe, expect, it } from "vitest";
import { defaultHeapLimitMb, HEAP_LIMIT_MIN_MB, ranOutOfMemory } from "../../cli/heap-limit.ts";

describe("the seed threads' heap limit", () => {
  it("is V8's own where the workers' halves of the memory are larger", () => {
    expect(defaultHeapLimitMb(2, 24_105, 4_144)).toBeUndefined();
  });

  it("is half of each worker's share of the memory where that is less than V8's own", () => {
    expect(defaultHeapLimitMb(16, 32_768, 4_144)).toBe(1_024);
    expect(defaultHeapLimitMb(3, 8_000, 4_144)).toBe(1_333);
  });

  it("is never below the least a thread needs, however many workers share the memory", () => {
    expect(defaultHeapLimitMb(256, 4_096, 4_144)).toBe(HEAP_LIMIT_MIN_MB);
  });

  it("is known reached by Node's error code, and by nothing else", () => {
    expect(
      ranOutOfMemory(Object.assign(new Error("Worker terminated due to reaching memory limit"), { code: "ERR_WORKER_OUT_OF_MEMORY" })),
    ).toBe(true);
    expect(ranOutOfMemory(new Error("JS heap out of memory"))).toBe(false);
    expect(ranOutOfMemory(undefined)).toBe(false);
  });
});
