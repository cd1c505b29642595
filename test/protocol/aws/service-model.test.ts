// The shape test (issue 13 item 9): every answer of a seed range of every scenario, held against AWS's
// service models kept in protocol/aws (botocore's KMS, CloudHSMv2 and IAM models; the source is
// recorded in each file). A success must be its operation's output shape and an error one the
// operation declares (or one its service answers any operation with), so a field or error AWS would
// never send fails here. The operator's hsm:* actions are no AWS API and are not judged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { drawSwarm, stepsArbitrary } from "../../../harness/generate.ts";
import { worldSeed } from "../../../harness/seed.ts";
import { awsOperationOf, CLOUDHSMV2_MODEL, IAM_MODEL, KMS_MODEL, SERVICE_MODELS } from "../../../protocol/aws/service-model.ts";
import { isCall } from "../../../protocol/step.ts";
import { Prng } from "../../../sim/kernel/prng.ts";
import { answerProblems, shapeProblems } from "../../support/aws-shapes.ts";

const SEEDS = 12;
const SCENARIOS = ["default", "keystores", "keys", "authz"];

describe("every answer fits AWS's service models", () => {
  for (const name of SCENARIOS) {
    it(`${name}, seeds 1..${SEEDS}`, () => {
      const scenario = loadScenario(name);
      const problems: string[] = [];
      const judged = new Map<string, number>();
      for (let seed = 1; seed <= SEEDS; seed++) {
        const swarm = drawSwarm(scenario, new Prng(worldSeed(seed)).child("swarm"));
        const [steps] = fc.sample(stepsArbitrary(scenario, swarm, scenario.campaign.stepsDefault), { seed, numRuns: 1 });
        const result = executeSteps(scenario, worldSeed(seed), steps!);
        for (const r of result.records) {
          if (!isCall(r.step)) continue;
          const at = awsOperationOf(r.step.call); // none for hsm:*, the operator's actions inside a cluster
          if (at === undefined) continue;
          judged.set(at.service, (judged.get(at.service) ?? 0) + 1);
          for (const p of answerProblems(at.service, SERVICE_MODELS[at.service], at.operation, r.sut))
            problems.push(`seed ${seed} step ${r.i}: ${p}`);
        }
      }
      expect(problems.slice(0, 20)).toEqual([]);
      expect(judged.get("kms") ?? 0).toBeGreaterThan(100);
    });
  }

  it("catches an answer AWS would never send (the check can fail)", () => {
    const meta = { KeyId: "k", Arn: "arn:aws:kms:us-east-1:111122223333:key/k", KeyState: "Enabled" };
    expect(answerProblems("kms", KMS_MODEL, "DescribeKey", { ok: true, output: { KeyMetadata: meta } })).toEqual([]);
    expect(answerProblems("kms", KMS_MODEL, "DescribeKey", { ok: true, output: { KeyMetadata: { ...meta, Colour: "red" } } })).toHaveLength(
      1,
    );
    expect(
      answerProblems("kms", KMS_MODEL, "DescribeKey", { ok: true, output: { KeyMetadata: { ...meta, KeyState: "Asleep" } } }),
    ).toHaveLength(1);
    expect(answerProblems("kms", KMS_MODEL, "DescribeKey", { ok: false, error: { name: "TagException", message: "" } })).toHaveLength(1);
    expect(
      answerProblems("iam", IAM_MODEL, "PutRolePolicy", { ok: false, error: { name: "NoSuchEntityException", message: "" } }),
    ).toHaveLength(1);
    expect(shapeProblems(CLOUDHSMV2_MODEL, "Cert", "ClusterCertificate:x", "Cert")).toHaveLength(1);
  });
});
