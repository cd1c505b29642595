// vitest: tests mirror the source tree under test/; every test's files live in one temporary directory
// for the run (test/support/temp-root.ts), removed when it ends.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 60_000, globalSetup: ["test/support/temp-root.ts"] },
});
