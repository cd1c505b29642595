// What the virtual KMS's authorization answers: the decision as data (protocol/decision.ts) and, on a
// deny, AWS's AccessDeniedException message (spec §9.2).
import type { Decision, StatementRef } from "../../protocol/decision.ts";

export type Verdict = { allowed: true; decision: Decision } | { allowed: false; message: string; decision: Decision };

export function allowed(decision: Decision): Verdict {
  return { allowed: true, decision };
}

/** A deny of `decision.action` on `resource` by `caller`, with AWS's message ending in `why`. */
export function denied(caller: string, resource: string, why: string, decision: Decision): Verdict {
  return {
    allowed: false,
    message: `User: ${caller} is not authorized to perform: ${decision.action} on resource: ${resource} ${why}`,
    decision,
  };
}

/** The root user's identity (allowed everything, [MODEL CHOICE]) as a statement. */
export const ROOT_USER: StatementRef = { kind: "statement", policy: "root user", index: 0 };
