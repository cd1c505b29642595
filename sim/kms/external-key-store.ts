// CreateCustomKeyStore of type EXTERNAL_KEY_STORE (spec §14) in the virtual KMS. kmsim models no
// external key store and no proxy [MODEL CHOICE]; a request for one is answered with errors an AWS
// client knows for the call (UnsupportedOperationException is not among CreateCustomKeyStore's).
import type { JsonObject } from "../../protocol/step.ts";
import { Rejection } from "../wire/validate.ts";
import { access } from "./access.ts";
import type { VirtualKms } from "./kms.ts";

/** What an external key store needs besides its name and type (spec §14); its shape marks them optional. */
const XKS_MEMBERS = ["XksProxyUriEndpoint", "XksProxyUriPath", "XksProxyAuthenticationCredential", "XksProxyConnectivity"];

/** Without the members it needs, ValidationException; in full, from a caller allowed to, a proxy nothing answers at. */
export function externalKeyStore(kms: VirtualKms, caller: string, input: JsonObject): Rejection {
  const missing = XKS_MEMBERS.find((member) => input[member] === undefined || input[member] === null);
  if (missing !== undefined)
    return new Rejection("ValidationException", `${missing} is required for a custom key store of type EXTERNAL_KEY_STORE.`);
  const denied = access.authorizeIam(kms, caller, "kms:CreateCustomKeyStore");
  if (denied !== undefined) return denied;
  return new Rejection("XksProxyUriUnreachableException", "KMS cannot reach the external key store proxy at its URI endpoint.");
}
