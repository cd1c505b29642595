// An authorization decision as data (spec §9.2): the action asked for, whether it was allowed, and
// what decided — a policy statement, a grant, or nothing (an implicit deny). Both sides make them;
// invariants and probes read their structure, and reports render them as prose (`describeDecision`).

/** A statement of a policy: the key policy, an identity policy by name, or the root user's identity. */
export interface StatementRef {
  kind: "statement";
  /** "key policy", "identity policy <PolicyName>", or "root user" (whose identity allows everything). */
  policy: string;
  /** The statement's Sid, when it has one. */
  sid?: string;
  /** Its place in the policy's Statement list (0-based). */
  index: number;
}

export type DecidedBy = StatementRef | { kind: "grant"; grantId: string } | { kind: "none" };

export interface Decision {
  action: string;
  effect: "Allow" | "Deny";
  /** What decided: the statement that allowed or denied, the grant that allowed, or none (an implicit deny). */
  by: DecidedBy;
  /** "key" for a decision on a key (key policy, IAM, grants), "iam" for an IAM-only one (§9.1). */
  scope: "key" | "iam";
  /**
   * The other half of a key policy's delegation to IAM (§9.2 step 5): on an allow, the identity statement
   * that allowed along with `by`; on an implicit deny, the key policy statement that needed it.
   */
  delegation?: StatementRef;
}

function statement(ref: StatementRef): string {
  if (ref.policy === "root user") return "the root user's identity";
  return `${ref.policy} statement ${ref.sid !== undefined ? `"${ref.sid}"` : `#${ref.index}`}`;
}

/** A decision in words, e.g. `kms:Encrypt: key policy statement "Team blue" allows`. */
export function describeDecision(d: Decision): string {
  const { by, delegation } = d;
  let reason: string;
  if (by.kind === "grant") reason = `grant ${by.grantId} allows`;
  else if (by.kind === "statement") {
    const verb = d.effect === "Allow" ? "allows" : "denies";
    reason =
      delegation !== undefined && d.effect === "Allow" ? `${statement(by)} and ${statement(delegation)} allow` : `${statement(by)} ${verb}`;
  } else if (delegation !== undefined) reason = `${statement(delegation)} needs the caller's IAM, and no identity policy allows`;
  else reason = d.scope === "key" ? "no key policy statement allows" : "no identity policy allows";
  return `${d.action}: ${reason}`;
}

/** An explicit deny (§9.2 step 3): a Deny statement decided. */
export function isExplicitDeny(d: Decision): boolean {
  return d.effect === "Deny" && d.by.kind === "statement";
}
