// The trace hash: a rolling SHA-256 over the canonical JSON of every executed step with its outcome,
// its start time and its duration on the virtual clock. Same code, scenario and seed ⇒ same hash.
// SHA-256 from node:crypto (OpenSSL): the same digest as any other SHA-256, at native speed.
import { createHash } from "node:crypto";
import { canonicalJson } from "../protocol/canonical.ts";

export class TraceHash {
  private state: Buffer = createHash("sha256").update("kmsim-trace-v1").digest();

  /** Folds one entry in and returns the canonical text that was hashed. */
  add(entry: unknown): string {
    const text = canonicalJson(entry);
    this.state = createHash("sha256").update(this.state).update(text, "utf8").digest();
    return text;
  }

  get hex(): string {
    return this.state.toString("hex");
  }
}
