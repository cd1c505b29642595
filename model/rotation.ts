// Automatic key rotation (spec §5.5 rows EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus,
// fn 7): only symmetric keys with KMS-made material rotate; a key in a custom key store answers
// UnsupportedOperationException, checked before its state (§16 step 5 before 6) [MODEL CHOICE]. The
// rotation period is 90–2560 days, 365 unless given. The model records that rotation is on and its
// period; NextRotationDate is the time it was turned on plus the period, and no rotation event is
// modelled (a rotated key still opens what it sealed before) [MODEL CHOICE].
import { okPattern } from "../protocol/pattern.ts";
import { needKey } from "./access.ts";
import { dateOf, goesAhead, type Branch, type CallContext } from "./context.ts";
import { needState, resolveKey } from "./key-lookup.ts";
import { integer, refuse, requiredText, type Check } from "./refusal.ts";
import { withKey } from "./state-change.ts";
import type { ModelKey } from "./state.ts";

const DAY_US = 86_400_000_000;
const PERIOD_DAYS_DEFAULT = 365;

/** The key a rotation call names (id or ARN), authorized, rotatable (fn 7), in a state the table allows. */
function* rotatable(ctx: CallContext, operation: string): Check<ModelKey> {
  const key = yield* resolveKey(ctx, yield* requiredText(ctx.input, "KeyId", 1, 2048), false);
  yield* needKey(ctx, `kms:${operation}`, key);
  if (key.origin !== "AWS_KMS") return yield* refuse("UnsupportedOperationException");
  yield* needState(ctx, operation, key);
  return key;
}

export function* EnableKeyRotation(ctx: CallContext): Check<Branch[]> {
  const periodDays = (yield* integer(ctx.input, "RotationPeriodInDays", 90, 2560)) ?? PERIOD_DAYS_DEFAULT;
  const key = yield* rotatable(ctx, "EnableKeyRotation");
  const rotation = { periodDays, sinceUs: ctx.nowUs };
  return goesAhead(ctx, okPattern({}), () => withKey(ctx.state, key.arn, (k) => void (k.rotation = rotation)));
}

export function* DisableKeyRotation(ctx: CallContext): Check<Branch[]> {
  const key = yield* rotatable(ctx, "DisableKeyRotation");
  return goesAhead(ctx, okPattern({}), () => withKey(ctx.state, key.arn, (k) => void (k.rotation = undefined)));
}

export function* GetKeyRotationStatus(ctx: CallContext): Check<Branch[]> {
  const key = yield* rotatable(ctx, "GetKeyRotationStatus");
  const { rotation } = key;
  if (rotation === undefined) return goesAhead(ctx, okPattern({ KeyRotationEnabled: false, KeyId: key.arn }));
  return goesAhead(
    ctx,
    okPattern({
      KeyRotationEnabled: true,
      KeyId: key.arn,
      RotationPeriodInDays: rotation.periodDays,
      NextRotationDate: dateOf(ctx.world, rotation.sinceUs + rotation.periodDays * DAY_US),
    }),
  );
}
