// Member names in canonical order (sorted by UTF-16 code units, as `Array.prototype.sort()` sorts
// strings), remembered per list of names as an object enumerates them: the trace hash writes objects
// of the same few shapes every step (an entry, a step, an outcome, KeyMetadata), and matching a list
// seen before by identity costs a comparison per name where sorting it again costs several.

/** Lists of more names than this are sorted each time (maps keyed by input: tags, contexts). */
const NAMES_REMEMBERED_MAX = 32;
/** Lists remembered in all, and per first name; past either, a list is sorted each time. */
const ORDERS_MAX = 4096;
const ORDERS_PER_FIRST_NAME_MAX = 16;
/** Up to this many names are sorted by insertion; more by the built-in sort. */
const INSERTION_SORT_MAX = 16;

/** A list of names in the order an object enumerated them, and the same names sorted. */
interface Order {
  readonly names: readonly string[];
  readonly sorted: readonly string[];
}

const ordersByFirstName = new Map<string, Order[]>();
let ordersRemembered = 0;

/** The first `count` of `names` sorted in place by insertion, as `Array.prototype.sort()` sorts strings. */
export function sortFirst(names: string[], count: number): string[] {
  for (let i = 1; i < count; i++) {
    const name = names[i]!;
    let j = i - 1;
    for (; j >= 0 && names[j]! > name; j--) names[j + 1] = names[j]!;
    names[j + 1] = name;
  }
  return names;
}

function sortedCopy(names: readonly string[], count: number): string[] {
  const copy = names.slice(0, count);
  return count > INSERTION_SORT_MAX ? copy.sort() : sortFirst(copy, count);
}

/**
 * The first `count` of `names` in canonical order: the first `count` items of the answer, which is a
 * remembered list (not to be changed) or `names` itself sorted in place.
 */
export function sortedNames(names: string[], count: number): readonly string[] {
  if (count <= 1) return names;
  const first = names[0]!;
  const seen = ordersByFirstName.get(first);
  if (seen !== undefined) {
    for (const order of seen) {
      const known = order.names;
      if (known.length !== count) continue;
      let i = 1;
      while (i < count && known[i] === names[i]) i++;
      if (i === count) return order.sorted;
    }
  }
  if (count > NAMES_REMEMBERED_MAX || ordersRemembered >= ORDERS_MAX || (seen?.length ?? 0) >= ORDERS_PER_FIRST_NAME_MAX) {
    if (count <= INSERTION_SORT_MAX) return sortFirst(names, count);
    const sorted = names.slice(0, count).sort();
    for (let i = 0; i < count; i++) names[i] = sorted[i]!;
    return names;
  }
  const order: Order = { names: names.slice(0, count), sorted: sortedCopy(names, count) };
  if (seen === undefined) ordersByFirstName.set(first, [order]);
  else seen.push(order);
  ordersRemembered++;
  return order.sorted;
}
