// Spec §15: where AWS documents more than one answer, or none, the model allows each of them — and
// this is the one list of such places, so a reviewer sees every leniency at once. Each entry names
// its §15 item and the errors allowed; the virtual KMS picks one of them (its [MODEL CHOICE]).
import { errorPattern, type OutcomePattern } from "../protocol/pattern.ts";
import { Refusal, refuseWith, type Check } from "./refusal.ts";

export const AMBIGUITIES = {
  /** §15.5 (§5.5 fn 2 or 3): crypto on a key pending deletion; both are seen in practice. */
  "crypto on a key pending deletion": ["DisabledException", "KMSInvalidStateException"],
  /** §15.13: the error for an alias name under the reserved "alias/aws/" is not documented. */
  "reserved alias name": ["InvalidAliasNameException", "AccessDeniedException"],
} as const;

export type Ambiguity = keyof typeof AMBIGUITIES;

/** Refuses with any of the errors `ambiguity` allows, each with `message` when the spec records one. */
export function refuseAmbiguous(ambiguity: Ambiguity, message?: string): Check<never> {
  const [first, ...rest]: OutcomePattern[] = AMBIGUITIES[ambiguity].map((name) => errorPattern(name, message));
  return refuseWith(new Refusal(first!, undefined, rest, ambiguity));
}
