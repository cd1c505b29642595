// The calls tools/call-instructions.mjs counts under cachegrind: one operation, on one backend and
// payload size, made `warm` times and then `calls` times more, on the bench's own World (a connected
// store and a CloudHSM key: cli/bench/crypto-paths.ts kmsWorld). "seal" is the raw cipher call an
// Encrypt makes once (same key size, AAD and payload, a new IV each time); Encrypt, Decrypt and
// GenerateDataKey go through the virtual KMS. Nothing is printed: the count is the runner's.
import { randomBytes } from "node:crypto";
import { kmsWorld } from "../cli/bench/crypto-paths.ts";
import { loadScenario } from "../cli/load.ts";
import type { CryptoBackendName } from "../sim/crypto/backend.ts";
import { cryptoBackend } from "../sim/crypto/select.ts";
import { associatedData } from "../sim/wire/encoding.ts";

/** Distinct IVs and blobs the calls cycle through, as the bench's raw calls do. */
const CYCLED = 256;

const [backendName, bytesText, op, warmText, callsText] = process.argv.slice(2);
const backend = backendName as CryptoBackendName;
const bytes = Number(bytesText);
const { call, keyArn } = kmsWorld(loadScenario("default"), backend);
const plaintext = new Uint8Array(randomBytes(bytes));
const Plaintext = Buffer.from(plaintext).toString("base64");
const key = new Uint8Array(randomBytes(32));
const aad = associatedData(keyArn, {});
const ivs = Array.from({ length: CYCLED }, () => new Uint8Array(randomBytes(12)));
const cipher = cryptoBackend(backend);
const blobs = op === "Decrypt" ? ivs.map(() => String(call("Encrypt", { KeyId: keyArn, Plaintext })["CiphertextBlob"])) : [];
const ops: Record<string, (i: number) => unknown> = {
  seal: (i) => cipher.seal(key, ivs[i % CYCLED]!, aad, plaintext),
  Encrypt: () => call("Encrypt", { KeyId: keyArn, Plaintext }),
  Decrypt: (i) => call("Decrypt", { CiphertextBlob: blobs[i % CYCLED]! }),
  GenerateDataKey: () => call("GenerateDataKey", { KeyId: keyArn, NumberOfBytes: bytes }),
};
const run = ops[op ?? ""];
if (run === undefined) throw new Error(`call-instructions-driver: no operation ${op}`);
const total = Number(warmText) + Number(callsText);
for (let i = 0; i < total; i++) run(i);
