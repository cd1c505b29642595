// §9.2 as a table, held against both implementations: the model reads policy documents directly,
// the virtual KMS compiles them. Each row names the algorithm step it exercises.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { elementsWellFormed, iamDecision, keyDecision } from "../../model/authorize.ts";
import { authorizeIamAction, authorizeKeyAction } from "../../sim/iam/authorize.ts";
import { IamDirectory } from "../../sim/iam/iam.ts";
import { compilePolicy } from "../../sim/iam/policy.ts";
import { RequestContext } from "../../sim/iam/conditions.ts";

const { world } = loadScenario("default");
const iam = new IamDirectory(world.principals, [world.account, world.partnerAccount]);
const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const arn = (name: string) => world.principals[name]!.arn;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const rootAllows = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" };

type Expect = "allow" | "no resource-based" | "no identity-based" | "explicit deny resource" | "explicit deny identity";
const rows: [string, string, string, object, Expect][] = [
  ["step 5: default policy delegates to IAM; admin's IAM allows", "admin", "kms:Encrypt", doc(rootAllows), "allow"],
  ["step 5: default policy delegates to IAM; app has no IAM policy", "app", "kms:Encrypt", doc(rootAllows), "no identity-based"],
  ["step 5: the root user's identity allows everything", "root", "kms:DisableKey", doc(rootAllows), "allow"],
  [
    "step 4: key policy names app directly",
    "app",
    "kms:Encrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:Encrypt", Resource: "*" }),
    "allow",
  ],
  [
    "step 4: a direct allow covers only its actions",
    "app",
    "kms:Decrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:Encrypt", Resource: "*" }),
    "no resource-based",
  ],
  [
    "step 4: action wildcards",
    "app",
    "kms:GenerateDataKeyWithoutPlaintext",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:GenerateDataKey*", Resource: "*" }),
    "allow",
  ],
  [
    "step 4: Principal * allows everyone",
    "alice",
    "kms:DescribeKey",
    doc({ Effect: "Allow", Principal: "*", Action: "kms:DescribeKey", Resource: "*" }),
    "allow",
  ],
  [
    "step 7: no statement for the caller's account: IAM allows do not count",
    "admin",
    "kms:Encrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:*", Resource: "*" }),
    "no resource-based",
  ],
  [
    "step 3: a key policy deny beats a direct allow",
    "alice",
    "kms:Decrypt",
    doc(
      rootAllows,
      { Effect: "Allow", Principal: { AWS: arn("alice") }, Action: "kms:*", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: arn("alice") }, Action: "kms:Decrypt", Resource: "*" },
    ),
    "explicit deny resource",
  ],
  [
    "step 3: a deny naming the account covers its principals",
    "admin",
    "kms:DisableKey",
    doc(rootAllows, { Effect: "Deny", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:Disable*", Resource: "*" }),
    "explicit deny resource",
  ],
  [
    "step 3: a deny for someone else does not apply",
    "admin",
    "kms:Decrypt",
    doc(rootAllows, { Effect: "Deny", Principal: { AWS: arn("alice") }, Action: "kms:Decrypt", Resource: "*" }),
    "allow",
  ],
  [
    "statements without Resource never match",
    "app",
    "kms:Encrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:Encrypt" }),
    "no resource-based",
  ],
  [
    "cross-account: a direct allow still needs the caller's IAM",
    "partner",
    "kms:Encrypt",
    doc(rootAllows, { Effect: "Allow", Principal: { AWS: arn("partner") }, Action: "kms:Encrypt", Resource: "*" }),
    "no identity-based",
  ],
  [
    "cross-account: allowing the other account delegates to its IAM",
    "partner",
    "kms:Decrypt",
    doc(rootAllows, { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "kms:*", Resource: "*" }),
    "no identity-based",
  ],
  [
    "cross-account: management actions never work across accounts",
    "partner",
    "kms:DisableKey",
    doc({ Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }),
    "no resource-based",
  ],
  [
    "NotAction: a deny of all but Decrypt stops Encrypt",
    "alice",
    "kms:Encrypt",
    doc(
      rootAllows,
      { Effect: "Allow", Principal: { AWS: arn("alice") }, Action: "kms:*", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: arn("alice") }, NotAction: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
    ),
    "explicit deny resource",
  ],
  [
    "NotAction: ... and leaves Decrypt alone",
    "alice",
    "kms:Decrypt",
    doc(
      rootAllows,
      { Effect: "Allow", Principal: { AWS: arn("alice") }, Action: "kms:*", Resource: "*" },
      { Effect: "Deny", Principal: { AWS: arn("alice") }, NotAction: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" },
    ),
    "allow",
  ],
  [
    "NotResource: an allow for every key but another",
    "app",
    "kms:Encrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:Encrypt", NotResource: "arn:aws:kms:*:*:key/other" }),
    "allow",
  ],
  [
    "NotResource: not for this key",
    "app",
    "kms:Encrypt",
    doc({ Effect: "Allow", Principal: { AWS: arn("app") }, Action: "kms:Encrypt", NotResource: KEY }),
    "no resource-based",
  ],
];

const SUFFIX: Record<Exclude<Expect, "allow">, (action: string) => string> = {
  "no resource-based": (a) => `because no resource-based policy allows the ${a} action`,
  "no identity-based": (a) => `because no identity-based policy allows the ${a} action`,
  "explicit deny resource": () => "with an explicit deny in a resource-based policy",
  "explicit deny identity": () => "with an explicit deny in an identity-based policy",
};

describe("§9.2 on both sides", () => {
  for (const [why, who, action, policy, expected] of rows) {
    it(`${why}: ${who} ${action} → ${expected}`, () => {
      const caller = world.principals[who]!;
      const message =
        expected === "allow"
          ? undefined
          : `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${KEY} ${SUFFIX[expected](action)}`;
      expect(keyDecision(caller, action, KEY, policy as never, {}).message).toBe(message);
      const compiled = compilePolicy(JSON.stringify(policy), true);
      expect(compiled.ok).toBe(true);
      if (!compiled.ok) return;
      const decision = authorizeKeyAction(iam, caller.arn, action, KEY, compiled.statements, () => new RequestContext());
      expect(decision.allowed ? undefined : decision.message).toBe(message);
    });
  }

  it("IAM-only actions: identity policies alone, on both sides", () => {
    for (const [who, allowed] of [
      ["admin", true],
      ["root", true],
      ["app", false],
      ["partner", false],
    ] as const) {
      const caller = world.principals[who]!;
      expect(iamDecision(caller, "kms:CreateCustomKeyStore", {}).message === undefined).toBe(allowed);
      expect(authorizeIamAction(iam, caller.arn, "kms:CreateCustomKeyStore", new RequestContext()).allowed).toBe(allowed);
    }
  });
});

describe("§9.2 step 3 with an identity-policy deny, on both sides", () => {
  it("an IAM deny beats a key policy allow", () => {
    const denied = {
      arn: "arn:aws:iam::111122223333:user/alice",
      policies: { NoDecrypt: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }] } },
    };
    const directory = new IamDirectory({ ...world.principals, alice: denied }, [world.account, world.partnerAccount]);
    const policy = doc(rootAllows, { Effect: "Allow", Principal: { AWS: denied.arn }, Action: "kms:*", Resource: "*" });
    const message = `User: ${denied.arn} is not authorized to perform: kms:Decrypt on resource: ${KEY} with an explicit deny in an identity-based policy`;
    expect(keyDecision(denied, "kms:Decrypt", KEY, policy as never, {}).message).toBe(message);
    const compiled = compilePolicy(JSON.stringify(policy), true);
    if (!compiled.ok) throw new Error(compiled.message);
    const decision = authorizeKeyAction(directory, denied.arn, "kms:Decrypt", KEY, compiled.statements, () => new RequestContext());
    expect(decision.allowed ? undefined : decision.message).toBe(message);
    expect(keyDecision(denied, "kms:Encrypt", KEY, policy as never, {}).message).toBeUndefined();
  });
});

describe("Action/NotAction and Resource/NotResource well-formedness, on both sides", () => {
  const statements: [string, Record<string, unknown>, boolean][] = [
    ["Action and Resource", { Action: "kms:Encrypt", Resource: "*" }, true],
    ["NotAction and NotResource", { NotAction: ["kms:Decrypt"], NotResource: "*" }, true],
    ["neither (accepted, never matches)", {}, true],
    ["Action and NotAction together", { Action: "kms:Encrypt", NotAction: "kms:Decrypt", Resource: "*" }, false],
    ["Resource and NotResource together", { Action: "kms:Encrypt", Resource: "*", NotResource: "*" }, false],
    ["an Action list with a number in it", { Action: ["kms:Encrypt", 5], Resource: "*" }, false],
    ["a NotResource that is an object", { Action: "kms:Encrypt", NotResource: { a: 1 } }, false],
  ];
  for (const [why, statement, ok] of statements) {
    it(`${why} → ${ok ? "accepted" : "malformed"}`, () => {
      expect(elementsWellFormed(statement as never)).toBe(ok);
      expect(compilePolicy(JSON.stringify(doc({ Effect: "Allow", Principal: "*", ...statement })), true).ok).toBe(ok);
    });
  }
});
