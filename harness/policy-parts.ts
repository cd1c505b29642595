// The parts the generator's policy sequences share (policy-macros.ts, condition-macro.ts): a policy
// document from its statements, the account root's allow-all statement, and alice's and app's ARNs
// (the account root when a world lacks them). One place, so both files write the same documents.
import type { Scenario } from "./scenario.ts";

/** The policy documents' shared parts for `scenario`: its root statement, alice's and app's ARNs. */
export function policyParts(scenario: Scenario) {
  const { account, principals } = scenario.world;
  const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
  const rootStatement = { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" };
  const alice = principals["alice"]?.arn ?? `arn:aws:iam::${account}:root`;
  const app = principals["app"]?.arn ?? alice;
  return { doc, rootStatement, alice, app };
}
