// Grants of the virtual KMS (spec §9.7): CreateGrant (Name idempotency, child grants from a grant
// only narrowing), ListGrants, RevokeGrant, RetireGrant (by token, or by key and id; who may retire),
// ListRetirableGrants. What grants authorize is grant-authority.ts. Eventually consistent (§12):
// a new grant authorizes without its token only after a delay drawn in 0..grantPropagationUsMax, and a
// retired or revoked one keeps authorizing for such a delay. Grants go with their key (kms.ts). A dry
// run (dry-run.ts) makes every check, the quota's too, and changes nothing.
import type { Proc } from "../kernel/process.ts";
import { ok, type Json, type JsonObject, type Outcome } from "../../protocol/step.ts";
import { isExplicitDeny } from "../../protocol/decision.ts";
import { authorizeIamAction } from "../iam/authorize.ts";
import { IamDirectory } from "../iam/iam.ts";
import { encryptionContext, optionalString, Rejection, requiredString } from "../wire/validate.ts";
import { access } from "./access.ts";
import { checkKeyState } from "./key-states.ts";
import { dryRunSucceeded, isDryRun } from "./dry-run.ts";
import { checkGrantIdForm } from "./grant-id.ts";
import { GRANT_OPERATIONS, checkGrantTokens } from "./grant-authority.ts";
import { page, pageParams } from "./paging.ts";
import type { VirtualKms } from "./kms.ts";
import type { GrantConstraints, GrantRecord } from "./state.ts";
import { kmsRequestContext } from "./request-context.ts";
import { checkCallerAccountPrincipal, checkPrincipalArn } from "./retiring-principal.ts";

/** The rest of the GrantOperation enum: valid names, but not for a symmetric key. */
const OTHER_OPERATIONS = [
  "Sign",
  "Verify",
  "GetPublicKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
];
const PRINCIPAL = /^[\w+=,.@:/-]{1,256}$/;

function invalid(param: string, problem: string): Rejection {
  return new Rejection("ValidationException", `1 validation error detected: Value at '${param}' failed to satisfy constraint: ${problem}`);
}

/** A propagation delay (spec §12), in microseconds. */
function propagationUs(kms: VirtualKms): number {
  return kms.grantPrng.intBelow(kms.options.grantPropagationUsMax + 1);
}

/** Takes a grant away: gone from listings now, authorizing for one more propagation delay. */
function retire(kms: VirtualKms, grant: GrantRecord): void {
  kms.grants.delete(grant.GrantId);
  kms.retiredGrants = kms.retiredGrants.filter((r) => r.goneAtUs > kms.nowUs);
  kms.retiredGrants.push({ grant, goneAtUs: kms.nowUs + propagationUs(kms) });
}

function readConstraints(input: JsonObject): GrantConstraints | undefined | Rejection {
  const raw = input["Constraints"];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) return invalid("Constraints", "Member must be a structure");
  const out: GrantConstraints = {};
  for (const name of ["EncryptionContextEquals", "EncryptionContextSubset"] as const) {
    if (raw[name] === undefined || raw[name] === null) continue;
    const pairs = encryptionContext(raw, name);
    if (pairs instanceof Rejection) return pairs;
    if (Object.keys(pairs).length > 8 || Object.values(pairs).some((v) => v.length > 384))
      return invalid(`Constraints.${name}`, "Member must have at most 8 pairs, each value at most 384 characters");
    out[name] = pairs;
  }
  return out;
}

function readOperations(input: JsonObject): string[] | Rejection {
  const raw: Json | undefined = input["Operations"];
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    raw.some((o) => typeof o !== "string" || ![...GRANT_OPERATIONS, ...OTHER_OPERATIONS].includes(o))
  ) {
    return invalid("Operations", `Member must be a non-empty list of values in [${[...GRANT_OPERATIONS, ...OTHER_OPERATIONS].join(", ")}]`);
  }
  const ops = raw as string[];
  if (ops.some((o) => OTHER_OPERATIONS.includes(o)))
    return new Rejection("ValidationException", "The grant operations are not supported for this KMS key's key spec.");
  return ops;
}

function principal(input: JsonObject, param: string, required: boolean): string | undefined | Rejection {
  const value = required ? requiredString(input, param, 1, 256) : optionalString(input, param, 1, 256);
  if (value instanceof Rejection) return value;
  if (value !== undefined && !PRINCIPAL.test(value))
    return invalid(param, "Member must satisfy regular expression pattern: ^[\\w+=,.@:/-]+$");
  return value;
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function* CreateGrant(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const grantee = principal(input, "GranteePrincipal", true)!;
  if (grantee instanceof Rejection) return grantee;
  const retiring = principal(input, "RetiringPrincipal", false);
  if (retiring instanceof Rejection) return retiring;
  const operations = readOperations(input);
  if (operations instanceof Rejection) return operations;
  const constraints = readConstraints(input);
  if (constraints instanceof Rejection) return constraints;
  // §9.7 [MODEL CHOICE: AWS's texts are not recorded]: one kind of encryption-context constraint per grant
  // (an empty map counts as not given: IAM Access Analyzer's KmsGrantConstraints), and a grant must
  // allow more than CreateGrant alone.
  const kinds = Object.values(constraints ?? {}).filter((pairs) => Object.keys(pairs).length > 0);
  if (kinds.length > 1)
    return new Rejection("ValidationException", "A grant can have only one of EncryptionContextEquals and EncryptionContextSubset.");
  if (operations.every((op) => op === "CreateGrant"))
    return new Rejection("ValidationException", "A grant cannot allow only the CreateGrant operation.");
  const name = optionalString(input, "Name", 1, 256);
  if (name instanceof Rejection) return name;
  if (name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(name))
    return invalid("Name", "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const presented = checkGrantTokens(kms, input);
  if (presented instanceof Rejection) return presented;
  // §9.6: the grant's own condition keys; a call made directly is never for an AWS resource.
  const conditions: Record<string, string[]> = {
    "kms:GrantOperations": [...new Set(operations)].sort(),
    "kms:GranteePrincipal": [grantee],
    "kms:GrantIsForAWSResource": ["false"],
  };
  if (retiring !== undefined) conditions["kms:RetiringPrincipal"] = [retiring];
  if (constraints !== undefined && Object.keys(constraints).length > 0)
    conditions["kms:GrantConstraintType"] = Object.keys(constraints).sort();
  const refused =
    access.authorizeKey(kms, caller, "kms:CreateGrant", key, { child: { operations, constraints }, presented, conditions }) ??
    checkKeyState("CreateGrant", key, kms.keyState(key));
  if (refused !== undefined) return refused;
  // §9.7: a retry with identical properties, Name included, is the same grant with a fresh token.
  const same =
    name === undefined
      ? undefined
      : [...kms.grants.values()].find(
          (g) =>
            g.KeyArn === key.Arn &&
            g.Name === name &&
            g.GranteePrincipal === grantee &&
            g.RetiringPrincipal === retiring &&
            sameSet(g.Operations, operations) &&
            sameJson(g.Constraints, constraints),
        );
  // §11.1: a new grant past the key's quota (retired and revoked ones do not count, even while they linger).
  if (same === undefined && [...kms.grants.values()].filter((g) => g.KeyArn === key.Arn).length >= kms.options.grantsPerKey) {
    return new Rejection(
      "LimitExceededException",
      `The request would exceed the quota of ${kms.options.grantsPerKey} grants for ${key.Arn}.`,
    );
  }
  if (isDryRun(input)) return dryRunSucceeded();
  const grant: GrantRecord = same ?? {
    GrantId: kms.idPrng.hex(64),
    KeyArn: key.Arn,
    GranteePrincipal: grantee,
    Operations: [...operations],
    IssuingAccount: `arn:aws:iam::${key.account}:root`,
    creationUs: kms.nowUs,
    visibleAtUs: kms.nowUs + propagationUs(kms),
    ...(name !== undefined ? { Name: name } : {}),
    ...(retiring !== undefined ? { RetiringPrincipal: retiring } : {}),
    ...(constraints !== undefined ? { Constraints: constraints } : {}),
  };
  kms.grants.set(grant.GrantId, grant);
  const token = Buffer.from(kms.idPrng.bytes(48)).toString("base64");
  kms.grantTokens.set(token, grant.GrantId);
  return ok({ GrantToken: token, GrantId: grant.GrantId });
}

function entry(kms: VirtualKms, g: GrantRecord): JsonObject {
  return {
    KeyId: g.KeyArn,
    GrantId: g.GrantId,
    CreationDate: kms.date(g.creationUs),
    GranteePrincipal: g.GranteePrincipal,
    IssuingAccount: g.IssuingAccount,
    Operations: g.Operations,
    ...(g.Name !== undefined ? { Name: g.Name } : {}),
    ...(g.RetiringPrincipal !== undefined ? { RetiringPrincipal: g.RetiringPrincipal } : {}),
    ...(g.Constraints !== undefined ? { Constraints: g.Constraints as JsonObject } : {}),
  };
}

/** Spec §9.7: a key's grants in creation order, paged, filtered by GrantId or GranteePrincipal; key policy only. */
export function* ListGrants(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const paging = pageParams(input, 100, 50);
  if (paging instanceof Rejection) return paging;
  const grantId = optionalString(input, "GrantId", 1, 128);
  if (grantId instanceof Rejection) return grantId;
  const grantee = principal(input, "GranteePrincipal", false);
  if (grantee instanceof Rejection) return grantee;
  const malformed = checkGrantIdForm(grantId);
  if (malformed !== undefined) return malformed;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const denied = access.authorizeKey(kms, caller, "kms:ListGrants", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } });
  if (denied !== undefined) return denied;
  const all = [...kms.grants.values()].filter(
    (g) =>
      g.KeyArn === key.Arn && (grantId === undefined || g.GrantId === grantId) && (grantee === undefined || g.GranteePrincipal === grantee),
  );
  const listed = page(all, paging, "Grants", (g) => entry(kms, g));
  return listed instanceof Rejection ? listed : ok(listed);
}

/**
 * Spec §9.7: the grants, on any key, whose retiring principal is RetiringPrincipal (a principal of
 * the caller's account), paged; IAM only (kms:ListRetirableGrants on that principal, §9.1).
 */
export function* ListRetirableGrants(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const retiring = principal(input, "RetiringPrincipal", true)!;
  if (retiring instanceof Rejection) return retiring;
  const paging = pageParams(input, 100, 50);
  if (paging instanceof Rejection) return paging;
  const notArn = checkPrincipalArn(retiring);
  if (notArn !== undefined) return notArn;
  const denied = access.authorizeIam(kms, caller, "kms:ListRetirableGrants", retiring);
  if (denied !== undefined) return denied;
  const elsewhere = checkCallerAccountPrincipal(kms, caller, retiring);
  if (elsewhere !== undefined) return elsewhere;
  const all = [...kms.grants.values()].filter((g) => g.RetiringPrincipal === retiring);
  const listed = page(all, paging, "Grants", (g) => entry(kms, g));
  return listed instanceof Rejection ? listed : ok(listed);
}

/** Spec §9.7: by key and GrantId; key policy only (grants do not authorize it); every key state. */
export function* RevokeGrant(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const grantId = requiredString(input, "GrantId", 1, 128);
  if (grantId instanceof Rejection) return grantId;
  const malformed = checkGrantIdForm(grantId);
  if (malformed !== undefined) return malformed;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const denied = access.authorizeKey(kms, caller, "kms:RevokeGrant", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } });
  if (denied !== undefined) return denied;
  const grant = kms.grants.get(grantId);
  if (grant?.KeyArn !== key.Arn) return new Rejection("NotFoundException", `Grant ${grantId} does not exist on ${key.Arn}.`);
  if (isDryRun(input)) return dryRunSucceeded();
  retire(kms, grant);
  return ok({});
}

/**
 * Spec §9.7: by GrantToken, or by KeyId (ARN) and GrantId. The retiring principal may retire it; so
 * may the grantee if the grant allows RetireGrant, and the issuing account's principals whose IAM
 * allows kms:RetireGrant; an IAM deny of kms:RetireGrant stops anyone. Every key state.
 */
export function* RetireGrant(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const token = optionalString(input, "GrantToken", 1, 8192);
  if (token instanceof Rejection) return token;
  const keyId = optionalString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const grantId = optionalString(input, "GrantId", 1, 128);
  if (grantId instanceof Rejection) return grantId;
  let grant: GrantRecord | undefined;
  if (token !== undefined) {
    const id = kms.grantTokens.get(token);
    if (id === undefined) return new Rejection("InvalidGrantTokenException", "The grant token is not valid.");
    grant = kms.grants.get(id);
    if (grant === undefined) return new Rejection("NotFoundException", "The grant is not found.");
  } else {
    if (keyId === undefined || grantId === undefined)
      return new Rejection("ValidationException", "Specify either GrantToken or both KeyId and GrantId.");
    const malformed = checkGrantIdForm(grantId);
    if (malformed !== undefined) return malformed;
    const key = kms.resolveKey(caller, keyId, false);
    if (key instanceof Rejection) return key;
    grant = kms.grants.get(grantId);
    if (grant?.KeyArn !== key.Arn) return new Rejection("NotFoundException", `Grant ${grantId} does not exist on ${key.Arn}.`);
  }
  const context = kmsRequestContext(kms, caller, "kms:RetireGrant", kms.keys.get(grant.KeyArn));
  const iam = authorizeIamAction(kms.ctx.iam, caller, "kms:RetireGrant", context, grant.KeyArn);
  const denial = `User: ${caller} is not authorized to perform: kms:RetireGrant on resource: ${grant.KeyArn}`;
  if (!iam.allowed && isExplicitDeny(iam.decision)) return new Rejection("AccessDeniedException", iam.message);
  const mayRetire =
    grant.RetiringPrincipal === caller ||
    (grant.GranteePrincipal === caller && grant.Operations.includes("RetireGrant")) ||
    (`arn:aws:iam::${IamDirectory.accountOf(caller)}:root` === grant.IssuingAccount && iam.allowed);
  if (!mayRetire) return new Rejection("AccessDeniedException", `${denial} because no grant or identity-based policy allows it`);
  if (isDryRun(input)) return dryRunSucceeded();
  retire(kms, grant);
  return ok({});
}
