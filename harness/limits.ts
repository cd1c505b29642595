// The bounds a run accepts from its user, as named limits: past them a run would exhaust memory or
// push the virtual clock past the integers it can count exactly (2^53 microseconds), so a script,
// a scenario or a flag that goes beyond one is bad input, refused before anything runs.

/** Longest Step list a seed may generate (`--steps`, a scenario's stepsDefault) or a script may hold. */
export const STEPS_MAX = 10_000;

/** Longest single pause (`{"advance": ms}`) or fault landing (`"after": ms`) in a script: 400 days. */
export const ADVANCE_MS_MAX = 400 * 24 * 3_600_000;

/** Most virtual time a whole script may pass (advances and landings summed): 100 years. */
export const SCRIPT_VIRTUAL_MS_MAX = 100 * 365 * 24 * 3_600_000;

/** Most a generator may pause in one step (a scenario's generator.advanceMsMax): one day. */
export const GENERATED_ADVANCE_MS_MAX = 24 * 3_600_000;

/** Longest a scenario may let a healed world settle (liveness.settleMsMax): a year. Past it a bound hides a liveness bug. */
export const SETTLE_MS_MAX = 366 * 24 * 3_600_000;

/** Longest any scenario timing value may be (delays, timeouts, windows): one day. */
export const TIMING_MS_MAX = 24 * 3_600_000;
