// The generator's quota crossings (harness/limit-crossings.ts), each run through both sides: the call
// past the quota is answered LimitExceeded(Exception) by the virtual KMS or IAM, the model agrees (the
// run passes), and the rest of the sequence goes ahead. Also its store on a cluster made just before
// (harness/preconditions.ts), which is CloudHsmClusterNotActiveException while that cluster is new, and
// a store on each of the world's cluster lineages, past a lowered custom key stores quota (§11.1).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { executeSteps } from "../../harness/execute.ts";
import {
  aliasQuotaOpening,
  identityPolicyOfLength,
  INLINE_POLICY_CHARS_MAX,
  KEY_POLICY_BYTES_MAX,
  keyPolicyAtLimit,
  limitCrossings,
  oversizedIdentityPolicy,
  oversizedKeyPolicy,
} from "../../harness/limit-crossings.ts";
import { preconditioned } from "../../harness/preconditions.ts";
import { worldSeed } from "../../harness/seed.ts";
import type { Step } from "../../protocol/step.ts";

const scenario = loadScenario("authz");
const crossings = limitCrossings(scenario);

/** A draw of `arbitrary` that kept all `length` of its steps. */
function whole(arbitrary: fc.Arbitrary<Step[]>, length: number): Step[] {
  const found = fc.sample(arbitrary, { seed: 7, numRuns: 200 }).find((steps) => steps.length === length);
  if (found === undefined) throw new Error(`no draw kept all ${length} steps`);
  return found;
}

/** Each call's answer, as `Name:ok` or `Name:Error`, after a run that must pass (both sides agree). */
function answers(steps: Step[], run = scenario): string[] {
  const result = executeSteps(run, worldSeed(1), steps);
  expect(result.failure).toBeUndefined();
  return result.records.flatMap((r) =>
    "call" in r.step ? [`${r.step.call}:${r.sut.ok ? "ok" : (r.sut as { error: { name: string } }).error.name}`] : [],
  );
}

const createKey: Step = { call: "CreateKey", as: "admin", input: {} };

describe("quota crossings", () => {
  it("the oversized key policy is well-formed JSON over 32 KB and within the Policy parameter's 131,072 characters", () => {
    const text = oversizedKeyPolicy(scenario);
    expect(Buffer.byteLength(text, "utf8")).toBeGreaterThan(KEY_POLICY_BYTES_MAX);
    expect(text.length).toBeLessThanOrEqual(131_072);
    expect(JSON.parse(text).Statement.length).toBeGreaterThan(100);
  });

  it("the key policy at the limit is well-formed JSON of exactly 32 KB", () => {
    const text = keyPolicyAtLimit(scenario);
    expect(Buffer.byteLength(text, "utf8")).toBe(KEY_POLICY_BYTES_MAX);
    expect(JSON.parse(text).Statement.length).toBeGreaterThan(100);
  });

  it("PutKeyPolicy at the limit goes ahead; past it, PutKeyPolicy and CreateKey are LimitExceededException on both sides", () => {
    const put = fc.sample(crossings["PutKeyPolicy"]!, { seed: 1, numRuns: 1 })[0]!;
    const create = fc.sample(crossings["CreateKey"]!, { seed: 1, numRuns: 1 })[0]!;
    expect(answers([createKey, ...put, ...create])).toEqual([
      "CreateKey:ok",
      "PutKeyPolicy:ok",
      "PutKeyPolicy:LimitExceededException",
      "CreateKey:LimitExceededException",
    ]);
  });

  it("TagResource on a key of its own: to 49 tags, the 50th (the quota, allowed), the 51st (refused); the tags are then removed", () => {
    const steps = whole(crossings["TagResource"]!, 5);
    expect(answers(steps)).toEqual([
      "CreateKey:ok",
      "TagResource:ok",
      "TagResource:ok",
      "TagResource:LimitExceededException",
      "UntagResource:ok",
    ]);
  });

  it("a key made before, with tags of its own, is left alone: the crossing tags the key it made", () => {
    const steps = whole(crossings["TagResource"]!, 5);
    const tagged: Step = { call: "CreateKey", as: "admin", input: { Tags: [{ TagKey: "team", TagValue: "blue" }] } };
    expect(answers([tagged, ...steps])).toEqual([
      "CreateKey:ok",
      "CreateKey:ok",
      "TagResource:ok",
      "TagResource:ok",
      "TagResource:LimitExceededException",
      "UntagResource:ok",
    ]);
  });

  it("iam:TagRole and iam:TagUser up to and past 50 principal tags; untagging takes two calls of at most 50 keys", () => {
    const role = whole(crossings["iam:TagRole"]!, 5);
    const user = whole(crossings["iam:TagUser"]!, 5);
    // App and alice carry one tag (team) in the world: the 49 reach the quota.
    expect(answers([...role, ...user])).toEqual([
      "iam:TagRole:ok",
      "iam:TagRole:LimitExceeded",
      "iam:TagRole:LimitExceeded",
      "iam:UntagRole:ok",
      "iam:UntagRole:ok",
      "iam:TagUser:ok",
      "iam:TagUser:LimitExceeded",
      "iam:TagUser:LimitExceeded",
      "iam:UntagUser:ok",
      "iam:UntagUser:ok",
    ]);
  });

  it("inline policies: one over half the quota replaces itself; a second one, or one alone over 10,240 characters, is LimitExceeded; exactly 10,240 is allowed, one more not", () => {
    const text = oversizedIdentityPolicy(scenario);
    expect(text.length).toBeGreaterThan(INLINE_POLICY_CHARS_MAX);
    expect(JSON.parse(text).Statement[0].Resource.length).toBeGreaterThan(100);
    const half = oversizedIdentityPolicy(scenario, INLINE_POLICY_CHARS_MAX / 2).length;
    expect(half).toBeGreaterThan(INLINE_POLICY_CHARS_MAX / 2);
    expect(half).toBeLessThanOrEqual(INLINE_POLICY_CHARS_MAX);
    expect(identityPolicyOfLength(INLINE_POLICY_CHARS_MAX)).toHaveLength(INLINE_POLICY_CHARS_MAX);
    expect(JSON.parse(identityPolicyOfLength(INLINE_POLICY_CHARS_MAX)).Statement).toHaveLength(1);
    const role = whole(crossings["iam:PutRolePolicy"]!, 8);
    const user = whole(crossings["iam:PutUserPolicy"]!, 8);
    const sequence = (put: string, remove: string) => [
      ...[`${put}:ok`, `${put}:ok`, `${put}:LimitExceeded`, `${put}:LimitExceeded`, `${remove}:ok`],
      ...[`${put}:ok`, `${put}:LimitExceeded`, `${remove}:ok`],
    ];
    expect(answers([...role, ...user])).toEqual([
      ...sequence("iam:PutRolePolicy", "iam:DeleteRolePolicy"),
      ...sequence("iam:PutUserPolicy", "iam:DeleteUserPolicy"),
    ]);
  });

  it("a new key given the scenario's grants-per-key quota (authz: 3) refuses one more grant; none where the quota is AWS's own", () => {
    expect(scenario.quotas.grantsPerKey).toBe(3);
    const steps = whole(crossings["CreateGrant"]!, 8);
    expect(answers(steps)).toEqual([
      "CreateKey:ok",
      "CreateGrant:ok",
      "CreateGrant:ok",
      "CreateGrant:ok",
      "CreateGrant:LimitExceededException",
    ]);
    expect(limitCrossings(loadScenario("default"))["CreateGrant"]).toBeUndefined();
  });

  it("the alias opening gives a key 50 aliases, then CreateAlias and UpdateAlias onto it are LimitExceededException", () => {
    const steps = whole(aliasQuotaOpening(), 53);
    const calls = answers([createKey, createKey, ...steps]);
    expect(calls.slice(2, 52)).toEqual(Array.from({ length: 50 }, () => "CreateAlias:ok"));
    expect(calls.slice(52)).toEqual(["CreateAlias:LimitExceededException", "CreateAlias:ok", "UpdateAlias:LimitExceededException"]);
  });
});

describe("the custom key stores quota crossing", () => {
  const scenario = loadScenario("default");
  const crossing = limitCrossings(scenario)["CreateCustomKeyStore"]!;

  it("a store on every ACTIVE lineage (default: 3) crosses a quota of 2, whatever store the account had", () => {
    expect(scenario.quotas.customKeyStoresPerAccount).toBe(2);
    const steps = whole(crossing, 3);
    expect(answers(steps, scenario)).toEqual([
      "CreateCustomKeyStore:ok",
      "CreateCustomKeyStore:ok",
      "CreateCustomKeyStore:LimitExceededException",
    ]);
    const { cluster } = scenario.world;
    const first: Step = {
      call: "CreateCustomKeyStore",
      as: "admin",
      input: {
        CustomKeyStoreName: "mine",
        CloudHsmClusterId: cluster.clusterId,
        TrustAnchorCertificate: cluster.trustAnchor,
        KeyStorePassword: cluster.kmsuserPassword,
      },
    };
    expect(answers([first, ...steps], scenario)).toEqual([
      "CreateCustomKeyStore:ok",
      "CreateCustomKeyStore:ok",
      "CreateCustomKeyStore:LimitExceededException",
      "CreateCustomKeyStore:CloudHsmClusterInUseException",
    ]);
  });

  it("is not drawn where the quota is AWS's own", () => {
    const own = { ...scenario, quotas: { ...scenario.quotas, customKeyStoresPerAccount: 10 } };
    expect(limitCrossings(own)["CreateCustomKeyStore"]).toBeUndefined();
  });
});

describe("a store on a cluster made just before", () => {
  it("is drawn only where the scenario makes clusters", () => {
    expect(preconditioned(loadScenario("default"))["CreateCustomKeyStore"]).toBeUndefined();
    expect(preconditioned(loadScenario("keystores"))["CreateCustomKeyStore"]).toBeDefined();
  });

  it("on a cluster made without a backup (UNINITIALIZED) is CloudHsmClusterNotActiveException on both sides", () => {
    const keystores = loadScenario("keystores");
    const draws = fc.sample(preconditioned(keystores)["CreateCustomKeyStore"]!, { seed: 3, numRuns: 200 });
    const fresh = draws.find((s) => s.length === 2 && "call" in s[0]! && s[0].input !== undefined && !("SourceBackupId" in s[0].input));
    expect(fresh).toBeDefined();
    expect(answers(fresh!, keystores)).toEqual(["cloudhsmv2:CreateCluster:ok", "CreateCustomKeyStore:CloudHsmClusterNotActiveException"]);
  });
});
