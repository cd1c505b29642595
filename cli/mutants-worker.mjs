// The mutant-hunting worker when kmsim runs from its TypeScript sources (vitest, tsx): threads do not
// inherit tsx, so register it, then run mutants-worker.ts. The built CLI starts dist/mutants-worker.js.
import { register } from "tsx/esm/api";

register();
await import("./mutants-worker.ts");
