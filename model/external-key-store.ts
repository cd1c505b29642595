// CreateCustomKeyStore of type EXTERNAL_KEY_STORE (spec §14). [MODEL CHOICE] kmsim models no external
// key store: without its proxy's URI endpoint and path, credential and connectivity (optional in the
// request's shape) the request is invalid; with them, once authorized, no proxy answers in kmsim's world.
import { needIam } from "./access.ts";
import type { Branch, CallContext } from "./context.ts";
import { refuse, type Check } from "./refusal.ts";

/** What an external key store is created with besides its name and type. */
const XKS_NEEDS = ["XksProxyUriEndpoint", "XksProxyUriPath", "XksProxyAuthenticationCredential", "XksProxyConnectivity"];

export function* externalKeyStore(ctx: CallContext): Check<Branch[]> {
  if (XKS_NEEDS.some((member) => ctx.input[member] === undefined || ctx.input[member] === null))
    return yield* refuse("ValidationException");
  yield* needIam(ctx, "kms:CreateCustomKeyStore");
  return yield* refuse("XksProxyUriUnreachableException");
}
