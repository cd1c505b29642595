// Two keys to do crypto with, one of each origin (an AWS_KMS key and a key in a connected CloudHSM
// store whose object has reached both HSMs), as steps for the tests of the crypto path.
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import type { Step } from "../../protocol/step.ts";
import { CONNECTED_STORE } from "./store-steps.ts";

export const scenario = loadScenario("default");
export const { cluster, principals } = scenario.world;
export const wait = scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs;

export const KEYS: Step[] = [
  ...CONNECTED_STORE,
  { call: "CreateKey", as: "admin", save: "kms", input: {} },
  { call: "CreateKey", as: "admin", save: "hsm", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
  { advance: scenario.timing.replicationDelayMs + 1 },
];
export const keyId = (which: string) => `\${${which}.KeyMetadata.Arn}`;

export function run(steps: Step[]) {
  return executeSteps(scenario, "kmsim:crypto-test", steps);
}
