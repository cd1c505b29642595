// The one vocabulary every part shares: a Step (an API call, a fault, or a pause) and an Outcome
// (`{ok: true, output}` or `{ok: false, error: {name, message}}`), with AWS's own field and error
// names. The generator makes Step lists, replay reads them, both sides execute them. Types only,
// plus the guards that tell the three kinds of step apart.

import type { FailingService } from "./service-failures.ts";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** An API call made by a principal of the world, named by its short name (`admin`, `app`, …). */
export interface CallStep {
  call: string;
  as: string;
  input?: JsonObject;
  /** Name under which this step's output is kept for `${name.Path}` references. */
  save?: string;
  /**
   * What a script's author expects, checked on top of the model: `{"ok": true}` (any output),
   * `{"ok": true, "output": {...}}`, or `{"ok": false, "error": {"name", "message"?}}`.
   */
  expect?: JsonObject;
}

export type FaultName =
  | "hsm-crash"
  | "hsm-restore"
  | "partition"
  | "heal"
  | "az-outage"
  | "az-restore"
  | "subnet-delete"
  | "subnet-full"
  | "subnet-restore"
  | "slow-hsm"
  | "service-failure";
export const FAULT_NAMES: readonly FaultName[] = [
  "hsm-crash",
  "hsm-restore",
  "partition",
  "heal",
  "az-outage",
  "az-restore",
  "subnet-delete",
  "subnet-full",
  "subnet-restore",
  "slow-hsm",
  "service-failure",
];

/**
 * A fault applied between calls. `hsm` names the HSM (for `heal` without one, every link); a
 * partition cuts `direction` "both" (the default), "to-hsm" or "from-hsm"; `az` names an
 * availability zone; `subnet` a subnet; `slow-hsm` makes the HSM's replies leave `factor` times its
 * service time after a request arrives (1 restores it); `service-failure` arms `error` (one of
 * protocol/service-failures.ts) at `service`'s front door for the next call whose operation documents
 * it. With `after`, the fault lands that many milliseconds into the next call instead (or as it ends,
 * if it ends sooner) — except `service-failure`, which takes no `after`.
 */
export interface FaultStep {
  fault: FaultName;
  after?: number;
  hsm?: string;
  direction?: "both" | "to-hsm" | "from-hsm";
  az?: string;
  subnet?: string;
  factor?: number;
  service?: FailingService;
  error?: string;
}

/** A pause: virtual time moves on by `advance` milliseconds and background processes run. */
export interface AdvanceStep {
  advance: number;
}

export type Step = CallStep | FaultStep | AdvanceStep;

export interface KmsError {
  name: string;
  message: string;
}

export type Outcome = { ok: true; output: JsonObject } | { ok: false; error: KmsError };

export function isCall(step: Step): step is CallStep {
  return "call" in step;
}

export function isFault(step: Step): step is FaultStep {
  return "fault" in step;
}

export function isAdvance(step: Step): step is AdvanceStep {
  return "advance" in step;
}

export function ok(output: JsonObject = {}): Outcome {
  return { ok: true, output };
}

export function fail(name: string, message: string): Outcome {
  return { ok: false, error: { name, message } };
}
