// `kmsim bench`: throughput of the crypto path and of the harness, each reported as a ratio against
// a baseline measured in the same run (node:crypto AES-256-GCM), never as an absolute pass/fail —
// these machines are shared and noisy. Wall-clock time is allowed here and nowhere in a trace.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { gcm } from "@noble/ciphers/aes.js";
import { keyDecision } from "../model/authorize.ts";
import { authorizeKeyAction } from "../sim/iam/authorize.ts";
import { RequestContext } from "../sim/iam/conditions.ts";
import { IamDirectory } from "../sim/iam/iam.ts";
import { compilePolicy } from "../sim/iam/policy.ts";
import type { Json } from "../protocol/step.ts";
import { runSeed } from "../harness/seed.ts";
import type { Scenario } from "../harness/scenario.ts";
import { World } from "../sim/world.ts";
import { int, parse } from "./args.ts";
import { loadScenario } from "./load.ts";

export const BENCH_HELP = `kmsim bench [--scenario S] [--millis MS] [--json]

Measures, in one run: node:crypto AES-256-GCM (the baseline), @noble/ciphers AES-256-GCM, the virtual
KMS's Encrypt+Decrypt of a CloudHSM key through the simulated network and HSM, authorization decisions
(the virtual KMS's with a condition-free key policy, which it caches, and with Conditions, which it
evaluates every time; the model's, reading the documents), and the harness (both sides, every check)
in steps per second; each as a rate and as a ratio to the baseline.

  --scenario S   scenario for the KMS and harness figures [default]
  --millis MS    how long each measurement runs [500]
  --json         print one JSON object instead of a table

Exit: 0, or 2 for bad input.`;

const PAYLOAD_BYTES = 1024;

interface Measure {
  name: string;
  unit: string;
  perSecond: number;
}

/** Runs `op` (which reports how many units it did) repeatedly for `millis`, after a short warm-up. */
function measure(name: string, unit: string, millis: number, op: () => number): Measure {
  for (let i = 0; i < 3; i++) op();
  let units = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < millis) {
    units += op();
    elapsed = performance.now() - start;
  }
  return { name, unit, perSecond: (units * 1000) / elapsed };
}

function nodeGcm(): () => number {
  const key = randomBytes(32);
  const plaintext = randomBytes(PAYLOAD_BYTES);
  return () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAuthTag(cipher.getAuthTag());
    Buffer.concat([decipher.update(sealed), decipher.final()]);
    return 1;
  };
}

function nobleGcm(): () => number {
  const key = randomBytes(32);
  const plaintext = randomBytes(PAYLOAD_BYTES);
  return () => {
    const iv = randomBytes(12);
    gcm(key, iv).decrypt(gcm(key, iv).encrypt(plaintext));
    return 1;
  };
}

/** A world with a connected store and a key in it; each op is one Encrypt and one Decrypt. */
function virtualKms(scenario: Scenario): () => number {
  const world = new World(scenario, "kmsim:bench");
  const { cluster, principals } = scenario.world;
  const admin = principals["admin"]?.arn ?? "";
  const call = (name: string, input: Record<string, string>) => {
    const { outcome } = world.call({ call: name, as: "admin", input }, admin);
    if (!outcome.ok) throw new Error(`bench: ${name} failed with ${outcome.error.name}`);
    return outcome.output;
  };
  const store = String(
    call("CreateCustomKeyStore", {
      CustomKeyStoreName: "bench",
      CloudHsmClusterId: cluster.clusterId,
      TrustAnchorCertificate: cluster.trustAnchor,
      KeyStorePassword: cluster.kmsuserPassword,
    })["CustomKeyStoreId"],
  );
  call("ConnectCustomKeyStore", { CustomKeyStoreId: store });
  world.advance(scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs);
  const keyId = String((call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store })["KeyMetadata"] as { KeyId: string }).KeyId);
  const plaintext = randomBytes(PAYLOAD_BYTES).toString("base64");
  return () => {
    // Spread calls over virtual time so the store's request quota is never what is measured.
    world.advance(1000);
    const blob = String(call("Encrypt", { KeyId: keyId, Plaintext: plaintext })["CiphertextBlob"]);
    call("Decrypt", { CiphertextBlob: blob });
    return 1;
  };
}

const DECISIONS_PER_OP = 100;

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

/** The virtual KMS deciding kms:Encrypt under `policy` (compiled once), a fresh request context each time it asks for one. */
function kmsDecisions(scenario: Scenario, policy: Json): () => number {
  const iam = new IamDirectory(scenario.world.principals, [scenario.world.account, scenario.world.partnerAccount]);
  const compiled = compilePolicy(JSON.stringify(policy), true);
  if (!compiled.ok) throw new Error(`bench: ${compiled.message}`);
  const app = scenario.world.principals["app"]?.arn ?? "";
  const keyArn = `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const keys = Object.entries(decisionContext(scenario));
  return () => {
    for (let i = 0; i < DECISIONS_PER_OP; i++) {
      const context = () => {
        const built = new RequestContext();
        for (const [k, v] of keys) built.add(k, v);
        return built;
      };
      if (!authorizeKeyAction(iam, app, "kms:Encrypt", keyArn, compiled.statements, context).allowed)
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
  const keyArn = `arn:aws:kms:${scenario.world.region}:${scenario.world.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const context = decisionContext(scenario);
  return () => {
    for (let i = 0; i < DECISIONS_PER_OP; i++) {
      if (keyDecision(app, "kms:Encrypt", keyArn, policy, context).message !== undefined) throw new Error("bench: the model should allow");
    }
    return DECISIONS_PER_OP;
  };
}

/** The whole harness: one generated seed at a time, both sides and every check; units are steps. */
function harness(scenario: Scenario): () => number {
  let seed = 1;
  return () => {
    const result = runSeed(scenario, seed++, { stepsMax: scenario.campaign.stepsDefault });
    return result.steps;
  };
}

export function benchMain(argv: string[]): number {
  const { values } = parse("bench", argv, { scenario: { type: "string" }, millis: { type: "string" }, json: { type: "boolean" } });
  if (values.help === true) return (void console.log(BENCH_HELP), 0);
  const scenario = loadScenario(typeof values.scenario === "string" ? values.scenario : "default");
  const millis = int("bench", "millis", values.millis, 500, 10);
  const policies = decisionPolicies(scenario);
  const baseline = measure("node:crypto AES-256-GCM encrypt+decrypt (baseline)", `ops of ${PAYLOAD_BYTES} B`, millis, nodeGcm());
  const results = [
    baseline,
    measure("@noble/ciphers AES-256-GCM encrypt+decrypt", `ops of ${PAYLOAD_BYTES} B`, millis, nobleGcm()),
    measure("virtual KMS Encrypt+Decrypt, CloudHSM key", `ops of ${PAYLOAD_BYTES} B`, millis, virtualKms(scenario)),
    measure("virtual KMS key decisions, no Condition (cached)", "decisions", millis, kmsDecisions(scenario, policies.plain)),
    measure("virtual KMS key decisions, with Conditions (compiled)", "decisions", millis, kmsDecisions(scenario, policies.conditional)),
    measure("model key decisions, with Conditions (documents read)", "decisions", millis, modelDecisions(scenario, policies.conditional)),
    measure(`harness, scenario ${scenario.name} (both sides, all checks)`, "steps", millis, harness(scenario)),
  ];
  if (values.json === true) {
    console.log(
      JSON.stringify({
        millis,
        results: results.map((r) => ({ ...r, perSecond: Math.round(r.perSecond), ratioToBaseline: r.perSecond / baseline.perSecond })),
      }),
    );
    return 0;
  }
  console.log(`kmsim bench: ${millis} ms per measurement; ratios are to the baseline measured in this run`);
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(62)} ${Math.round(r.perSecond).toString().padStart(9)} ${r.unit}/s   ×${(r.perSecond / baseline.perSecond).toFixed(4)}`,
    );
  }
  return 0;
}
