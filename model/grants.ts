// Grant operations (spec §9.7): CreateGrant (a retry with identical properties and Name is the same
// grant with a fresh token; a grant-authorized caller may only create narrower child grants),
// ListGrants, ListRetirableGrants, RevokeGrant, RetireGrant (who may retire). What grants authorize
// is model/grant-authority.ts; a retired or revoked grant keeps authorizing for up to one more
// propagation delay (§12). A dry run (model/dry-run.ts) makes every check, the quota's too, and
// refuses with DryRunOperationException instead of making, revoking or retiring the grant.
import { isExplicitDeny } from "../protocol/decision.ts";
import { any, okPattern } from "../protocol/pattern.ts";
import type { JsonObject } from "../protocol/step.ts";
import { needIam, needKey } from "./access.ts";
import { accountOf, iamDecision } from "./authorize.ts";
import { dateOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { dryRunOf, wouldHaveSucceeded } from "./dry-run.ts";
import { checkGrantTokens } from "./grant-authority.ts";
import { grantIdForm } from "./grant-id.ts";
import { needState, resolveKey } from "./key-lookup.ts";
import { page, pageParams } from "./paging.ts";
import { context, optionalText, refuse, requiredText, type Check } from "./refusal.ts";
import { requestContext } from "./request-context.ts";
import { principalArn, principalOfCallerAccount } from "./retiring-principal.ts";
import type { ModelConstraints, ModelGrant } from "./state.ts";
import { changed } from "./state-change.ts";

/** The grant operations a symmetric key supports (§9.7). */
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
/** The rest of the GrantOperation enum: valid names, but not for a symmetric key. */
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

function* principalParam(ctx: CallContext, name: string): Check<string | undefined> {
  const v = yield* optionalText(ctx.input, name, 1, 256);
  if (v !== undefined && !/^[\w+=,.@:/-]+$/.test(v)) return yield* refuse("ValidationException");
  return v;
}

function* constraintsParam(ctx: CallContext): Check<ModelConstraints | undefined> {
  const raw = ctx.input["Constraints"];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) return yield* refuse("ValidationException");
  const out: ModelConstraints = {};
  for (const name of ["EncryptionContextEquals", "EncryptionContextSubset"] as const) {
    if (raw[name] === undefined || raw[name] === null) continue;
    const pairs = yield* context(raw as JsonObject, name);
    if (Object.keys(pairs).length > 8 || Object.values(pairs).some((v) => v.length > 384)) return yield* refuse("ValidationException");
    out[name] = pairs;
  }
  return out;
}

export function* CreateGrant(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const grantee = (yield* principalParam(ctx, "GranteePrincipal")) ?? (yield* refuse("ValidationException"));
  const retiring = yield* principalParam(ctx, "RetiringPrincipal");
  const ops = ctx.input["Operations"];
  if (!Array.isArray(ops) || ops.length === 0 || ops.some((o) => typeof o !== "string" || ![...OPERATIONS, ...NOT_SYMMETRIC].includes(o))) {
    return yield* refuse("ValidationException");
  }
  const operations = ops as string[];
  if (operations.some((o) => NOT_SYMMETRIC.includes(o))) return yield* refuse("ValidationException"); // §9.7: not for a symmetric key
  const constraints = yield* constraintsParam(ctx);
  // §9.7 [MODEL CHOICE: AWS's texts are not recorded, so not stated]: one kind of encryption-context
  // constraint (an empty map is as none: IAM Access Analyzer's KmsGrantConstraints); more than CreateGrant alone.
  if (Object.values(constraints ?? {}).filter((pairs) => Object.keys(pairs).length > 0).length > 1)
    return yield* refuse("ValidationException");
  if (operations.every((op) => op === "CreateGrant")) return yield* refuse("ValidationException");
  const name = yield* optionalText(ctx.input, "Name", 1, 256);
  if (name !== undefined && !/^[a-zA-Z0-9:/_-]+$/.test(name)) return yield* refuse("ValidationException");
  const key = yield* resolveKey(ctx, keyId, false);
  const presented = yield* checkGrantTokens(ctx);
  // §9.6: CreateGrant's condition keys; a caller's own call is never for an AWS resource.
  const constraintTypes = Object.keys(constraints ?? {}).sort();
  const conditions = {
    "kms:GrantOperations": [...new Set(operations)].sort(),
    "kms:GranteePrincipal": [grantee],
    "kms:GrantIsForAWSResource": ["false"],
    ...(retiring !== undefined ? { "kms:RetiringPrincipal": [retiring] } : {}),
    ...(constraintTypes.length > 0 ? { "kms:GrantConstraintType": constraintTypes } : {}),
  };
  yield* needKey(ctx, "kms:CreateGrant", key, { child: { operations, constraints }, presented, conditions });
  yield* needState(ctx, "CreateGrant", key);
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
  if (existing === undefined && ctx.state.grants.filter((g) => g.keyArn === key.arn).length >= ctx.world.grantsPerKey) {
    return yield* refuse("LimitExceededException");
  }
  if (dryRunOf(ctx.input).on) return yield* wouldHaveSucceeded();
  return goesAhead(ctx, okPattern({ GrantToken: any("string"), GrantId: existing?.id ?? any("string") }), (actual) => {
    const id = actual.ok ? actual.output["GrantId"] : undefined;
    const token = actual.ok ? actual.output["GrantToken"] : undefined;
    if (typeof id !== "string" || typeof token !== "string") throw new Error("model: CreateGrant matched without GrantId and GrantToken");
    return changed(ctx.state, (next) => {
      if (existing === undefined) {
        next.grants = [
          ...next.grants,
          {
            id,
            keyArn: key.arn,
            grantee,
            operations: [...operations],
            creationUs: ctx.nowUs,
            ...(name !== undefined ? { name } : {}),
            ...(retiring !== undefined ? { retiring } : {}),
            ...(constraints !== undefined ? { constraints } : {}),
          },
        ];
      }
      next.grantTokens = { ...next.grantTokens, [token]: id };
    });
  });
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

export function* ListGrants(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const paging = yield* pageParams(ctx, 100, 50);
  const grantId = yield* optionalText(ctx.input, "GrantId", 1, 128);
  const grantee = yield* principalParam(ctx, "GranteePrincipal");
  yield* grantIdForm(grantId);
  const key = yield* resolveKey(ctx, keyId, false);
  yield* needKey(ctx, "kms:ListGrants", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } });
  const mine = ctx.state.grants.filter(
    (g) => g.keyArn === key.arn && (grantId === undefined || g.id === grantId) && (grantee === undefined || g.grantee === grantee),
  );
  return goesAhead(ctx, okPattern(yield* page(mine, paging, "Grants", (g) => entry(ctx, g))));
}

/** Retired or revoked: gone from listings at once, authorizing for up to one more propagation delay (§12). */
function removed(ctx: CallContext, id: string): Branch[] {
  return goesAhead(ctx, okPattern({}), () =>
    changed(ctx.state, (next) => {
      const grant = next.grants.find((g) => g.id === id)!;
      next.grants = next.grants.filter((g) => g.id !== id);
      if (ctx.world.grantPropagationUsMax > 0) next.retiredGrants = [...next.retiredGrants, { grant, retiredUs: ctx.nowUs }];
    }),
  );
}

/** §9.7: grants on any key retirable by RetiringPrincipal (a principal of the caller's account), paged; IAM only (§9.1). */
export function* ListRetirableGrants(ctx: CallContext): Check<Branch[]> {
  const retiring = (yield* principalParam(ctx, "RetiringPrincipal")) ?? (yield* refuse("ValidationException"));
  const paging = yield* pageParams(ctx, 100, 50);
  yield* principalArn(retiring);
  yield* needIam(ctx, "kms:ListRetirableGrants", { resource: retiring });
  yield* principalOfCallerAccount(ctx, retiring);
  const mine = ctx.state.grants.filter((g) => g.retiring === retiring);
  return goesAhead(ctx, okPattern(yield* page(mine, paging, "Grants", (g) => entry(ctx, g))));
}

export function* RevokeGrant(ctx: CallContext): Check<Branch[]> {
  const keyId = yield* requiredText(ctx.input, "KeyId", 1, 2048);
  const grantId = yield* requiredText(ctx.input, "GrantId", 1, 128);
  yield* grantIdForm(grantId);
  const key = yield* resolveKey(ctx, keyId, false);
  // Key policy (and IAM) only: grants do not authorize it.
  yield* needKey(ctx, "kms:RevokeGrant", key, { conditions: { "kms:GrantIsForAWSResource": ["false"] } });
  if (!ctx.state.grants.some((g) => g.id === grantId && g.keyArn === key.arn)) return yield* refuse("NotFoundException");
  if (dryRunOf(ctx.input).on) return yield* wouldHaveSucceeded();
  return removed(ctx, grantId);
}

export function* RetireGrant(ctx: CallContext): Check<Branch[]> {
  const token = yield* optionalText(ctx.input, "GrantToken", 1, 8192);
  const keyId = yield* optionalText(ctx.input, "KeyId", 1, 2048);
  const grantId = yield* optionalText(ctx.input, "GrantId", 1, 128);
  let grant: ModelGrant;
  if (token !== undefined) {
    const id = ctx.state.grantTokens[token] ?? (yield* refuse("InvalidGrantTokenException"));
    grant = ctx.state.grants.find((g) => g.id === id) ?? (yield* refuse("NotFoundException"));
  } else {
    if (keyId === undefined || grantId === undefined) return yield* refuse("ValidationException");
    yield* grantIdForm(grantId);
    const key = yield* resolveKey(ctx, keyId, false);
    grant = ctx.state.grants.find((g) => g.id === grantId && g.keyArn === key.arn) ?? (yield* refuse("NotFoundException"));
  }
  // §9.7: an IAM deny of kms:RetireGrant stops anyone; otherwise the retiring principal, the grantee
  // of a grant that allows RetireGrant, or the issuing account's principals allowed it by IAM.
  const key = ctx.state.keys.find((k) => k.arn === grant.keyArn);
  const iam = iamDecision(ctx.caller, "kms:RetireGrant", () => requestContext(ctx, "kms:RetireGrant", key), grant.keyArn);
  ctx.decisions.push(iam.decision);
  if (iam.message !== undefined && isExplicitDeny(iam.decision)) return yield* refuse("AccessDeniedException", iam.message);
  const issuing = accountOf(ctx.caller.arn) === accountOf(grant.keyArn) && iam.message === undefined;
  if (grant.retiring !== ctx.caller.arn && !(grant.grantee === ctx.caller.arn && grant.operations.includes("RetireGrant")) && !issuing) {
    return yield* refuse(
      "AccessDeniedException",
      `User: ${ctx.caller.arn} is not authorized to perform: kms:RetireGrant on resource: ${grant.keyArn} because no grant or identity-based policy allows it`,
    );
  }
  if (dryRunOf(ctx.input).on) return yield* wouldHaveSucceeded();
  return removed(ctx, grant.id);
}
