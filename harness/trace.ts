// The trace hash: a rolling SHA-256 over the canonical JSON of every executed step with its outcome,
// its start time and its duration on the virtual clock. Same code, scenario and seed ⇒ same hash.
// SHA-256 from node:crypto (OpenSSL): the same digest as any other SHA-256, at native speed; each
// fold is one call on the previous digest followed by the entry's UTF-8 bytes. The entries are kept
// and folded when the hash is read, all in one loop: the digest is the same, and hashing between the
// steps of a run, with the caches full of the run's own data, cost several times as much. They are
// kept as bytes (protocol/canonical-bytes.ts), each after 32 bytes of room its fold writes the
// previous digest into, in a buffer that passes from one trace to the next once read: a text per step,
// kept to the end of the run, was copied by every scavenge it lived through.
import { createHash, hash } from "node:crypto";
import { Utf8Writer, writeCanonicalJson } from "../protocol/canonical-bytes.ts";

/** Bytes of a SHA-256 digest. */
const DIGEST_BYTES = 32;

/** A folded trace's buffer, for the next trace to write into (one at a time owns it). */
let spare: Utf8Writer | undefined;

export class TraceHash {
  private state: Buffer = createHash("sha256").update("kmsim-trace-v1").digest();
  /** The entries added since the last fold, each after DIGEST_BYTES of room; none taken while empty. */
  private unfolded: Utf8Writer | undefined;
  /** Where each unfolded entry ends in `unfolded`, in order. */
  private readonly ends: number[] = [];

  /** Adds one entry: its canonical JSON is folded in when the hash is next read. */
  add(entry: unknown): void {
    let out = this.unfolded;
    if (out === undefined) {
      out = spare ?? new Utf8Writer();
      spare = undefined;
      this.unfolded = out;
    }
    out.skip(DIGEST_BYTES);
    writeCanonicalJson(entry, out);
    this.ends.push(out.length);
  }

  get hex(): string {
    this.fold();
    return this.state.toString("hex");
  }

  /** Folds every entry added since the last fold into the digest: digest = SHA-256(digest ‖ UTF-8 text), in order. */
  private fold(): void {
    const out = this.unfolded;
    if (out === undefined) return;
    const buffer = out.buffer;
    let start = 0;
    for (const end of this.ends) {
      this.state.copy(buffer, start);
      this.state = hash("sha256", buffer.subarray(start, end), "buffer");
      start = end;
    }
    this.ends.length = 0;
    out.clear();
    this.unfolded = undefined;
    spare = out;
  }
}
