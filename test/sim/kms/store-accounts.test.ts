// Custom key stores belong to an account (spec §3.4: the store operations are never cross-account),
// through both sides: another account's principals neither see nor act on a store, even with kms:* in
// their own identity policies — every store operation, CreateKey in the store and GenerateRandom from it
// answer CustomKeyStoreNotFoundException, DescribeCustomKeyStores lists only the caller's own; and the
// world's partner administrator gives the partner account's principals identity policies, so
// cross-account cases can be written in both directions.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster, account, region } = scenario.world;
const store = { CustomKeyStoreId: "${cks.CustomKeyStoreId}" };
const notFound = { ok: false, error: { name: "CustomKeyStoreNotFoundException" } };
const kmsEverything = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] });

const SETUP: Step[] = [
  {
    call: "CreateCustomKeyStore",
    as: "admin",
    save: "cks",
    input: {
      CustomKeyStoreName: "mine",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: cluster.kmsuserPassword,
    },
  },
  // The partner account's administrator gives its role kms:* (the partner had no identity policy before).
  {
    call: "iam:PutRolePolicy",
    as: "partneradmin",
    input: { RoleName: "Partner", PolicyName: "KmsEverything", PolicyDocument: kmsEverything },
    expect: { ok: true },
  },
];

//   the call another account's principal makes, and what it is answered
const FOREIGN: [string, JsonObject, JsonObject][] = [
  ["DescribeCustomKeyStores", store, notFound],
  ["DescribeCustomKeyStores", { CustomKeyStoreName: "mine" }, notFound],
  ["DescribeCustomKeyStores", {}, { ok: true, output: { CustomKeyStores: [], Truncated: false } }],
  ["ConnectCustomKeyStore", store, notFound],
  ["DisconnectCustomKeyStore", store, notFound],
  ["UpdateCustomKeyStore", { ...store, NewCustomKeyStoreName: "theirs" }, notFound],
  ["DeleteCustomKeyStore", store, notFound],
  ["CreateKey", { Origin: "AWS_CLOUDHSM", ...store }, notFound],
  ["GenerateRandom", { NumberOfBytes: 8, ...store }, notFound],
];

describe("custom key stores belong to an account (§3.4) on both sides", () => {
  for (const as of ["partner", "partneradmin"]) {
    for (const [call, input, expected] of FOREIGN) {
      it(`${as}, with kms:* of its own: ${call} ${JSON.stringify(input).slice(0, 50)}`, () => {
        const result = executeSteps(scenario, "kmsim:store-accounts", [...SETUP, { call, as, input, expect: expected }]);
        expect(result.failure).toBeUndefined();
      });
    }
  }

  it("another account cannot make a store on this account's cluster, and its store names are its own", () => {
    const input = {
      CustomKeyStoreName: "mine",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: cluster.kmsuserPassword,
    };
    const result = executeSteps(scenario, "kmsim:store-accounts", [
      ...SETUP,
      { call: "CreateCustomKeyStore", as: "partner", input, expect: { ok: false, error: { name: "CloudHsmClusterNotFoundException" } } },
      { call: "DescribeCustomKeyStores", as: "admin", input: {}, expect: { ok: true } },
    ]);
    expect(result.failure).toBeUndefined();
    const listed = result.records.at(-1)!.sut;
    expect(listed.ok && Array.isArray(listed.output["CustomKeyStores"]) ? listed.output["CustomKeyStores"].length : -1).toBe(1);
  });

  it("the partner's identity policy now counts across accounts: a key policy naming the partner lets it encrypt", () => {
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Owner", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "Partner",
          Effect: "Allow",
          Principal: { AWS: scenario.world.principals["partner"]!.arn },
          Action: "kms:Encrypt",
          Resource: "*",
        },
      ],
    });
    const result = executeSteps(scenario, "kmsim:store-accounts", [
      { call: "CreateKey", as: "admin", save: "k", input: { Policy: policy } },
      {
        call: "Encrypt",
        as: "partner",
        input: { KeyId: "${k.KeyMetadata.Arn}", Plaintext: "AAEC" },
        expect: { ok: false, error: { name: "AccessDeniedException" } },
      },
      ...SETUP.slice(1),
      { call: "Encrypt", as: "partner", input: { KeyId: "${k.KeyMetadata.Arn}", Plaintext: "AAEC" }, expect: { ok: true } },
      {
        call: "Encrypt",
        as: "partner",
        input: { KeyId: `arn:aws:kms:${region}:${account}:alias/none`, Plaintext: "AAEC" },
        expect: { ok: false, error: { name: "NotFoundException" } },
      },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it("the other direction: the partner account's key, used by this account's principal with both sides allowing", () => {
    const partnerRoot = `arn:aws:iam::${scenario.world.partnerAccount}:root`;
    const app = scenario.world.principals["app"]!.arn;
    const policy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Owner", Effect: "Allow", Principal: { AWS: partnerRoot }, Action: "kms:*", Resource: "*" },
        { Sid: "App", Effect: "Allow", Principal: { AWS: app }, Action: "kms:Encrypt", Resource: "*" },
      ],
    });
    const encrypt = (expected: JsonObject): Step => ({
      call: "Encrypt",
      as: "app",
      input: { KeyId: "${pk.KeyMetadata.Arn}", Plaintext: "AAEC" },
      expect: expected,
    });
    const result = executeSteps(scenario, "kmsim:store-accounts", [
      { call: "CreateKey", as: "partneradmin", save: "pk", input: { Policy: policy }, expect: { ok: true } },
      encrypt({ ok: false, error: { name: "AccessDeniedException" } }), // §9.2 step 4: the caller's own IAM must allow too
      { call: "iam:PutRolePolicy", as: "admin", input: { RoleName: "App", PolicyName: "KmsEverything", PolicyDocument: kmsEverything } },
      encrypt({ ok: true }),
    ]);
    expect(result.failure).toBeUndefined();
  });
});
