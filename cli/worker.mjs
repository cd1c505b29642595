// The fuzz worker when kmsim runs from its TypeScript sources (vitest, tsx): threads do not inherit
// tsx, so register it, then run worker.ts. The built CLI starts dist/worker.js instead (see pool.ts).
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
