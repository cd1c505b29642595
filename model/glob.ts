// IAM's wildcard match (spec §9.3, §9.6.1): `*` any run of characters, `?` exactly one. Iterative,
// remembering only the last `*` (a later `*` subsumes an earlier one), so it is linear in practice.
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  if (p === "*") return true;
  if (!p.includes("*") && !p.includes("?")) return p === v;
  let i = 0; // in p
  let j = 0; // in v
  let star = -1; // the last `*` seen in p
  let resume = 0; // where in v that `*` stopped taking characters
  while (j < v.length) {
    if (i < p.length && (p[i] === "?" || p[i] === v[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === "*") {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1; // let the last `*` take one more character
      j = ++resume;
    } else return false;
  }
  while (i < p.length && p[i] === "*") i++;
  return i === p.length;
}
