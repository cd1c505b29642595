// What grants authorize (spec §9.2 step 6, §9.7, §12): a grant allows its grantee (or its grantee
// account's principals [INFERRED]) its operations on its key under its constraints, in any account,
// but never past an explicit deny (model/authorize.ts decides that order). Eventually consistent: a
// new grant authorizes without its token after some delay up to world.grantPropagationUsMax, a retired
// or revoked one keeps authorizing for such a delay; inside those windows either is allowed.
import type { Json } from "../protocol/step.ts";
import { accountOf } from "./authorize.ts";
import type { CallContext } from "./context.ts";
import { refuse, type Check } from "./refusal.ts";
import type { AccessRequest } from "./request-context.ts";
import type { ModelConstraints, ModelGrant, ModelKey, ModelState, ModelWorld } from "./state.ts";

/** Grant operations whose requests carry an encryption context a constraint applies to (§9.7). */
const WITH_CONTEXT = ["Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo"];

const has = (outer: Record<string, string>, inner: Record<string, string>): boolean =>
  Object.entries(inner).every(([k, v]) => outer[k] === v);
export const sameContext = (a: Record<string, string>, b: Record<string, string>): boolean => has(a, b) && has(b, a);

/** §9.7: in a grant constraint, keys compare case-insensitively and values case-sensitively. */
const lowerKeys = (c: Record<string, string>): [string, string][] => Object.entries(c).map(([k, v]) => [k.toLowerCase(), v]);
const holds = (outer: Record<string, string>, inner: Record<string, string>): boolean =>
  lowerKeys(inner).every(([k, v]) => lowerKeys(outer).some(([ok, ov]) => ok === k && ov === v));
const sameUnderGrant = (a: Record<string, string>, b: Record<string, string>): boolean => holds(a, b) && holds(b, a);

/** A request context meets the constraints: Equals exactly, Subset contained (one kind per grant, §9.7). */
function meets(c: ModelConstraints | undefined, ctx: Record<string, string>): boolean {
  return (
    (c?.EncryptionContextEquals === undefined || sameUnderGrant(ctx, c.EncryptionContextEquals)) &&
    (c?.EncryptionContextSubset === undefined || holds(ctx, c.EncryptionContextSubset))
  );
}

/** A child grant is at least as strict: Equals kept; Subset kept, widened, or made an Equals that holds it. */
function narrower(parent: ModelConstraints | undefined, child: ModelConstraints | undefined): boolean {
  const pe = parent?.EncryptionContextEquals;
  const ps = parent?.EncryptionContextSubset;
  if (pe !== undefined && !(child?.EncryptionContextEquals !== undefined && sameUnderGrant(child.EncryptionContextEquals, pe)))
    return false;
  if (ps === undefined) return true;
  return (
    (child?.EncryptionContextEquals !== undefined && holds(child.EncryptionContextEquals, ps)) ||
    (child?.EncryptionContextSubset !== undefined && holds(child.EncryptionContextSubset, ps))
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
  const certain: ModelGrant[] = [];
  const uncertain: ModelGrant[] = []; // the new ones inside their window, then the retired ones inside theirs
  for (const g of state.grants) if (mine(g)) (nowUs >= g.creationUs + w ? certain : uncertain).push(g);
  for (const r of state.retiredGrants) if (mine(r.grant) && nowUs < r.retiredUs + w) uncertain.push(r.grant);
  return { certain, uncertain };
}

/** §9.2 step 6 for `action` on `key`: the id of a grant that allows it, if any. */
export function allowingGrant(ctx: CallContext, action: string, key: ModelKey, request: AccessRequest): string | undefined {
  const view = ctx.grantView ?? grantsInFlux(ctx.world, ctx.state, ctx.caller.arn, ctx.nowUs).certain;
  const presented = request.presented ?? [];
  if (view.length === 0 && presented.length === 0) return undefined; // most calls: no grant could count
  const op = action.replace(/^kms:/, "");
  const account = `arn:aws:iam::${accountOf(ctx.caller.arn)}:root`;
  const allows = (g: ModelGrant): boolean =>
    g.keyArn === key.arn &&
    (g.grantee === ctx.caller.arn || g.grantee === account) &&
    g.operations.includes(op) &&
    (!WITH_CONTEXT.includes(op) || meets(g.constraints, request.context ?? {})) &&
    (op !== "CreateGrant" ||
      (request.child !== undefined &&
        request.child.operations.every((o) => g.operations.includes(o)) &&
        narrower(g.constraints, request.child.constraints)));
  // The grants that count without a token first, then those whose tokens the request presents (§12).
  return (view.find(allows) ?? ctx.state.grants.find((g) => presented.includes(g.id) && allows(g)))?.id;
}

/** GrantTokens: 0–10 of 1–8192 characters, each one the KMS handed out (InvalidGrantTokenException) [MODEL CHOICE]; their GrantIds. */
export function* checkGrantTokens(ctx: CallContext): Check<string[]> {
  const raw: Json | undefined = ctx.input["GrantTokens"];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.length > 10 || raw.some((t) => typeof t !== "string" || t.length < 1 || t.length > 8192)) {
    return yield* refuse("ValidationException");
  }
  const ids: string[] = [];
  for (const token of raw as string[]) ids.push(ctx.state.grantTokens[token] ?? (yield* refuse("InvalidGrantTokenException")));
  return ids;
}
