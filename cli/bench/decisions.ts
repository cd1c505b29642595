// The authorization figures of `kmsim bench`, kept from the first bench: kms:Encrypt decisions by the
// virtual KMS (a condition-free key policy, whose decisions it caches; the same policy with
// Conditions, compiled once and evaluated every time) and by the model (reading the documents).
import { keyDecision } from "../../model/authorize.ts";
import type { Scenario } from "../../harness/scenario.ts";
import type { Json } from "../../protocol/step.ts";
import { authorizeKeyAction } from "../../sim/iam/authorize.ts";
import { RequestContext } from "../../sim/iam/conditions.ts";
import { IamDirectory } from "../../sim/iam/iam.ts";
import { compilePolicy } from "../../sim/iam/policy.ts";
import { timeRounds, type TimingOptions } from "./timing.ts";

const DECISIONS_PER_OP = 100;

export interface DecisionRate {
  name: string;
  decisionsPerSec: number;
  decisionsPerSecMin: number;
  decisionsPerSecMax: number;
}

/** Key policies for the decision figures: the usual split, and the same with Conditions on the users' statement. */
function decisionPolicies(scenario: Scenario): { plain: Json; conditional: Json } {
  const { account, principals } = scenario.world;
  const root = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
  const users = {
    Effect: "Allow",
    Principal: { AWS: principals["app"]?.arn ?? "" },
    Action: ["kms:Encrypt", "kms:Decrypt"],
    Resource: "*",
  };
  const conditions = {
    StringEquals: { "kms:EncryptionContext:purpose": "test", "aws:PrincipalTag/team": "blue" },
    DateLessThan: { "aws:CurrentTime": "2030-01-01T00:00:00Z" },
  };
  return {
    plain: { Version: "2012-10-17", Statement: [root, users] },
    conditional: { Version: "2012-10-17", Statement: [root, { ...users, Condition: conditions }] },
  };
}

/** The request context of an Encrypt by app with {purpose: test}, as a list of condition keys. */
function decisionContext(scenario: Scenario): Record<string, string[]> {
  const app = scenario.world.principals["app"]?.arn ?? "";
  return {
    "aws:PrincipalArn": [app],
    "aws:PrincipalAccount": [scenario.world.account],
    "aws:PrincipalTag/team": ["blue"],
    "aws:CurrentTime": ["2026-01-01T00:00:00Z"],
    "kms:CallerAccount": [scenario.world.account],
    "kms:EncryptionContext:purpose": ["test"],
    "kms:EncryptionContextKeys": ["purpose"],
    "kms:KeyOrigin": ["AWS_CLOUDHSM"],
  };
}

const keyArnOf = (scenario: Scenario) =>
  `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The virtual KMS deciding kms:Encrypt under `policy` (compiled once), a fresh request context each time it asks for one. */
function kmsDecisions(scenario: Scenario, policy: Json): () => number {
  const iam = new IamDirectory(scenario.world.principals, [scenario.world.account, scenario.world.partnerAccount]);
  const compiled = compilePolicy(JSON.stringify(policy), true);
  if (!compiled.ok) throw new Error(`bench: ${compiled.message}`);
  const app = scenario.world.principals["app"]?.arn ?? "";
  const keys = Object.entries(decisionContext(scenario));
  return () => {
    for (let i = 0; i < DECISIONS_PER_OP; i++) {
      const context = () => {
        const built = new RequestContext();
        for (const [k, v] of keys) built.add(k, v);
        return built;
      };
      if (!authorizeKeyAction(iam, app, "kms:Encrypt", keyArnOf(scenario), compiled.statements, context).allowed)
        throw new Error("bench: the decision should allow");
    }
    iam.decisionLog.length = 0;
    iam.conditionLog.length = 0;
    return DECISIONS_PER_OP;
  };
}

/** The model deciding the same, reading the (parsed) documents each time. */
function modelDecisions(scenario: Scenario, policy: Json): () => number {
  const app = { arn: scenario.world.principals["app"]?.arn ?? "", policies: {}, tags: { team: "blue" } };
  const context = decisionContext(scenario);
  return () => {
    for (let i = 0; i < DECISIONS_PER_OP; i++) {
      if (keyDecision(app, "kms:Encrypt", keyArnOf(scenario), policy, context).message !== undefined)
        throw new Error("bench: the model should allow");
    }
    return DECISIONS_PER_OP;
  };
}

export function measureDecisions(scenario: Scenario, timing: TimingOptions): DecisionRate[] {
  const policies = decisionPolicies(scenario);
  const ops: [string, () => number][] = [
    ["virtual KMS key decisions, no Condition (cached)", kmsDecisions(scenario, policies.plain)],
    ["virtual KMS key decisions, with Conditions (compiled)", kmsDecisions(scenario, policies.conditional)],
    ["model key decisions, with Conditions (documents read)", modelDecisions(scenario, policies.conditional)],
  ];
  return ops.map(([name, op]) => {
    const rate = timeRounds(timing, op);
    return { name, decisionsPerSec: rate.perSec, decisionsPerSecMin: rate.perSecMin, decisionsPerSecMax: rate.perSecMax };
  });
}
