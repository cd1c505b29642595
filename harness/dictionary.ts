// An empty plain object already in V8's dictionary mode, for per-run tallies keyed by names that each
// run meets in an order of its own (probe hits, durations by operation). Grown name by name in fast
// mode, such an object makes V8 a new hidden class for every new order, run after run; a dictionary
// does not. Deleting a member that is not the last one added makes an object a dictionary; it keeps
// Object.prototype, and its names keep the order they are added in, as any object's do.

/** Two names added and deleted again (no tally uses them: they are removed before it is handed out). */
const FIRST = "dictionary-first";
const SECOND = "dictionary-second";

export function emptyDictionary<T>(): Record<string, T> {
  const out: Record<string, T | number> = { [FIRST]: 0, [SECOND]: 0 };
  delete out[FIRST];
  delete out[SECOND];
  return out as Record<string, T>;
}
