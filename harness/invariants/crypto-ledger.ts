// The crypto ledger (spec §8.3, §17.11): what each ciphertext the KMS handed out was made from —
// plaintext, encryption context, key — kept from the answers alone; a ciphertext opens only under its
// own key and exactly its own context, and gives back its own plaintext. A data key returned without
// its plaintext is learned at its first Decrypt.
import { isCall, type Json } from "../../protocol/step.ts";
import type { Invariant } from "./invariant.ts";

interface Made {
  /** Null for a data key returned without it, until a Decrypt shows it. */
  plaintext: Json;
  context: Json;
  keyArn: Json;
}

function sortedPairs(context: Json): [string, Json][] {
  const o = typeof context === "object" && context !== null && !Array.isArray(context) ? context : {};
  return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The calls the ledger keeps or judges: it reads nothing of any other answer (read by name from answers
 * of every shape, members miss V8's property caches).
 */
const LEDGER_CALLS: ReadonlySet<string> = new Set([
  "Encrypt",
  "GenerateDataKey",
  "GenerateDataKeyWithoutPlaintext",
  "Decrypt",
  "ReEncrypt",
]);

export function cryptoLedger(): Invariant {
  const made = new Map<string, Made>();
  return {
    name: "crypto-ledger",
    after({ step, sut }) {
      if (!isCall(step) || !sut.ok || !LEDGER_CALLS.has(step.call)) return undefined;
      const input = step.input ?? {};
      const blob = sut.output["CiphertextBlob"];
      const keyArn = sut.output["KeyId"] ?? null;
      const plaintexts: Record<string, Json | undefined> = {
        Encrypt: input["Plaintext"],
        GenerateDataKey: sut.output["Plaintext"],
        GenerateDataKeyWithoutPlaintext: null,
      };
      if (step.call in plaintexts && typeof blob === "string") {
        made.set(blob, { plaintext: plaintexts[step.call] ?? null, context: input["EncryptionContext"] ?? {}, keyArn });
      }
      if (step.call !== "Decrypt" && step.call !== "ReEncrypt") return undefined;
      const given = input["CiphertextBlob"];
      const origin = typeof given === "string" ? made.get(given) : undefined;
      const sourceArn = step.call === "Decrypt" ? keyArn : sut.output["SourceKeyId"];
      const sourceContext = input[step.call === "Decrypt" ? "EncryptionContext" : "SourceEncryptionContext"] ?? {};
      if (origin === undefined) return `${step.call}: a ciphertext the KMS never returned opened (spec §17.11)`;
      if (origin.keyArn !== sourceArn) return `${step.call}: ciphertext of ${String(origin.keyArn)} opened under ${String(sourceArn)}`;
      if (JSON.stringify(sortedPairs(origin.context)) !== JSON.stringify(sortedPairs(sourceContext))) {
        return `${step.call}: opened with an encryption context other than the one bound at encryption (spec §8.3)`;
      }
      if (step.call === "Decrypt") {
        if (origin.plaintext === null) origin.plaintext = sut.output["Plaintext"] ?? null;
        else if (origin.plaintext !== sut.output["Plaintext"])
          return "Decrypt: returned a plaintext other than the one encrypted (spec §17.11)";
      } else if (typeof blob === "string") {
        made.set(blob, { plaintext: origin.plaintext, context: input["DestinationEncryptionContext"] ?? {}, keyArn });
      }
      return undefined;
    },
  };
}
