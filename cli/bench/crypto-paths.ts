// The crypto figures of `kmsim bench`: AES-256-GCM on its own (path "raw": seal and open with the
// same AAD the KMS would authenticate, each call under another IV, as the KMS seals) and through the
// virtual KMS's hot path (path "kms": Encrypt, Decrypt and GenerateDataKey as calls to a World with a
// connected store and a CloudHSM key, over the simulated network to a virtual HSM), per backend and
// payload size, in interleaved rounds; the hot-path overhead is the ratio of the two on the same
// backend, taken round by round. The baseline is node:crypto on its own, outside any backend.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { Scenario } from "../../harness/scenario.ts";
import type { JsonObject } from "../../protocol/step.ts";
import type { CryptoBackendName } from "../../sim/crypto/backend.ts";
import { cryptoBackend } from "../../sim/crypto/select.ts";
import { associatedData } from "../../sim/wire/encoding.ts";
import { World } from "../../sim/world.ts";
import { spreadOf, timeInterleaved, type Rate, type TimingOptions } from "./timing.ts";

export const BASELINE_BYTES = 1024;
/** GenerateDataKey's NumberOfBytes goes up to 1,024 (spec §8.2): larger sizes have no GenerateDataKey figure. */
export const DATA_KEY_BYTES_MAX = 1024;
/** Distinct IVs the raw cipher calls go through, one per call, as the KMS draws a new IV for every seal. */
const IVS_CYCLED = 256;

export interface CryptoResult {
  path: "raw" | "kms";
  backend: CryptoBackendName;
  op: "encrypt" | "decrypt" | "Encrypt" | "Decrypt" | "GenerateDataKey";
  bytes: number;
  opsPerSec: number;
  opsPerSecMin: number;
  opsPerSecMax: number;
  /** Payload megabytes (10^6 bytes) per second, at the median rate. */
  mbPerSec: number;
}

export interface Overhead {
  backend: CryptoBackendName;
  op: "Encrypt" | "Decrypt" | "GenerateDataKey";
  bytes: number;
  /** How many times longer the call takes through the virtual KMS than the raw cipher call it makes (median of the rounds). */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
}

/** The raw cipher call each KMS operation makes once. */
const RAW_OP = { Encrypt: "encrypt", Decrypt: "decrypt", GenerateDataKey: "encrypt" } as const;

function result(path: CryptoResult["path"], backend: CryptoBackendName, op: CryptoResult["op"], bytes: number, rate: Rate): CryptoResult {
  return {
    path,
    backend,
    op,
    bytes,
    opsPerSec: rate.perSec,
    opsPerSecMin: rate.perSecMin,
    opsPerSecMax: rate.perSecMax,
    mbPerSec: (rate.perSec * bytes) / 1e6,
  };
}

/** The baseline: node:crypto AES-256-GCM, encrypt then decrypt of 1 KiB with a fresh IV each time; units are pairs. */
export function baselineOp(): () => number {
  const key = randomBytes(32);
  const plaintext = randomBytes(BASELINE_BYTES);
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

/**
 * A World with a connected custom key store and an AWS_CLOUDHSM key replicated to every HSM (also
 * tools/call-instructions-driver.ts's, so the two count the same calls).
 */
export function kmsWorld(
  scenario: Scenario,
  crypto: CryptoBackendName,
): { call: (name: string, input: JsonObject) => JsonObject; keyArn: string } {
  const world = new World({ ...scenario, crypto }, "kmsim:bench");
  const { cluster, principals } = scenario.world;
  const admin = principals["admin"]?.arn ?? "";
  const call = (name: string, input: JsonObject) => {
    world.advance(1000); // a virtual second between calls: the store's request quota is never what is measured
    const { outcome } = world.call({ call: name, as: "admin", input }, admin);
    if (!outcome.ok) throw new Error(`bench: ${name} failed with ${outcome.error.name}: ${outcome.error.message}`);
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
  const created = call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store })["KeyMetadata"] as { Arn: string };
  world.advance(scenario.timing.replicationDelayMs + 1);
  return { call, keyArn: created.Arn };
}

export function measureCrypto(
  scenario: Scenario,
  backends: readonly CryptoBackendName[],
  sizes: readonly number[],
  timing: TimingOptions,
): { results: CryptoResult[]; overhead: Overhead[] } {
  const results: CryptoResult[] = [];
  const overhead: Overhead[] = [];
  for (const name of backends) {
    const backend = cryptoBackend(name);
    const { call, keyArn } = kmsWorld(scenario, name);
    const key = new Uint8Array(randomBytes(32));
    const aad = associatedData(keyArn, {}); // what the KMS authenticates for a call without a context
    for (const bytes of sizes) {
      const plaintext = new Uint8Array(randomBytes(bytes));
      // As the KMS does, a fresh IV for every seal (a cipher whose table lookups depend on its input
      // would otherwise replay the same lookups, cache-warm, on every call); opens cycle through
      // IVS_CYCLED ciphertexts sealed under as many IVs.
      const ivs = Array.from({ length: IVS_CYCLED }, () => new Uint8Array(randomBytes(12)));
      const sealedUnder = ivs.map((iv) => backend.seal(key, iv, aad, plaintext));
      let next = 0;
      const Plaintext = Buffer.from(plaintext).toString("base64");
      // Decrypt, likewise, of IVS_CYCLED ciphertexts in turn, not of one.
      const blobs = ivs.map(() => call("Encrypt", { KeyId: keyArn, Plaintext })["CiphertextBlob"] as string);
      let nextBlob = 0;
      const ops: [CryptoResult["path"], CryptoResult["op"], () => unknown][] = [
        ["raw", "encrypt", () => backend.seal(key, ivs[(next = (next + 1) % IVS_CYCLED)]!, aad, plaintext)],
        ["raw", "decrypt", () => backend.open(key, ivs[(next = (next + 1) % IVS_CYCLED)]!, aad, sealedUnder[next]!)],
        ["kms", "Encrypt", () => call("Encrypt", { KeyId: keyArn, Plaintext })],
        ["kms", "Decrypt", () => call("Decrypt", { CiphertextBlob: blobs[(nextBlob = (nextBlob + 1) % IVS_CYCLED)]! })],
      ];
      if (bytes <= DATA_KEY_BYTES_MAX)
        ops.push(["kms", "GenerateDataKey", () => call("GenerateDataKey", { KeyId: keyArn, NumberOfBytes: bytes })]);
      const timed = timeInterleaved(
        timing,
        ops.map(
          ([, , op]) =>
            () => (op(), 1),
        ),
      );
      ops.forEach(([path, op], i) => results.push(result(path, name, op, bytes, timed[i]!.rate)));
      // Each KMS call against the raw cipher call it makes, round by round (same load), then the median.
      ops.forEach(([path, op], i) => {
        if (path !== "kms") return;
        const raw = timed[ops.findIndex(([p, o]) => p === "raw" && o === RAW_OP[op as Overhead["op"]])]!.rounds;
        const ratios = spreadOf(timed[i]!.rounds.map((kmsRate, r) => raw[r]! / kmsRate));
        overhead.push({ backend: name, op: op as Overhead["op"], bytes, ratio: ratios.median, ratioMin: ratios.min, ratioMax: ratios.max });
      });
    }
  }
  return { results, overhead };
}
