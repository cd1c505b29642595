// Mutants of authorization (spec §9): key policies, IAM identity policies and principal tags, and
// grants with their constraints, tokens and propagation window (§9.7, §12).
import type { CompiledStatement } from "../sim/iam/policy.ts";
import { DecisionCache } from "../sim/iam/decision-cache.ts";
import { IamDirectory } from "../sim/iam/iam.ts";
import { access } from "../sim/kms/access.ts";
import type { AccessRequest, GrantRecord } from "../sim/kms/state.ts";
import type { Operation } from "../sim/kms/kms.ts";
import { patch, together, type Mutant } from "./mutant.ts";
import { ignoringInput, withChange, wrapOperation } from "./seams.ts";

type AuthorizeKey = typeof access.authorizeKey;

/** `access.authorizeKey` with the grants on the key seen changed by `view` for the length of the check. */
function grantsSeenAs(view: (grant: GrantRecord) => GrantRecord | undefined, when: (action: string) => boolean = () => true) {
  return patch(access, "authorizeKey", (authorizeKey): AuthorizeKey => (kms, caller, action, key, request) => {
    if (!when(action)) return authorizeKey(kms, caller, action, key, request);
    const saved = [...kms.grants];
    for (const [id, grant] of saved) {
      const seen = grant.KeyArn === key.Arn ? view(grant) : grant;
      if (seen !== grant) kms.grants.set(id, seen!);
    }
    try {
      return authorizeKey(kms, caller, action, key, request);
    } finally {
      for (const [id, grant] of saved) kms.grants.set(id, grant);
    }
  });
}

/** `access.authorizeKey` with the request it is asked about changed by `view` (by action). */
function requestSeenAs(view: (action: string, request: AccessRequest | undefined) => AccessRequest | undefined) {
  return patch(
    access,
    "authorizeKey",
    (authorizeKey): AuthorizeKey =>
      (kms, caller, action, key, request) =>
        authorizeKey(kms, caller, action, key, view(action, request)),
  );
}

export const AUTHORIZATION_MUTANTS: Mutant[] = [
  {
    name: "key-policy-unchecked",
    area: "key policies",
    description: "no key permission is checked at all (key policies, identity policies, grants)",
    scenarios: ["default"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => patch(access, "authorizeKey", () => () => undefined),
  },
  {
    name: "key-policy-deny-ignored",
    area: "key policies",
    description: "a key policy's Deny statements are not read",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      patch(access, "authorizeKey", (authorizeKey): AuthorizeKey => (kms, caller, action, key, request) => {
        const doc = JSON.parse(key.policy) as { Statement?: unknown };
        const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
        const allows = statements.filter((s) => (s as { Effect?: string } | undefined)?.Effect !== "Deny");
        return authorizeKey(kms, caller, action, { ...key, policy: JSON.stringify({ ...doc, Statement: allows }) }, request);
      }),
  },
  {
    name: "decisions-cached-despite-conditions",
    area: "key policies",
    description: "authorization decisions are cached even when a Condition could change them",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => patch(DecisionCache.prototype, "cacheable", () => () => true),
  },
  {
    name: "lockout-check-skipped",
    area: "key policies",
    description: "PutKeyPolicy skips the policy lockout safety check",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "PutKeyPolicy",
        (original) => (kms, caller, input) => original(kms, caller, { ...input, BypassPolicyLockoutSafetyCheck: true }),
      ),
  },
  {
    name: "identity-deny-ignored",
    area: "IAM",
    description: "Deny statements in identity policies are not read",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      patch(
        IamDirectory.prototype,
        "identityStatements",
        (statements) =>
          function (this: IamDirectory, arn: string) {
            return statements.call(this, arn).filter((s) => s.effect !== "Deny");
          },
      ),
  },
  {
    name: "iam-only-actions-unchecked",
    area: "IAM",
    description: "IAM-only permissions (CreateKey, ListKeys, GenerateRandom, store operations …) are never checked",
    scenarios: ["authz", "default"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => patch(access, "authorizeIam", () => () => undefined),
  },
  {
    name: "stale-identity-policies",
    area: "IAM",
    description: "the KMS keeps using a principal's compiled identity policies after they change",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      patch(
        IamDirectory.prototype,
        "setInlinePolicy",
        (set) =>
          function (this: IamDirectory, arn: string, name: string, text: string | undefined) {
            this.identityStatements(arn); // compile (and cache) the old policies first
            const cache = (this as unknown as { compiledIdentity: Map<string, CompiledStatement[]> }).compiledIdentity;
            const stale = cache.get(arn)!;
            set.call(this, arn, name, text);
            cache.set(arn, stale);
          },
      ),
  },
  {
    name: "principal-tags-frozen",
    area: "IAM",
    description: "principal tags never change: aws:PrincipalTag reads the world's first tags",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "state-audit" },
    apply: () => patch(IamDirectory.prototype, "setTag", () => () => undefined),
  },
  {
    name: "grant-constraint-type-unseen",
    area: "conditions",
    description: "CreateGrant's kms:GrantConstraintType condition key is never in the request context",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      requestSeenAs((_action, request) => {
        if (request?.conditions?.["kms:GrantConstraintType"] === undefined) return request;
        const { "kms:GrantConstraintType": _, ...conditions } = request.conditions;
        return { ...request, conditions };
      }),
  },
  {
    name: "grant-equals-as-subset",
    area: "grants and constraints",
    description: "a grant's EncryptionContextEquals constraint is checked as EncryptionContextSubset",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      grantsSeenAs((g) => {
        const equals = g.Constraints?.EncryptionContextEquals;
        if (equals === undefined) return g;
        const { EncryptionContextEquals: _, ...rest } = g.Constraints!;
        return { ...g, Constraints: { ...rest, EncryptionContextSubset: { ...rest.EncryptionContextSubset, ...equals } } };
      }),
  },
  {
    name: "grant-context-fixed",
    area: "grants and constraints",
    description: "grant checks hold the constraints against a fixed encryption context, not the request's",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      patch(
        access,
        "authorizeKey",
        (authorizeKey): AuthorizeKey =>
          (kms, caller, action, key, request) =>
            authorizeKey(
              kms,
              caller,
              action,
              key,
              request === undefined ? request : { ...request, context: { purpose: "test", team: "blue" } },
            ),
      ),
  },
  {
    name: "child-grant-may-widen",
    area: "grants and constraints",
    description: "CreateGrant under a grant does not require the child's constraints to be as strict as its parent's",
    scenarios: ["authz"],
    expected: { kind: "invariant", check: "access" },
    apply: () =>
      grantsSeenAs(
        ({ Constraints: _, ...g }) => g,
        (action) => action === "kms:CreateGrant",
      ),
  },
  {
    name: "grant-tokens-ignored",
    area: "grants and constraints",
    description: "a grant token presented with a request does not make its grant count before it propagates",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        access,
        "authorizeKey",
        (authorizeKey): AuthorizeKey =>
          (kms, caller, action, key, request) =>
            authorizeKey(kms, caller, action, key, request === undefined ? request : { ...request, presented: [] }),
      ),
  },
  {
    name: "grant-propagation-tenfold",
    area: "grants and constraints",
    description: "a new grant takes ten times the longest propagation delay to authorize without its token",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "CreateGrant",
        (create) =>
          function* (kms, caller, input) {
            const outcome = yield* create(kms, caller, input);
            const grant = outcome.ok ? kms.grants.get(String(outcome.output["GrantId"])) : undefined;
            if (grant !== undefined && grant.visibleAtUs >= kms.nowUs)
              grant.visibleAtUs = kms.nowUs + 10 * kms.options.grantPropagationUsMax + 1;
            return outcome;
          },
      ),
  },
  {
    name: "retired-grant-lingers",
    area: "grants and constraints",
    description: "a retired or revoked grant keeps authorizing after its propagation window",
    scenarios: ["authz"],
    expected: { kind: "liveness" },
    apply: () => {
      const lingering = (original: Operation): Operation =>
        function* (kms, caller, input) {
          const outcome = yield* original(kms, caller, input);
          for (const r of kms.retiredGrants) r.goneAtUs = Number.MAX_SAFE_INTEGER;
          return outcome;
        };
      return together(wrapOperation("RetireGrant", lingering), wrapOperation("RevokeGrant", lingering));
    },
  },
  {
    name: "retirable-grants-unlisted",
    area: "grants and constraints",
    description: "ListRetirableGrants never lists a grant",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "ListRetirableGrants",
        (original) =>
          function* (kms, caller, input) {
            const outcome = yield* original(kms, caller, input);
            if (!outcome.ok) return outcome;
            const { NextMarker: _, ...output } = outcome.output;
            return { ok: true, output: { ...output, Grants: [], Truncated: false } };
          },
      ),
  },
  {
    name: "dry-run-creates-grant",
    area: "grants and constraints",
    description: "CreateGrant ignores DryRun: a dry run makes the grant and hands out its token",
    scenarios: ["authz"],
    expected: { kind: "mismatch", check: "model" },
    apply: () => ignoringInput("CreateGrant", "DryRun"),
  },
  {
    name: "reencrypt-source-alias-unseen",
    area: "key policies",
    description: "ReEncrypt's source key is authorized without kms:RequestAlias when SourceKeyId names it by an alias",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      requestSeenAs((action, request) =>
        action === "kms:ReEncryptFrom" && request !== undefined ? { ...request, keyIdAsGiven: undefined } : request,
      ),
  },
  {
    name: "grant-name-retry-makes-another",
    area: "grants and constraints",
    description: "CreateGrant made again with the same Name and properties makes another grant, not the same one",
    scenarios: ["authz"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("CreateGrant", (original) =>
        withChange(original, (kms, _, input) => {
          // Grants of that Name are renamed for the call, so a retry finds none to be.
          const named = [...kms.grants.values()].filter((g) => input["Name"] !== undefined && g.Name === input["Name"]);
          for (const g of named) g.Name = `${g.Name}\u0000`;
          return () => named.forEach((g) => (g.Name = g.Name!.slice(0, -1)));
        }),
      ),
  },
];
