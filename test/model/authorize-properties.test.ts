// Properties of §9.2 over generated policy sets (issue 5 item 7), on both sides: key policies and
// identity policies drawn from the generator's templates and mutations, callers from the world,
// requests with generated condition keys. Each property is held against the model's evaluator and
// the virtual KMS's compiled one, and the two must agree on every decision and message.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { iamDecision, keyDecision, type Caller } from "../../model/authorize.ts";
import type { RequestContext as ModelContext } from "../../model/conditions.ts";
import { authorizeIamAction, authorizeKeyAction } from "../../sim/iam/authorize.ts";
import { RequestContext } from "../../sim/iam/conditions.ts";
import { IamDirectory } from "../../sim/iam/iam.ts";
import { compilePolicy } from "../../sim/iam/policy.ts";
import { identityPolicies, keyPolicies } from "../../harness/policies.ts";
import type { Json } from "../../protocol/step.ts";

const scenario = loadScenario("authz");
const { world } = scenario;
const KEY = `arn:aws:kms:${world.region}:${world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:CreateGrant",
  "kms:PutKeyPolicy",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:ReEncryptFrom",
];
const CALLERS = ["admin", "app", "alice", "partner", "root"];

/** Key policies that parse and pass the statement checks (the generator also makes malformed ones). */
const keyPolicy = keyPolicies(scenario).filter((text) => compilePolicy(text, true).ok);
const identityPolicy = identityPolicies(scenario).filter((text) => compilePolicy(text, false).ok);

/** A request context: the caller's keys, the key's, and some of the request's. */
const requestContext = fc.record({
  minutes: fc.nat({ max: 3 }),
  context: fc.constantFrom<Record<string, string>>({}, { purpose: "test" }, { purpose: "prod", team: "blue" }, { Purpose: "TEST" }),
  alias: fc.constantFrom(undefined, "alias/payments", "alias/logs"),
  resourceTag: fc.constantFrom(undefined, "blue", "red"),
  principalTag: fc.constantFrom(undefined, "blue", "red"),
  window: fc.constantFrom(undefined, "7", "30"),
  sameKey: fc.constantFrom(undefined, "true", "false"),
});

type Request = typeof requestContext extends fc.Arbitrary<infer T> ? T : never;

function contextFor(caller: string, r: Request): ModelContext {
  const account = caller.split(":")[4]!;
  const out: ModelContext = {
    "aws:PrincipalArn": [caller],
    "aws:PrincipalAccount": [account],
    "kms:CallerAccount": [account],
    "aws:CurrentTime": [`2026-01-01T00:0${r.minutes}:00Z`],
    "kms:KeyOrigin": ["AWS_CLOUDHSM"],
    "kms:KeySpec": ["SYMMETRIC_DEFAULT"],
    "kms:KeyUsage": ["ENCRYPT_DECRYPT"],
  };
  for (const [k, v] of Object.entries(r.context)) out[`kms:EncryptionContext:${k}`] = [v];
  if (Object.keys(r.context).length > 0) out["kms:EncryptionContextKeys"] = Object.keys(r.context).sort();
  if (r.alias !== undefined) Object.assign(out, { "kms:RequestAlias": [r.alias], "kms:ResourceAliases": [r.alias] });
  if (r.resourceTag !== undefined) out["aws:ResourceTag/team"] = [r.resourceTag];
  if (r.principalTag !== undefined) out["aws:PrincipalTag/team"] = [r.principalTag];
  if (r.window !== undefined) out["kms:ScheduleKeyDeletionPendingWindowInDays"] = [r.window];
  if (r.sameKey !== undefined) out["kms:ReEncryptOnSameKey"] = [r.sameKey];
  return out;
}

interface Case {
  policy: string;
  identity: string[];
  who: string;
  action: string;
  grant: boolean;
  request: Request;
}

const cases: fc.Arbitrary<Case> = fc.record({
  policy: keyPolicy,
  identity: fc.array(identityPolicy, { maxLength: 2 }),
  who: fc.constantFrom(...CALLERS),
  action: fc.constantFrom(...ACTIONS),
  grant: fc.boolean(),
  request: requestContext,
});

/** Both sides' decision for a case with `policy` and identity policies `identity`: the denial message, or undefined. */
function decide(c: Case, policy: string, identity: string[]): string | undefined {
  const arn = world.principals[c.who]!.arn;
  const named = Object.fromEntries(identity.map((text, i) => [`P${i}`, text]));
  const caller: Caller = { arn, policies: Object.fromEntries(Object.entries(named).map(([n, t]) => [n, JSON.parse(t) as Json])) };
  const context = contextFor(arn, c.request);
  const grant = c.grant ? "a-grant-on-the-key" : undefined;
  const model = keyDecision(caller, c.action, KEY, JSON.parse(policy) as Json, context, grant).message;
  const principals = { ...world.principals, [c.who]: { arn } };
  const iam = new IamDirectory(principals, [world.account, world.partnerAccount]);
  for (const [n, t] of Object.entries(named)) iam.setInlinePolicy(arn, n, t);
  const simContext = new RequestContext();
  for (const [k, v] of Object.entries(context)) simContext.add(k, v);
  const compiled = compilePolicy(policy, true);
  if (!compiled.ok) throw new Error(compiled.message);
  const sim = authorizeKeyAction(iam, arn, c.action, KEY, compiled.statements, () => simContext, grant);
  expect(sim.allowed ? undefined : sim.message).toBe(model);
  return model;
}

/** A policy text's statements: its Statement is a list, or one statement object (both are IAM's grammar). */
function statementsOf<S extends object>(text: string): { doc: object; statements: S[] } {
  const doc = JSON.parse(text) as { Statement: S | S[] };
  return { doc, statements: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
}

const withStatement = (policy: string, statement: object): string => {
  const { doc, statements } = statementsOf(policy);
  return JSON.stringify({ ...doc, Statement: [...statements, statement] });
};

const RUNS = { numRuns: 300, seed: 20261125 };

describe("§9.2 properties over generated policy sets, on both sides", () => {
  it("the model and the virtual KMS agree on every decision and message; allowed, denied by default and denied explicitly all occur", () => {
    const seen = { allowed: 0, "denied by default": 0, "denied explicitly": 0 };
    fc.assert(
      fc.property(cases, (c) => {
        const message = decide(c, c.policy, c.identity);
        seen[message === undefined ? "allowed" : message.includes("explicit deny") ? "denied explicitly" : "denied by default"] += 1;
      }),
      RUNS,
    );
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(RUNS.numRuns / 20);
  });

  it("an explicit deny in the key policy is never overridden, by any allow or grant", () => {
    fc.assert(
      fc.property(cases, (c) => {
        const denied = decide(c, withStatement(c.policy, { Effect: "Deny", Principal: "*", Action: c.action, Resource: "*" }), c.identity);
        expect(denied).toContain("with an explicit deny in a resource-based policy");
      }),
      RUNS,
    );
  });

  it("an explicit deny in an identity policy is never overridden unless the key policy denies first", () => {
    fc.assert(
      fc.property(cases, (c) => {
        if (c.who === "root") return; // the root user's identity has no policies to deny it [MODEL CHOICE]
        const denied = decide(c, c.policy, [
          ...c.identity,
          JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: c.action, Resource: "*" }] }),
        ]);
        expect(denied).toMatch(/with an explicit deny in an? (identity|resource)-based policy$/);
      }),
      RUNS,
    );
  });

  it("another Allow statement never turns an allowed call into a denied one", () => {
    fc.assert(
      fc.property(cases, fc.constantFrom(...CALLERS), (c, other) => {
        if (decide(c, c.policy, c.identity) !== undefined) return;
        const widened = withStatement(c.policy, {
          Effect: "Allow",
          Principal: { AWS: world.principals[other]!.arn },
          Action: "kms:*",
          Resource: "*",
        });
        expect(decide(c, widened, c.identity)).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("a grant never turns an allowed call into a denied one", () => {
    fc.assert(
      fc.property(cases, (c) => {
        if (decide({ ...c, grant: false }, c.policy, c.identity) === undefined)
          expect(decide({ ...c, grant: true }, c.policy, c.identity)).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("IAM allows never count without a key policy statement for the caller's account (callers of the key's account)", () => {
    let checked = 0;
    fc.assert(
      fc.property(cases, (c) => {
        const arn = world.principals[c.who]!.arn;
        const account = arn.split(":")[4]!;
        if (account !== world.account) return; // across accounts a direct allow needs the caller's IAM too (§9.2 step 4)
        const namesAccount = statementsOf<{ Principal?: unknown }>(c.policy).statements.some(
          (s) =>
            JSON.stringify(s.Principal ?? null).includes(`arn:aws:iam::${account}:root`) ||
            JSON.stringify(s.Principal ?? null).includes(`"${account}"`),
        );
        if (namesAccount || c.who === "root") return;
        // Keep only the identity policies' Deny statements: the decision must not change.
        const denies = c.identity.map((text) => {
          const { doc, statements } = statementsOf<{ Effect: string }>(text);
          return JSON.stringify({
            ...doc,
            Statement: [...statements.filter((s) => s.Effect === "Deny"), { Effect: "Deny", Action: "kms:NothingAtAll", Resource: "*" }],
          });
        });
        expect(decide(c, c.policy, denies)).toBe(decide(c, c.policy, c.identity));
        checked += 1;
      }),
      RUNS,
    );
    expect(checked).toBeGreaterThan(10);
  });

  it("IAM-only decisions agree too", () => {
    fc.assert(
      fc.property(fc.array(identityPolicy, { maxLength: 2 }), fc.constantFrom(...CALLERS), requestContext, (identity, who, r) => {
        const arn = world.principals[who]!.arn;
        const policies = Object.fromEntries(identity.map((t, i) => [`P${i}`, JSON.parse(t) as Json]));
        const context = contextFor(arn, r);
        const model = iamDecision({ arn, policies }, "kms:CreateKey", context).message;
        const iam = new IamDirectory({ ...world.principals, [who]: { arn } }, [world.account, world.partnerAccount]);
        identity.forEach((t, i) => iam.setInlinePolicy(arn, `P${i}`, t));
        const simContext = new RequestContext();
        for (const [k, v] of Object.entries(context)) simContext.add(k, v);
        const sim = authorizeIamAction(iam, arn, "kms:CreateKey", simContext);
        expect(sim.allowed ? undefined : sim.message).toBe(model);
      }),
      RUNS,
    );
  });
});
