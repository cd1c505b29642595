// A new empty directory for a test, inside the run's temporary directory (temp-root.ts), which is
// removed when the run ends: no test leaves files behind in /tmp.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";

/** A new empty directory whose name starts with `prefix`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(inject("tempRoot"), prefix));
}
