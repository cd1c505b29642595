// IAM's wildcard match (spec §9.3, §9.6.1): `*` any run of characters, `?` exactly one.
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === v.length;
    if (p[i] === "*") return go(i + 1, j) || (j < v.length && go(i, j + 1));
    return j < v.length && (p[i] === "?" || p[i] === v[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}
