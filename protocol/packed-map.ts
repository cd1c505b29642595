// `packedMap(items, f)`: what `items.map(f)` makes, by a loop that pushes into an array literal, so the
// array is packed whichever tier runs it. V8's optimizing compiler inlines Array.prototype.map making a
// holey array where the builtin makes a packed one (node 20: `%HasHoleyElements` false before, true after
// `%OptimizeFunctionOnNextCall`), and a holey array, frozen or not, has another hidden class: when the
// function making a list gets hot late in a campaign, every optimized function reading its lists is sent
// back ("wrong map" deopts, tools/jit-churn.mjs) and compiled again. Used where lists flow into the model.

/** The items `f` makes of each of `items`, in order: `items.map(f)`, always packed. */
export function packedMap<T, U>(items: readonly T[], f: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) out.push(f(items[i]!, i));
  return out;
}
