// Automatic key rotation in the virtual KMS (spec §5.5, fn 7): EnableKeyRotation (period 90–2560 days,
// 365 unless given), DisableKeyRotation, GetKeyRotationStatus. A key in a custom key store cannot
// rotate: UnsupportedOperationException, before the key's state is looked at [MODEL CHOICE, §16]. The
// next rotation is due a period after rotation was turned on; no rotation is carried out (a rotated
// key keeps opening what it sealed) [MODEL CHOICE].
import { ok, type JsonObject, type Outcome } from "../../protocol/step.ts";
import type { Proc } from "../kernel/process.ts";
import { optionalInteger, Rejection, requiredString } from "../wire/validate.ts";
import { access } from "./access.ts";
import { checkKeyState } from "./key-states.ts";
import type { VirtualKms } from "./kms.ts";
import type { KeyRecord } from "./state.ts";

const DAY_US = 86_400_000_000;

function rotatableKey(kms: VirtualKms, caller: string, input: JsonObject, operation: string): KeyRecord | Rejection {
  const keyId = requiredString(input, "KeyId", 1, 2048);
  if (keyId instanceof Rejection) return keyId;
  const key = kms.resolveKey(caller, keyId, false);
  if (key instanceof Rejection) return key;
  const denied = access.authorizeKey(kms, caller, `kms:${operation}`, key);
  if (denied !== undefined) return denied;
  if (key.Origin !== "AWS_KMS")
    return new Rejection("UnsupportedOperationException", `${key.Arn} origin is ${key.Origin} which is not valid for this operation.`);
  return checkKeyState(operation, key, kms.keyState(key)) ?? key;
}

export function* EnableKeyRotation(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const periodDays = optionalInteger(input, "RotationPeriodInDays", 90, 2560);
  if (periodDays instanceof Rejection) return periodDays;
  const key = rotatableKey(kms, caller, input, "EnableKeyRotation");
  if (key instanceof Rejection) return key;
  key.rotation = { periodDays: periodDays ?? 365, sinceUs: kms.nowUs };
  return ok({});
}

export function* DisableKeyRotation(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const key = rotatableKey(kms, caller, input, "DisableKeyRotation");
  if (key instanceof Rejection) return key;
  key.rotation = undefined;
  return ok({});
}

export function* GetKeyRotationStatus(kms: VirtualKms, caller: string, input: JsonObject): Proc<Outcome> {
  const key = rotatableKey(kms, caller, input, "GetKeyRotationStatus");
  if (key instanceof Rejection) return key;
  const { rotation } = key;
  if (rotation === undefined) return ok({ KeyRotationEnabled: false, KeyId: key.Arn });
  return ok({
    KeyRotationEnabled: true,
    KeyId: key.Arn,
    RotationPeriodInDays: rotation.periodDays,
    NextRotationDate: kms.date(rotation.sinceUs + rotation.periodDays * DAY_US),
  });
}
