// `kmsim bench`: throughput of the crypto path and of the harness, each reported as a ratio against
// a baseline measured in the same run (node:crypto AES-256-GCM), never as an absolute pass/fail —
// these machines are shared and noisy. Wall-clock time is allowed here and nowhere in a trace.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { gcm } from "@noble/ciphers/aes.js";
import { runSeed } from "../sim/runner/seed.ts";
import type { Scenario } from "../sim/scenario.ts";
import { World } from "../sim/world.ts";
import { int, parse } from "./args.ts";
import { loadScenario } from "./load.ts";

export const BENCH_HELP = `kmsim bench [--scenario S] [--millis MS] [--json]

Measures, in one run: node:crypto AES-256-GCM (the baseline), @noble/ciphers AES-256-GCM, the virtual
KMS's Encrypt+Decrypt of a CloudHSM key through the simulated network and HSM, and the harness (both
sides, every check) in steps per second; each as a rate and as a ratio to the baseline.

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
  const store = String(call("CreateCustomKeyStore", { CustomKeyStoreName: "bench", CloudHsmClusterId: cluster.clusterId, TrustAnchorCertificate: cluster.trustAnchor, KeyStorePassword: cluster.kmsuserPassword })["CustomKeyStoreId"]);
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
  if (values.help === true) return void console.log(BENCH_HELP), 0;
  const scenario = loadScenario(typeof values.scenario === "string" ? values.scenario : "default");
  const millis = int("bench", "millis", values.millis, 500, 10);
  const baseline = measure("node:crypto AES-256-GCM encrypt+decrypt (baseline)", `ops of ${PAYLOAD_BYTES} B`, millis, nodeGcm());
  const results = [
    baseline,
    measure("@noble/ciphers AES-256-GCM encrypt+decrypt", `ops of ${PAYLOAD_BYTES} B`, millis, nobleGcm()),
    measure("virtual KMS Encrypt+Decrypt, CloudHSM key", `ops of ${PAYLOAD_BYTES} B`, millis, virtualKms(scenario)),
    measure(`harness, scenario ${scenario.name} (both sides, all checks)`, "steps", millis, harness(scenario)),
  ];
  if (values.json === true) {
    console.log(JSON.stringify({ millis, results: results.map((r) => ({ ...r, perSecond: Math.round(r.perSecond), ratioToBaseline: r.perSecond / baseline.perSecond })) }));
    return 0;
  }
  console.log(`kmsim bench: ${millis} ms per measurement; ratios are to the baseline measured in this run`);
  for (const r of results) {
    console.log(`  ${r.name.padEnd(62)} ${Math.round(r.perSecond).toString().padStart(9)} ${r.unit}/s   ×${(r.perSecond / baseline.perSecond).toFixed(4)}`);
  }
  return 0;
}
