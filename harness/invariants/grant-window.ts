// Spec §9.7, §12: a retired or revoked grant may authorize only inside its propagation window. Read
// off the run alone — the calls, their answers, and the grants the virtual KMS's decisions name — not
// off the model.
import { isCall } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

export function grantWindow(windowUs: number): Invariant {
  /** Grant token → GrantId, from CreateGrant's answers. */
  const tokens = new Map<string, string>();
  /** GrantId → when (µs) a RetireGrant or RevokeGrant of it succeeded. */
  const removedAtUs = new Map<string, number>();
  return {
    name: "grant-window",
    after({ step, sut, decisions, atUs }) {
      if (!isCall(step)) return undefined;
      for (const d of decisions) {
        if (d.effect !== "Allow" || d.by.kind !== "grant") continue;
        const removedUs = removedAtUs.get(d.by.grantId);
        if (removedUs !== undefined && atUs >= removedUs + windowUs) {
          return `access: grant ${d.by.grantId} decided ${d.action} for '${step.as}' ${(atUs - removedUs) / 1000} ms after it was retired or revoked; the propagation window is ${windowUs / 1000} ms (spec §12)`;
        }
      }
      if (!sut.ok) return undefined;
      // Members are read only for the calls that have them: read by name from every answer of every
      // shape, they miss V8's property caches.
      if (step.call === "CreateGrant") {
        const { GrantToken: token, GrantId: id } = sut.output;
        if (typeof token === "string" && typeof id === "string") tokens.set(token, id);
      }
      if (step.call === "RevokeGrant" || step.call === "RetireGrant") {
        const input = step.input ?? {};
        const byToken = typeof input["GrantToken"] === "string" ? tokens.get(input["GrantToken"]) : undefined;
        const removed = byToken ?? (typeof input["GrantId"] === "string" ? input["GrantId"] : undefined);
        if (removed !== undefined && !removedAtUs.has(removed)) removedAtUs.set(removed, atUs);
      }
      return undefined;
    },
  };
}
