// The parts the generator's stories share (stories.ts, condition-stories.ts): the plaintext they encrypt,
// references to the setup's keys and to what earlier steps made, a call step, and the policy documents
// they put, with the account root's statement they all keep.
import fc from "fast-check";
import type { Json, JsonObject, Step } from "../protocol/step.ts";
import type { Scenario } from "./scenario.ts";

export const PLAIN = "AAECAwQ=";
/** The setup's keys by reference: 0 in the store (AWS_CLOUDHSM), 1 and 2 AWS_KMS (harness/generate.ts). */
export const someKey = fc.constantFrom(0, 1, 2);
export const key = (index: number): Json => ({ ref: "key", index });
export const keyArn = (index: number): Json => ({ ref: "keyArn", index });
export const last = (kind: string): Json => ({ ref: kind, index: -1 });
export const call = (name: string, as: string, input: JsonObject): Step => ({ call: name, as, input });
export const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

/** The ARN of the world's principal `name` (the account root where the world has none of that name). */
export function principalArn(scenario: Scenario, name: string): string {
  return scenario.world.principals[name]?.arn ?? `arn:aws:iam::${scenario.world.account}:root`;
}

/** The account root's allow-all statement every story's key policy keeps. */
export function rootStatement(scenario: Scenario) {
  return {
    Sid: "Root",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${scenario.world.account}:root` },
    Action: "kms:*",
    Resource: "*",
  };
}
