// A mutant: a small, named bug planted in the virtual KMS, HSM or IAM view (issue 12), switched on by
// name and off by the undo its `apply` returns. Off, nothing of it runs: it patches only stable seams
// (class prototypes, the KMS operation table, the `access` and `conditionSemantics` objects), and the
// harness knows nothing of it — a mutant is caught by the general checks or it survives.

/** Where in the system the bug lives (the areas). */
export const AREAS = [
  "key stores and connection",
  "kmsuser and lockout",
  "failover and replication",
  "key states",
  "crypto and encryption context",
  "key policies",
  "IAM",
  "grants and constraints",
  "conditions",
  "aliases",
  "tags",
  "deletion",
  "quotas",
  "timing",
  "service failures",
] as const;
export type Area = (typeof AREAS)[number];

/** Puts everything a mutant changed back as it was. */
export type Undo = () => void;

export interface Mutant {
  /** kebab-case, unique: what `--only` takes. */
  name: string;
  area: Area;
  /** The bug, in one line. */
  description: string;
  /** The shipped scenarios it is hunted in, taken in turn seed by seed. */
  scenarios: readonly string[];
  /**
   * The failure the general checks report: its kind, and where it matters the check that fires
   * (a run's Failure.check: "model", "state-audit", "access", an invariant's name, "budget:<Op>";
   * "step-timeout" for a hang, "out-of-memory" for the crash of a thread that filled its heap).
   */
  expected: { kind: "mismatch" | "invariant" | "budget" | "liveness" | "hang" | "crash"; check?: string };
  apply(): Undo;
}

/** Replaces `target[name]` by what `make` builds from the original; the undo puts the original back. */
export function patch<T extends object, K extends keyof T>(target: T, name: K, make: (original: T[K]) => T[K]): Undo {
  const own = Object.hasOwn(target, name);
  const original = target[name];
  target[name] = make(original);
  return () => {
    if (own) target[name] = original;
    else delete target[name];
  };
}

/** One undo for several patches, undone in reverse order. */
export function together(...undos: Undo[]): Undo {
  return () => {
    for (const undo of [...undos].reverse()) undo();
  };
}
