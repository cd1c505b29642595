// vitest's global set-up (vitest.config.ts): one directory under the OS's temporary directory for the
// whole test run, removed when the run ends, pass or fail — tests make theirs inside it (temp-dir.ts),
// so a nightly CI machine's /tmp does not fill up with reports, journals and repro files run by run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The run's temporary directory. */
    tempRoot: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), "kmsim-test-"));
  project.provide("tempRoot", root);
  return () => rmSync(root, { recursive: true, force: true });
}
