// IAM's wildcards as the virtual KMS's policy engine compiles them (spec §9.3, §9.6.1): `*` any run of
// characters (newlines too), `?` exactly one; shared by Action/Resource matching and String/ArnLike.
export function wildcard(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
}
