// Two list questions both sides ask on per-step paths, by plain loops: are two lists the same items
// (by identity, in order), and which item of a list has an id, looked for first at the place it is
// expected (lists that keep their order, as a state's records from one step to the next).

/** Are `a` and `b` the same items (===), in the same order? */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The item of `list` whose id (`idOf`) is `id`: the one at index `at` when it is, else the first found. */
export function byId<T>(list: readonly T[], at: number, id: string, idOf: (item: T) => string): T | undefined {
  const there = list[at];
  if (there !== undefined && idOf(there) === id) return there;
  for (const item of list) if (idOf(item) === id) return item;
  return undefined;
}
