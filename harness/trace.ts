// The trace hash: a rolling SHA-256 over the canonical JSON of every executed step with its outcome,
// its start time and its duration on the virtual clock. Same code, scenario and seed ⇒ same hash.
// SHA-256 from node:crypto (OpenSSL): the same digest as any other SHA-256, at native speed; each
// fold is one call on the previous digest followed by the entry's UTF-8 bytes. The entries' texts are
// kept and folded when the hash is read, all in one loop: the digest is the same, and hashing between
// the steps of a run, with the caches full of the run's own data, cost several times as much.
import { createHash, hash } from "node:crypto";
import { canonicalJson } from "../protocol/canonical.ts";

/** Bytes of a SHA-256 digest. */
const DIGEST_BYTES = 32;

/** Most UTF-8 bytes one UTF-16 code unit of a string can take. */
const UTF8_BYTES_PER_UNIT_MAX = 3;

export class TraceHash {
  private state: Buffer = createHash("sha256").update("kmsim-trace-v1").digest();
  /** Texts added since the last fold, in order. */
  private unfolded: string[] = [];

  /** Adds one entry (folded in when the hash is next read) and returns the canonical text that is hashed. */
  add(entry: unknown): string {
    const text = canonicalJson(entry);
    this.unfolded.push(text);
    return text;
  }

  get hex(): string {
    this.fold();
    return this.state.toString("hex");
  }

  /** Folds every text added since the last fold into the digest: digest = SHA-256(digest ‖ UTF-8 text), in order. */
  private fold(): void {
    if (this.unfolded.length === 0) return;
    const longest = this.unfolded.reduce((n, text) => Math.max(n, text.length), 0);
    const input = Buffer.allocUnsafe(DIGEST_BYTES + longest * UTF8_BYTES_PER_UNIT_MAX);
    for (const text of this.unfolded) {
      this.state.copy(input, 0);
      const written = input.write(text, DIGEST_BYTES, "utf8");
      this.state = hash("sha256", input.subarray(0, DIGEST_BYTES + written), "buffer");
    }
    this.unfolded = [];
  }
}
