// The bench's measuring thread when kmsim runs from its TypeScript sources (vitest, tsx): threads do
// not inherit tsx, so register it, then run bench-worker.ts. The built CLI starts dist/bench-worker.cjs.
import { register } from "tsx/esm/api";

register();
await import("./bench-worker.ts");
