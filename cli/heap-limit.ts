// The heap limit of the threads that run a campaign's seeds. A seed thread that reaches it is ended
// by Node (ERR_WORKER_OUT_OF_MEMORY) and its seed reported as a crash of check out-of-memory
// (cli/pool.ts), so a step that fills the heap — a planted loop that never stops adding to a list —
// costs one seed, not the campaign. A warm seed thread holds 20–40 MiB. Unless told, the threads keep
// V8's own limit (about 4 GiB each), except where the machine's memory shared among the workers is
// less: there each gets half its share, so that threads filling their heaps are ended by Node before
// the system's OOM killer ends the whole campaign, report and all.
import { totalmem } from "node:os";
import { getHeapStatistics } from "node:v8";

/** Least heap limit a seed thread may be given, in MiB: a campaign's thread peaks near 60. */
export const HEAP_LIMIT_MIN_MB = 64;
/** Most, in MiB: past V8's own on any machine kmsim runs on. */
export const HEAP_LIMIT_MAX_MB = 65_536;

const MIB = 2 ** 20;

/** The check of a seed whose thread ran out of memory (a failure of kind crash). */
export const OUT_OF_MEMORY_CHECK = "out-of-memory";

/** A seed thread's heap limit in MiB when --heap-limit is not given; undefined: V8's own. */
export function defaultHeapLimitMb(
  workers: number,
  machineMemoryMb = totalmem() / MIB,
  v8LimitMb = getHeapStatistics().heap_size_limit / MIB,
): number | undefined {
  const halfShareMb = Math.floor(machineMemoryMb / 2 / workers);
  return halfShareMb < v8LimitMb ? Math.max(HEAP_LIMIT_MIN_MB, halfShareMb) : undefined;
}

/** Did a worker thread end for reaching its heap limit? */
export const ranOutOfMemory = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY";
