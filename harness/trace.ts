// The trace hash: a rolling SHA-256 over the canonical JSON of every executed step with its outcome,
// its start time and its duration on the virtual clock. Same code, scenario and seed ⇒ same hash.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "../protocol/canonical.ts";

export class TraceHash {
  private state: Uint8Array = sha256(utf8ToBytes("kmsim-trace-v1"));

  /** Folds one entry in and returns the canonical text that was hashed. */
  add(entry: unknown): string {
    const text = canonicalJson(entry);
    const body = utf8ToBytes(text);
    const joined = new Uint8Array(this.state.length + body.length);
    joined.set(this.state);
    joined.set(body, this.state.length);
    this.state = sha256(joined);
    return text;
  }

  get hex(): string {
    return bytesToHex(this.state);
  }
}
