// The trace hash: a rolling SHA-256 over the canonical JSON of every executed step with its outcome,
// its start time and its duration on the virtual clock. Same code, scenario and seed ⇒ same hash.
// SHA-256 from node:crypto (OpenSSL): the same digest as any other SHA-256, at native speed; each
// fold is one call on the previous digest followed by the entry's UTF-8 bytes.
import { createHash, hash } from "node:crypto";
import { canonicalJson } from "../protocol/canonical.ts";

/** Bytes of a SHA-256 digest. */
const DIGEST_BYTES = 32;

export class TraceHash {
  private state: Buffer = createHash("sha256").update("kmsim-trace-v1").digest();

  /** Folds one entry in and returns the canonical text that was hashed. */
  add(entry: unknown): string {
    const text = canonicalJson(entry);
    const input = Buffer.allocUnsafe(DIGEST_BYTES + Buffer.byteLength(text, "utf8"));
    this.state.copy(input, 0);
    input.write(text, DIGEST_BYTES, "utf8");
    this.state = hash("sha256", input, "buffer");
    return text;
  }

  get hex(): string {
    return this.state.toString("hex");
  }
}
