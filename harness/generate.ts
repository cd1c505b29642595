// The generator: a fast-check arbitrary of Step lists for a scenario. Steps refer to things made
// earlier by kind and index (`{"ref": "key", "index": 3}`), so shrinking never leaves a dangling
// id. Per seed a swarm configuration switches some operations and faults off and reweights the rest
// (TigerBeetle's swarm testing): some seeds never partition, some hammer one fault. What it picks
// and weighs is built once per scenario (harness/scenario-arbitraries.ts).
import fc from "fast-check";
import type { Prng } from "../sim/kernel/prng.ts";
import { PRECONDITIONED_SHARE } from "./preconditions.ts";
import { scenarioArbitraries } from "./scenario-arbitraries.ts";
import { operation, OPERATIONS } from "./operations/index.ts";
import { SWARM_CORE_CALLS, type Scenario } from "./scenario.ts";
import { FAULT_NAMES, isCall, type FaultName, type JsonObject, type Step } from "../protocol/step.ts";
import { aimedFailures } from "./service-failures.ts";
import { MALFORMED_SWARM_ODDS } from "./corruptions.ts";

export interface Swarm {
  callWeights: Record<string, number>;
  faultWeights: Record<FaultName, number>;
  advanceWeight: number;
  /** Weights of the operator sequences (scenario `macroWeights`), each kept with 1/2. */
  macroWeights: Record<string, number>;
  /** Whether this seed's plain calls now and then carry a malformed member (harness/corruptions.ts). */
  malformed: boolean;
}

/** Calls kept in every swarm: without them little else can happen (a scenario must weigh one, or pauses). */
const CORE_CALLS = SWARM_CORE_CALLS;

const sortedByWeights = new WeakMap<Readonly<Record<string, number>>, [string, number][]>();
/** A scenario's weights by name, in name order: sorted once per scenario, not once per seed. */
function byName(weights: Readonly<Record<string, number>>): [string, number][] {
  let sorted = sortedByWeights.get(weights);
  if (sorted === undefined) sortedByWeights.set(weights, (sorted = Object.entries(weights).sort(([a], [b]) => (a < b ? -1 : 1))));
  return sorted;
}

/** Draws this seed's swarm configuration: each non-core call is kept with 3/4, each fault with 1/2. */
export function drawSwarm(scenario: Scenario, prng: Prng): Swarm {
  const g = scenario.generator;
  const callWeights: Record<string, number> = {};
  for (const [call, w] of byName(g.callWeights)) {
    const kept = CORE_CALLS.includes(call) || prng.chance(3, 4);
    callWeights[call] = kept ? w * prng.intBetween(1, 3) : 0;
  }
  const faultWeights = {} as Record<FaultName, number>;
  for (const fault of FAULT_NAMES) faultWeights[fault] = prng.chance(1, 2) ? (g.faultWeights[fault] ?? 0) * prng.intBetween(1, 3) : 0;
  const macroWeights: Record<string, number> = {};
  for (const [name, w] of byName(g.macroWeights)) macroWeights[name] = prng.chance(1, 2) ? w : 0;
  // Drawn last, so that the rest of a seed's swarm is what it was before seeds malformed.
  const malformed = prng.chance(1, MALFORMED_SWARM_ODDS);
  return { callWeights, faultWeights, advanceWeight: g.advanceWeight, macroWeights, malformed };
}

/**
 * A service failure, mostly (3 in 4) aimed: armed just before the call it is armed for, which the
 * caller then retries at once (a sequence's later steps follow), as AWS advises for these errors. The (operation, error) is drawn evenly
 * from every pair the seed's calls document (harness/service-failures.ts), so a rarely made call meets
 * each of its errors as often as a common one; where the operation has one, the call is made in the
 * state it needs (harness/preconditions.ts), so the retry mostly succeeds and the failures cost the
 * operation little of its ok-rate. Otherwise armed alone, for whichever call of the service documents
 * it next (calls that do not pass it by).
 */
function serviceFailure(
  swarm: Swarm,
  inputs: ReadonlyMap<string, fc.Arbitrary<JsonObject>>,
  withState: Readonly<Record<string, fc.Arbitrary<Step[]>>>,
  unaimed: fc.Arbitrary<Step>,
): fc.Arbitrary<Step[]> {
  const calls = Object.keys(swarm.callWeights).filter((c) => (swarm.callWeights[c] ?? 0) > 0 && inputs.has(c));
  const aimed = aimedFailures(calls);
  const alone = unaimed.map((step) => [step]);
  if (aimed.length === 0) return alone;
  const retried = fc.constantFrom(...aimed).chain(({ call, service, error }) => {
    const plain = fc
      .record({ call: fc.constant(call), as: fc.constantFrom(...operation(call).callers), input: inputs.get(call)! })
      .map((step): Step[] => [step]);
    return (withState[call] ?? plain).map((steps): Step[] => {
      // A sequence may go on after its call (a store made again after DeleteCustomKeyStore).
      const at = steps.findLastIndex((s) => isCall(s) && s.call === call);
      const arm: Step = { fault: "service-failure", service, error };
      if (at < 0) return [...steps, arm]; // its call shrunk away
      return [...steps.slice(0, at), arm, steps[at]!, steps[at]!, ...steps.slice(at + 1)];
    });
  });
  return fc.oneof({ weight: 3, arbitrary: retried }, { weight: 1, arbitrary: alone });
}

/** Step lists for `scenario` under `swarm`: a setup prefix, then 1..stepsMax generated steps. */
export function stepsArbitrary(scenario: Scenario, swarm: Swarm, stepsMax: number): fc.Arbitrary<Step[]> {
  const {
    inputs,
    withState,
    calls,
    malformedCalls,
    faultArbitraries,
    faultSteps,
    advance,
    sequences: allSequences,
    ...openings
  } = scenarioArbitraries(scenario);
  const options: fc.WeightedArbitrary<Step[]>[] = [];
  for (const [call, weight] of Object.entries(swarm.callWeights)) {
    const arbitraries = (swarm.malformed ? malformedCalls : calls).get(call);
    if (weight <= 0 || arbitraries === undefined) continue;
    options.push({ weight, arbitrary: arbitraries.single });
    // As often again (or more: PRECONDITIONED_SHARE), the call made in the state it needs (harness/preconditions.ts).
    if (arbitraries.prepared !== undefined)
      options.push({ weight: weight * (PRECONDITIONED_SHARE[call] ?? 1), arbitrary: arbitraries.prepared });
  }
  for (const fault of FAULT_NAMES) {
    const weight = swarm.faultWeights[fault];
    if (weight <= 0) continue;
    options.push({
      weight,
      arbitrary: fault === "service-failure" ? serviceFailure(swarm, inputs, withState, faultArbitraries[fault]) : faultSteps[fault],
    });
  }
  // A fault aimed into a call that talks to the cluster (crypto, or a key made in a store).
  const hsmCalls = [...OPERATIONS.values()]
    .filter((d) => d.midCallFaultTarget === true && (swarm.callWeights[d.name] ?? 0) > 0)
    .map((d) => d.name);
  const enabledFaults = FAULT_NAMES.filter((f) => swarm.faultWeights[f] > 0 && f !== "service-failure"); // it takes no `after`
  const midCall: fc.Arbitrary<Step[]> | undefined =
    hsmCalls.length === 0 || enabledFaults.length === 0
      ? undefined
      : fc
          .tuple(
            fc.constantFrom(...enabledFaults).chain((f) => faultArbitraries[f]),
            fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) }),
            fc
              .constantFrom(...hsmCalls)
              .chain((call) => fc.record({ call: fc.constant(call), as: fc.constant("admin"), input: inputs.get(call)! })),
          )
          .map(([fault, after, call]) => [{ ...fault, after } as Step, call as Step]);
  options.push({ weight: swarm.advanceWeight, arbitrary: advance });
  const single = fc.oneof(...options);
  const sequences: fc.WeightedArbitrary<Step[]>[] = allSequences
    .filter(([name]) => (swarm.macroWeights[name] ?? 0) > 0)
    .map(([name, arbitrary]) => ({ weight: swarm.macroWeights[name]!, arbitrary }));
  if (midCall !== undefined) sequences.push({ weight: 10, arbitrary: midCall });
  const element = sequences.length === 0 ? single : fc.oneof({ weight: 40, arbitrary: single }, ...sequences);
  // No bias: fast-check would otherwise make the first (and, for `run`, only) list of a seed tiny.
  const body = fc.noBias(fc.array(element, { minLength: 1, maxLength: stepsMax, size: "max" }));
  // Where the swarm makes aliases, now and then a seed opens with a key's alias quota crossed.
  const aliases = (swarm.callWeights["CreateAlias"] ?? 0) > 0 || (swarm.callWeights["UpdateAlias"] ?? 0) > 0;
  return fc
    .tuple(openings.setup, aliases ? openings.aliasOpening : openings.noOpening, body)
    .map(([prefix, open, rest]) => [...prefix, ...open, ...rest.flat()].slice(0, prefix.length + stepsMax));
}
