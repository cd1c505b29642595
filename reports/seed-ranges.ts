// Which seeds of a campaign (or of its shard) did not run, said briefly: runs of seeds that are
// consecutive in the shard's stride become "a..b" (or "a..b by N"), and a long list is cut with a
// count, so a missing shard of a million seeds is one short line.

/** Most ranges spelt out before the rest are only counted. */
const RANGES_SHOWN_MAX = 12;

export interface SeedSpace {
  first: number;
  count: number;
  shard: { index: number; count: number };
}

/** The shard's seeds not among `ran` (sorted ascending), as a count and a short text. */
export function missingSeeds(space: SeedSpace, ran: readonly number[]): { count: number; seeds: string } {
  const stride = space.shard.count;
  const start = space.first + space.shard.index;
  const end = space.first + space.count - 1;
  const ranges: [number, number][] = [];
  let next = start;
  for (const seed of ran) {
    if (seed < next || (seed - start) % stride !== 0) continue;
    if (seed > next) ranges.push([next, seed - stride]);
    next = seed + stride;
  }
  if (next <= end) ranges.push([next, next + Math.floor((end - next) / stride) * stride]);
  const count = ranges.reduce((n, [a, b]) => n + (b - a) / stride + 1, 0);
  const by = stride > 1 ? ` by ${stride}` : "";
  const shown = ranges.slice(0, RANGES_SHOWN_MAX).map(([a, b]) => (a === b ? `${a}` : `${a}..${b}${by}`));
  if (ranges.length > RANGES_SHOWN_MAX) shown.push(`and ${ranges.length - RANGES_SHOWN_MAX} more ranges`);
  return { count, seeds: shown.join(", ") };
}
