// Grant rules (spec §9.7): CreateGrant (a retry with identical properties and Name is the same grant
// with a fresh token; a grant-authorized caller may only create narrower child grants), ListGrants,
// RevokeGrant, RetireGrant (who may retire), grant tokens, and §9.2 step 6 — a grant allows its
// grantee (or its grantee account's principals [INFERRED]) its operations under its constraints, in
// any account, but never past an explicit deny. Eventually consistent (§12): a new grant authorizes
// without its token after some delay up to world.grantPropagationUsMax, and a retired or revoked one
// keeps authorizing for such a delay; inside those windows the model allows either (`grantsInFlux`).
import { isExplicitDeny } from "../protocol/decision.ts";
import type { Json, JsonObject } from "../protocol/step.ts";
import { accountOf, iamDecision } from "./authorize.ts";
import { dateOf, needIam, type Branch, type CallContext } from "./context.ts";
import { requestContext, type AccessRequest } from "./request-context.ts";
import { resolveKey, needKey, needState } from "./keys.ts";
import { any, okPattern } from "../protocol/pattern.ts";
import { page, pageParams } from "./paging.ts";
import { context, refuse, text } from "./refuse.ts";
import { copy, type ModelConstraints, type ModelGrant, type ModelKey, type ModelState, type ModelWorld } from "./state.ts";

const OPERATIONS = [
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
const NOT_SYMMETRIC = [
  "Sign",
  "Verify",
  "GetPublicKey",
  "GenerateDataKeyPair",
  "GenerateDataKeyPairWithoutPlaintext",
  "GenerateMac",
  "VerifyMac",
  "DeriveSharedSecret",
];
const WITH_CONTEXT = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

const has = (outer: Record<string, string>, inner: Record<string, string>): boolean =>
  Object.entries(inner).every(([k, v]) => outer[k] === v);
const same = (a: Record<string, string>, b: Record<string, string>): boolean => has(a, b) && has(b, a);

/** A request context meets the constraints: Equals exactly, Subset contained; both when both [MODEL CHOICE]. */
function meets(c: ModelConstraints | undefined, ctx: Record<string, string>): boolean {
  return (
    (c?.EncryptionContextEquals === undefined || same(ctx, c.EncryptionContextEquals)) &&
    (c?.EncryptionContextSubset === undefined || has(ctx, c.EncryptionContextSubset))
  );
}

/** A child grant is at least as strict: Equals kept; Subset kept, widened, or made an Equals that holds it. */
function narrower(parent: ModelConstraints | undefined, child: ModelConstraints | undefined): boolean {
  const pe = parent?.EncryptionContextEquals;
  const ps = parent?.EncryptionContextSubset;
  if (pe !== undefined && !(child?.EncryptionContextEquals !== undefined && same(child.EncryptionContextEquals, pe))) return false;
  if (ps === undefined) return true;
  return (
    (child?.EncryptionContextEquals !== undefined && has(child.EncryptionContextEquals, ps)) ||
    (child?.EncryptionContextSubset !== undefined && has(child.EncryptionContextSubset, ps))
  );
}

/**
 * §12: the grants that authorize a call by `caller` at `nowUs` without a token for sure, and those
 * that may or may not (a new one inside its window, a retired one inside its). Only grants for the
 * caller (or the caller's account) are returned: no other grant can decide its call.
 */
export function grantsInFlux(
  world: ModelWorld,
  state: ModelState,
  callerArn: string,
  nowUs: number,
): { certain: ModelGrant[]; uncertain: ModelGrant[] } {
  const account = `arn:aws:iam::${accountOf(callerArn)}:root`;
  const mine = (g: ModelGrant) => g.grantee === callerArn || g.grantee === account;
  const w = world.grantPropagationUsMax;
  const live = state.grants.filter(mine);
  return {
    certain: live.filter((g) => nowUs >= g.creationUs + w),
    uncertain: [
      ...live.filter((g) => nowUs < g.creationUs + w),
      ...state.retiredGrants.filter((r) => mine(r.grant) && nowUs < r.retiredUs + w).map((r) => r.grant),
    ],
  };
}

/** §9.2 step 6 for `action` on `key`: the id of a grant that allows it, if any. */
export function allowingGrant(ctx: CallContext, action: string, key: ModelKey, request: AccessRequest): string | undefined {
  const op = action.replace(/^kms:/, "");
  const account = `arn:aws:iam::${accountOf(ctx.caller.arn)}:root`;
  const view = ctx.grantView ?? grantsInFlux(ctx.world, ctx.state, ctx.caller.arn, ctx.nowUs).certain;
  const presented = ctx.state.grants.filter((g) => request.presented?.includes(g.id) === true);
  return [...view, ...presented].find(
    (g) =>
      g.keyArn === key.arn &&
      (g.grantee === ctx.caller.arn || g.grantee === account) &&
      g.operations.includes(op) &&
      (!WITH_CONTEXT.includes(op) || meets(g.constraints, request.context ?? {})) &&
      (op !== "CreateGrant" ||
        (request.child !== undefined &&
          request.child.operations.every((o) => g.operations.includes(o)) &&
          narrower(g.constraints, request.child.constraints))),
  )?.id;
}

/** GrantTokens: 0–10 of 1–8192 characters, each one the KMS handed out (InvalidGrantTokenException) [MODEL CHOICE]; their GrantIds. */
export function checkGrantTokens(ctx: CallContext): string[] {
  const raw: Json | undefined = ctx.input["GrantTokens"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 10 || raw.some((t) => typeof t !== "string" || t.length < 1 || t.length > 8192))
    refuse("ValidationException");
  return (raw as string[]).map((t) => ctx.state.grantTokens[t] ?? refuse("InvalidGrantTokenException"));
}

function principalParam(ctx: CallContext, name: string, required: boolean): string | undefined {
  const v = text(ctx.input, name, 1, 256, required);
  if (v !== undefined && !/^[\w+=,.@:/-]+$/.test(v)) refuse("ValidationException");
  return v;
}

function constraintsParam(ctx: CallContext): ModelConstraints | undefined {
  const raw = ctx.input["Constraints"];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) return refuse("ValidationException");
  const out: ModelConstraints = {};
  for (const name of ["EncryptionContextEquals", "EncryptionContextSubset"] as const) {
    if (raw[name] === undefined || raw[name] === null) continue;
    const pairs = context(raw as JsonObject, name);
    if (Object.keys(pairs).length > 8 || Object.values(pairs).some((v) => v.length > 384)) refuse("ValidationException");
    out[name] = pairs;
  }
  return out;
}

export function CreateGrant(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const grantee = principalParam(ctx, "GranteePrincipal", true)!;
  const retiring = principalParam(ctx, "RetiringPrincipal", false);
  const ops = ctx.input["Operations"];
  if (!Array.isArray(ops) || ops.length === 0 || ops.some((o) => typeof o !== "string" || ![...OPERATIONS, ...NOT_SYMMETRIC].includes(o)))
    refuse("ValidationException");
  const operations = ops as string[];
  if (operations.some((o) => NOT_SYMMETRIC.includes(o))) refuse("ValidationException"); // §9.7: not for a symmetric key
  const constraints = constraintsParam(ctx);
  const name = text(ctx.input, "Name", 1, 256, false);
  if (name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(name)) refuse("ValidationException");
  const key = resolveKey(ctx, keyId, false);
  const presented = checkGrantTokens(ctx);
  // §9.6: CreateGrant's condition keys; a caller's own call is never for an AWS resource.
  const constraintTypes = Object.keys(constraints ?? {}).sort();
  const conditions = {
    "kms:GrantOperations": [...new Set(operations)].sort(),
    "kms:GranteePrincipal": [grantee],
    "kms:GrantIsForAWSResource": ["false"],
    ...(retiring !== undefined ? { "kms:RetiringPrincipal": [retiring] } : {}),
    ...(constraintTypes.length > 0 ? { "kms:GrantConstraintType": constraintTypes } : {}),
  };
  needKey(ctx, "kms:CreateGrant", key, { child: { operations, constraints }, presented, conditions });
  needState(ctx, "CreateGrant", key);
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const existing =
    name === undefined
      ? undefined
      : ctx.state.grants.find(
          (g) =>
            g.keyArn === key.arn &&
            g.name === name &&
            g.grantee === grantee &&
            g.retiring === retiring &&
            sameSet(g.operations, operations) &&
            JSON.stringify(g.constraints ?? null) === JSON.stringify(constraints ?? null),
        );
  // §11.1: a new grant past the key's quota; retired and revoked grants do not count [MODEL CHOICE].
  if (existing === undefined && ctx.state.grants.filter((g) => g.keyArn === key.arn).length >= ctx.world.grantsPerKey)
    refuse("LimitExceededException");
  return [
    {
      outcome: okPattern({ GrantToken: any("string"), GrantId: existing?.id ?? any("string") }),
      next: (actual) => {
        const id = actual.ok ? actual.output["GrantId"] : undefined;
        const token = actual.ok ? actual.output["GrantToken"] : undefined;
        if (typeof id !== "string" || typeof token !== "string")
          throw new Error("model: CreateGrant matched without GrantId and GrantToken");
        const next = copy(ctx.state);
        if (existing === undefined) {
          next.grants.push({
            id,
            keyArn: key.arn,
            grantee,
            operations: [...operations],
            creationUs: ctx.nowUs,
            ...(name !== undefined ? { name } : {}),
            ...(retiring !== undefined ? { retiring } : {}),
            ...(constraints !== undefined ? { constraints } : {}),
          });
        }
        next.grantTokens[token] = id;
        return next;
      },
    },
  ];
}

function entry(ctx: CallContext, g: ModelGrant): JsonObject {
  return {
    KeyId: g.keyArn,
    GrantId: g.id,
    CreationDate: dateOf(ctx.world, g.creationUs),
    GranteePrincipal: g.grantee,
    IssuingAccount: `arn:aws:iam::${accountOf(g.keyArn)}:root`,
    Operations: g.operations,
    ...(g.name !== undefined ? { Name: g.name } : {}),
    ...(g.retiring !== undefined ? { RetiringPrincipal: g.retiring } : {}),
    ...(g.constraints !== undefined ? { Constraints: g.constraints as JsonObject } : {}),
  };
}

export function ListGrants(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const paging = pageParams(ctx, 100, 50);
  const grantId = text(ctx.input, "GrantId", 1, 128, false);
  const grantee = principalParam(ctx, "GranteePrincipal", false);
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:ListGrants", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } });
  const mine = ctx.state.grants.filter(
    (g) => g.keyArn === key.arn && (grantId === undefined || g.id === grantId) && (grantee === undefined || g.grantee === grantee),
  );
  return [{ outcome: okPattern(page(mine, paging, "Grants", (g) => entry(ctx, g))), next: () => ctx.state }];
}

/** Retired or revoked: gone from listings at once, authorizing for up to one more propagation delay (§12). */
function removed(ctx: CallContext, id: string): Branch[] {
  const next = copy(ctx.state);
  const grant = next.grants.find((g) => g.id === id)!;
  next.grants = next.grants.filter((g) => g.id !== id);
  if (ctx.world.grantPropagationUsMax > 0) next.retiredGrants.push({ grant, retiredUs: ctx.nowUs });
  return [{ outcome: okPattern({}), next: () => next }];
}

/** §9.7: grants on any key retirable by RetiringPrincipal, paged; IAM only (§9.1). */
export function ListRetirableGrants(ctx: CallContext): Branch[] {
  const retiring = principalParam(ctx, "RetiringPrincipal", true)!;
  const paging = pageParams(ctx, 100, 50);
  needIam(ctx, "kms:ListRetirableGrants", { resource: retiring });
  const mine = ctx.state.grants.filter((g) => g.retiring === retiring);
  return [{ outcome: okPattern(page(mine, paging, "Grants", (g) => entry(ctx, g))), next: () => ctx.state }];
}

export function RevokeGrant(ctx: CallContext): Branch[] {
  const keyId = text(ctx.input, "KeyId", 1, 2048, true)!;
  const grantId = text(ctx.input, "GrantId", 1, 128, true)!;
  const key = resolveKey(ctx, keyId, false);
  needKey(ctx, "kms:RevokeGrant", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } }); // key policy only: grants do not authorize it
  if (!ctx.state.grants.some((g) => g.id === grantId && g.keyArn === key.arn)) refuse("NotFoundException");
  return removed(ctx, grantId);
}

export function RetireGrant(ctx: CallContext): Branch[] {
  const token = text(ctx.input, "GrantToken", 1, 8192, false);
  const keyId = text(ctx.input, "KeyId", 1, 2048, false);
  const grantId = text(ctx.input, "GrantId", 1, 128, false);
  if (token === undefined && (keyId === undefined || grantId === undefined)) refuse("ValidationException");
  let grant: ModelGrant | undefined;
  if (token !== undefined) {
    const id = ctx.state.grantTokens[token] ?? refuse("InvalidGrantTokenException");
    grant = ctx.state.grants.find((g) => g.id === id) ?? refuse("NotFoundException");
  } else {
    const key = resolveKey(ctx, keyId!, false);
    grant = ctx.state.grants.find((g) => g.id === grantId && g.keyArn === key.arn) ?? refuse("NotFoundException");
  }
  // §9.7: an IAM deny of kms:RetireGrant stops anyone; otherwise the retiring principal, the grantee
  // of a grant that allows RetireGrant, or the issuing account's principals allowed it by IAM.
  const key = ctx.state.keys.find((k) => k.arn === grant.keyArn);
  const iam = iamDecision(ctx.caller, "kms:RetireGrant", requestContext(ctx, "kms:RetireGrant", key), grant.keyArn);
  ctx.decisions.push(iam.decision);
  if (iam.message !== undefined && isExplicitDeny(iam.decision)) refuse("AccessDeniedException", iam.message);
  const issuing = accountOf(ctx.caller.arn) === accountOf(grant.keyArn) && iam.message === undefined;
  if (grant.retiring !== ctx.caller.arn && !(grant.grantee === ctx.caller.arn && grant.operations.includes("RetireGrant")) && !issuing) {
    refuse(
      "AccessDeniedException",
      `User: ${ctx.caller.arn} is not authorized to perform: kms:RetireGrant on resource: ${grant.keyArn} because no grant or identity-based policy allows it`,
    );
  }
  return removed(ctx, grant.id);
}
