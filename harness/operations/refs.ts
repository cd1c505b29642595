// What a generated step can refer to by `{"ref": kind, "index": n}`: the things earlier steps made
// (harness/resolve.ts resolves them; each descriptor says what its answers make). A grant's key
// (`grantKey`) is kept beside the grant: the same index names a grant and the key it is on.
export const REF_KINDS = [
  "key",
  "keyArn",
  "store",
  "ciphertext",
  "context",
  "cluster",
  "hsm",
  "backup",
  "grant",
  "grantToken",
  "deletionTask",
  "grantKey",
] as const;
export type RefKind = (typeof REF_KINDS)[number];

/** Context variations (`{"ref": "context", "index", "vary"}`): the same context with one value changed, one key added or one removed. */
export const CONTEXT_VARIATIONS = ["value", "add", "remove"] as const;
