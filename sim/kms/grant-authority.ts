// What grants authorize in the virtual KMS (spec §9.2 step 6, §9.7, §12): a grant on the key, for the
// caller (or the caller's account), naming the operation, whose encryption-context constraints the
// request meets — and, for CreateGrant, whose child grant is no wider. A grant authorizes without one
// of its tokens only once it has propagated; a retired or revoked one keeps authorizing until its own
// delay runs out. Grant tokens name the grants a request presents.
import type { JsonObject } from "../../protocol/step.ts";
import { IamDirectory } from "../iam/iam.ts";
import { Rejection } from "../wire/validate.ts";
import type { VirtualKms } from "./kms.ts";
import type { AccessRequest, GrantConstraints, GrantRecord, KeyRecord } from "./state.ts";

/** The grant operations a symmetric key supports (spec §9.7). */
export const GRANT_OPERATIONS = [
  "Decrypt",
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "ReEncryptFrom",
  "ReEncryptTo",
  "CreateGrant",
  "RetireGrant",
  "DescribeKey",
];
/** The rest of the GrantOperation enum: valid names, but not for a symmetric key. */
/** Operations whose requests carry an encryption context a constraint applies to. */
const CONTEXT_OPERATIONS = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

/**
 * In a grant constraint the key of each pair is compared case-insensitively and the value
 * case-sensitively (spec §9.7; KMS service model, GrantConstraints): pairs as `key-lowercased NUL value`.
 */
const pairsOf = (context: Record<string, string>): Set<string> =>
  new Set(Object.entries(context).map(([k, v]) => `${k.toLowerCase()}\0${v}`));
const contains = (outer: Record<string, string>, inner: Record<string, string>): boolean => {
  const have = pairsOf(outer);
  return [...pairsOf(inner)].every((p) => have.has(p));
};
const equal = (a: Record<string, string>, b: Record<string, string>): boolean => contains(a, b) && contains(b, a);

/** Does a request with `context` meet `constraints` (§9.7; a grant has one kind, CreateGrant refuses both)? */
function meets(constraints: GrantConstraints | undefined, context: Record<string, string>): boolean {
  const { EncryptionContextEquals: eq, EncryptionContextSubset: sub } = constraints ?? {};
  return (eq === undefined || equal(context, eq)) && (sub === undefined || contains(context, sub));
}

/** Are a child grant's constraints at least as strict as its parent's (§9.7)? */
function narrows(parent: GrantConstraints | undefined, child: GrantConstraints | undefined): boolean {
  const { EncryptionContextEquals: peq, EncryptionContextSubset: psub } = parent ?? {};
  const { EncryptionContextEquals: ceq, EncryptionContextSubset: csub } = child ?? {};
  if (peq !== undefined && (ceq === undefined || !equal(ceq, peq))) return false;
  if (psub !== undefined && !((ceq !== undefined && contains(ceq, psub)) || (csub !== undefined && contains(csub, psub)))) return false;
  return true;
}

/** §9.2 step 6: the GrantId of a grant on `key` that allows `caller` the `action` for this request, if any. */
export function allowingGrant(kms: VirtualKms, caller: string, action: string, key: KeyRecord, request: AccessRequest): string | undefined {
  if (kms.grants.size === 0 && kms.retiredGrants.length === 0) return undefined; // no grant to look at (most calls): asked first
  const operation = action.startsWith("kms:") ? action.slice(4) : action;
  if (!GRANT_OPERATIONS.includes(operation)) return undefined;
  const account = `arn:aws:iam::${IamDirectory.accountOf(caller)}:root`;
  const now = kms.nowUs;
  const allows = (g: GrantRecord): boolean => {
    if (g.KeyArn !== key.Arn || (g.GranteePrincipal !== caller && g.GranteePrincipal !== account) || !g.Operations.includes(operation))
      return false;
    if (CONTEXT_OPERATIONS.includes(operation) && !meets(g.Constraints, request.context ?? {})) return false;
    if (operation === "CreateGrant") {
      const child = request.child;
      if (child === undefined || !child.operations.every((op) => g.Operations.includes(op)) || !narrows(g.Constraints, child.constraints))
        return false;
    }
    return true;
  };
  // Live grants first (propagated, or presented by token), in creation order; then retired and revoked
  // ones still within their delay.
  for (const g of kms.grants.values())
    if ((now >= g.visibleAtUs || request.presented?.includes(g.GrantId) === true) && allows(g)) return g.GrantId;
  for (const r of kms.retiredGrants) if (now < r.goneAtUs && allows(r.grant)) return r.grant.GrantId;
  return undefined;
}

/** GrantTokens: 0–10 tokens, each one the KMS handed out (else InvalidGrantTokenException); returns their GrantIds. */
export function checkGrantTokens(kms: VirtualKms, input: JsonObject): string[] | Rejection {
  const raw = input["GrantTokens"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 10 || raw.some((t) => typeof t !== "string" || t.length < 1 || t.length > 8192))
    return new Rejection(
      "ValidationException",
      "1 validation error detected: Value at 'GrantTokens' failed to satisfy constraint: Member must be a list of 0 to 10 tokens of 1 to 8192 characters",
    );
  const grantIds: string[] = [];
  for (const token of raw as string[]) {
    const grantId = kms.grantTokens.get(token);
    if (grantId === undefined) return new Rejection("InvalidGrantTokenException", "The grant token is not valid.");
    grantIds.push(grantId);
  }
  return grantIds;
}
