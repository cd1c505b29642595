// The two request-context builders (spec §9.2 step 2, §9.6) held against each other: the model's
// (model/request-context.ts) and the virtual KMS's (sim/kms/request-context.ts) must build the same
// condition keys with the same values for the same call — the same key, aliases, tags, caller, time
// and request. A key one side forgets is invisible to the fuzzer until a policy happens to test it;
// here every operation's keys are compared whatever the policies say.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import type { CallContext } from "../../model/context.ts";
import { requestContext, type AccessRequest } from "../../model/request-context.ts";
import { changed } from "../../model/state-change.ts";
import { initialState } from "../../model/initial-state.ts";
import { type ModelKey } from "../../model/state.ts";
import { modelWorld } from "../../harness/model-world.ts";
import { World } from "../../sim/world.ts";
import { kmsRequestContext } from "../../sim/kms/request-context.ts";
import type { KeyRecord } from "../../sim/kms/state.ts";
import type { RequestContext } from "../../sim/iam/conditions.ts";

const scenario = loadScenario("authz");
const { world } = scenario;
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:${world.region}:${world.account}:key/${KEY_ID}`;
const TAGS = { team: "blue", env: "" };
const ALIASES = ["alias/payments", "alias/logs"];
/**
 * 33 min 20.5 s into the run: late enough that a clock read a thousandth slow or fast (µs divided by
 * 1,001 for 1,000) lands aws:CurrentTime and aws:EpochTime in another second, half a second from either.
 */
const NOW_US = 2_000_500_000;

/** The sim's context as name (lower case) → values, read through its own lookup. */
function simKeys(context: RequestContext, names: string[]): Record<string, readonly string[] | undefined> {
  return Object.fromEntries(names.map((n) => [n.toLowerCase(), context.get(n)]));
}

/** The model's context merged by lower-cased name, as the model's evaluator looks keys up. */
function modelKeys(context: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(context)) out[k.toLowerCase()] = [...(out[k.toLowerCase()] ?? []), ...v];
  return out;
}

function both(who: string, action: string, onKey: boolean, request: AccessRequest) {
  const caller = world.principals[who]!.arn;
  // Principal tags as the world file gives them (app: team blue, alice: team red); both sides start there.
  const tags: Record<string, string> = { ...world.principals[who]!.tags };
  // The model: one key with its aliases and tags, in a state built for the test.
  const mworld = modelWorld(scenario);
  const key: ModelKey = {
    id: KEY_ID,
    arn: KEY_ARN,
    account: world.account,
    creationUs: 0,
    description: "",
    origin: "AWS_CLOUDHSM",
    enabled: true,
    policy: "{}",
    tags: { ...TAGS },
  };
  const aliases = ALIASES.map((name) => ({
    name,
    arn: `arn:aws:kms:${world.region}:${world.account}:${name}`,
    account: world.account,
    targetArn: KEY_ARN,
    creationUs: 0,
    updatedUs: 0,
  }));
  const state = changed(initialState(mworld), (draft) => {
    draft.keys = [key];
    draft.aliases = aliases;
  });
  const ctx: CallContext = { world: mworld, state, caller: { arn: caller, policies: {}, tags }, input: {}, nowUs: NOW_US, decisions: [] };
  const model = modelKeys(requestContext(ctx, action, onKey ? key : undefined, request));
  // The virtual KMS: the same key, aliases and tags put straight into its tables, at the same time.
  const sim = new World(scenario, "kmsim:request-context");
  sim.advance(NOW_US / 1000);
  const record: KeyRecord = {
    KeyId: KEY_ID,
    Arn: KEY_ARN,
    account: world.account,
    creationUs: 0,
    Description: "",
    Origin: "AWS_CLOUDHSM",
    enabled: true,
    policy: "{}",
    tags: new Map(Object.entries(TAGS)),
  };
  sim.kms.keys.set(KEY_ARN, record);
  for (const name of ALIASES)
    sim.kms.aliases.set(`arn:aws:kms:${world.region}:${world.account}:${name}`, {
      AliasName: name,
      AliasArn: `arn:aws:kms:${world.region}:${world.account}:${name}`,
      account: world.account,
      TargetKeyId: KEY_ID,
      creationUs: 0,
      lastUpdatedUs: 0,
    });
  const simContext = kmsRequestContext(sim.kms, caller, action, onKey ? record : undefined, request);
  return { model, sim: simKeys(simContext, Object.keys(model)), simContext };
}

const cases: [string, string, string, boolean, AccessRequest][] = [
  [
    "Encrypt by alias, with a context",
    "app",
    "kms:Encrypt",
    true,
    { context: { purpose: "test", Purpose: "x" }, keyIdAsGiven: "alias/payments" },
  ],
  [
    "Decrypt by alias ARN",
    "alice",
    "kms:Decrypt",
    true,
    { context: {}, keyIdAsGiven: `arn:aws:kms:${world.region}:${world.account}:alias/logs` },
  ],
  [
    "ReEncryptTo on the same key",
    "app",
    "kms:ReEncryptTo",
    true,
    { context: { purpose: "test" }, keyIdAsGiven: KEY_ARN, conditions: { "kms:ReEncryptOnSameKey": ["true"] } },
  ],
  ["Encrypt naming an asymmetric algorithm", "app", "kms:Encrypt", true, { encryptionAlgorithm: "RSAES_OAEP_SHA_256" }],
  ["ReEncryptFrom naming SYMMETRIC_DEFAULT", "app", "kms:ReEncryptFrom", true, { encryptionAlgorithm: "SYMMETRIC_DEFAULT" }],
  ["GenerateDataKey (no algorithm named)", "app", "kms:GenerateDataKey", true, {}],
  ["DescribeKey by key id", "partner", "kms:DescribeKey", true, { keyIdAsGiven: KEY_ID }],
  [
    "CreateGrant with constraints",
    "app",
    "kms:CreateGrant",
    true,
    {
      child: {
        operations: ["Encrypt", "Decrypt"],
        constraints: { EncryptionContextSubset: { purpose: "test" }, EncryptionContextEquals: { team: "blue" } },
      },
      conditions: {
        "kms:GrantOperations": ["Decrypt", "Encrypt"],
        "kms:GranteePrincipal": [world.principals["alice"]!.arn],
        "kms:GrantIsForAWSResource": ["false"],
        "kms:GrantConstraintType": ["EncryptionContextEquals", "EncryptionContextSubset"],
      },
    },
  ],
  [
    "TagResource",
    "admin",
    "kms:TagResource",
    true,
    { conditions: { "aws:TagKeys": ["env", "team"], "aws:RequestTag/team": ["red"], "aws:RequestTag/env": ["prod"] } },
  ],
  [
    "ScheduleKeyDeletion",
    "admin",
    "kms:ScheduleKeyDeletion",
    true,
    { conditions: { "kms:ScheduleKeyDeletionPendingWindowInDays": ["7"] } },
  ],
  ["an operation key with no values", "admin", "kms:UntagResource", true, { conditions: { "aws:TagKeys": [] } }],
  [
    "CreateKey (IAM only, no key)",
    "admin",
    "kms:CreateKey",
    false,
    { conditions: { "kms:KeyOrigin": ["AWS_KMS"], "kms:BypassPolicyLockoutSafetyCheck": ["false"] } },
  ],
  ["a custom key store operation", "storeadmin", "kms:ConnectCustomKeyStore", false, {}],
  ["ListKeys (no kms:CallerAccount)", "alice", "kms:ListKeys", false, {}],
];

describe("the model's and the virtual KMS's request contexts", () => {
  for (const [why, who, action, onKey, request] of cases) {
    it(`${why}: the same condition keys, the same values`, () => {
      const { model, sim, simContext } = both(who, action, onKey, request);
      expect(sim).toEqual(model);
      // And the virtual KMS has no key the model lacks: probe every key either side could build.
      const probe = [
        "kms:CallerAccount",
        "kms:EncryptionAlgorithm",
        "kms:RequestAlias",
        "kms:ResourceAliases",
        "kms:KeyOrigin",
        "aws:ResourceTag/team",
        "aws:PrincipalTag/team",
        "kms:EncryptionContextKeys",
        "aws:TagKeys",
      ];
      for (const name of probe) expect([name, simContext.get(name)]).toEqual([name, model[name.toLowerCase()]]);
    });
  }

  it("kms:EncryptionAlgorithm is the algorithm the request names, SYMMETRIC_DEFAULT when it names none", () => {
    expect(both("app", "kms:Decrypt", true, { encryptionAlgorithm: "SM2PKE" }).model["kms:encryptionalgorithm"]).toEqual(["SM2PKE"]);
    expect(both("app", "kms:Decrypt", true, {}).model["kms:encryptionalgorithm"]).toEqual(["SYMMETRIC_DEFAULT"]);
    expect(both("app", "kms:DescribeKey", true, { encryptionAlgorithm: "SM2PKE" }).model["kms:encryptionalgorithm"]).toBeUndefined();
  });

  it("aws:CurrentTime is the virtual clock's, to the second", () => {
    const { model } = both("app", "kms:Encrypt", true, {});
    expect(model["aws:currenttime"]).toEqual(["2026-01-01T00:33:20Z"]);
    expect(model["aws:epochtime"]).toEqual([String(scenario.world.epochMs / 1000 + 2000)]);
  });
});
