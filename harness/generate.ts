// The generator: a fast-check arbitrary of Step lists for a scenario. Steps refer to things made
// earlier by kind and index (`{"ref": "key", "index": 3}`), so shrinking never leaves a dangling
// id. Per seed a swarm configuration switches some operations and faults off and reweights the rest
// (TigerBeetle's swarm testing): some seeds never partition, some hammer one fault.
import fc from "fast-check";
import type { Prng } from "../sim/kernel/prng.ts";
import { lastMaybeDry, oneMaybeDry, withDryRuns } from "./dry-runs.ts";
import { droppable, macros } from "./macros.ts";
import { preconditioned, PRECONDITIONED_SHARE } from "./preconditions.ts";
import { ALIAS_OPENING_ODDS, aliasQuotaOpening, CROSSING_ODDS, limitCrossings } from "./limit-crossings.ts";
import { operation, OPERATIONS } from "./operations/index.ts";
import { inputsFor, ref } from "./operations/inputs.ts";
import { lateFactorMin, slowFactorEffect } from "../sim/config.ts";
import { SWARM_CORE_CALLS, type Scenario } from "./scenario.ts";
import { FAULT_NAMES, isCall, type FaultName, type Json, type JsonObject, type Step } from "../protocol/step.ts";
import { FAILING_SERVICES, SERVICE_FAILURES } from "../protocol/service-failures.ts";
import { aimedFailures } from "./service-failures.ts";

export interface Swarm {
  callWeights: Record<string, number>;
  faultWeights: Record<FaultName, number>;
  advanceWeight: number;
  /** Weights of the operator sequences (scenario `macroWeights`), each kept with 1/2. */
  macroWeights: Record<string, number>;
}

/** Calls kept in every swarm: without them little else can happen (a scenario must weigh one, or pauses). */
const CORE_CALLS = SWARM_CORE_CALLS;

/** Draws this seed's swarm configuration: each non-core call is kept with 3/4, each fault with 1/2. */
export function drawSwarm(scenario: Scenario, prng: Prng): Swarm {
  const g = scenario.generator;
  const callWeights: Record<string, number> = {};
  for (const [call, w] of Object.entries(g.callWeights).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const kept = CORE_CALLS.includes(call) || prng.chance(3, 4);
    callWeights[call] = kept ? w * prng.intBetween(1, 3) : 0;
  }
  const faultWeights = {} as Record<FaultName, number>;
  for (const fault of FAULT_NAMES) faultWeights[fault] = prng.chance(1, 2) ? (g.faultWeights[fault] ?? 0) * prng.intBetween(1, 3) : 0;
  const macroWeights: Record<string, number> = {};
  for (const [name, w] of Object.entries(g.macroWeights).sort(([a], [b]) => (a < b ? -1 : 1)))
    macroWeights[name] = prng.chance(1, 2) ? w : 0;
  return { callWeights, faultWeights, advanceWeight: g.advanceWeight, macroWeights };
}

/** `slow-hsm` factors whose effect the timing fixes (see slowFactorEffect): 1, 2 if in time, and two late ones. */
function slowFactors(scenario: Scenario): number[] {
  const late = lateFactorMin(scenario.timing);
  return [1, ...(slowFactorEffect(scenario.timing, 2) === "in-time" ? [2] : []), late, 4 * late];
}

/** Every service failure a `service-failure` fault may arm, unaimed. */
const SERVICE_FAILURE_STEPS: Step[] = FAILING_SERVICES.flatMap((service) =>
  SERVICE_FAILURES[service].map((error): Step => ({ fault: "service-failure", service, error })),
);

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

/**
 * The usual start of a working session: a store made and connected, a key in it and two outside it.
 * Each setup step is kept with 15/16 and shrinks towards being dropped, so a repro keeps only the ones it needs.
 */
function setup(scenario: Scenario): fc.Arbitrary<Step[]> {
  const { cluster, principals } = scenario.world;
  const { connectDelayMs, connectExchangeMs } = scenario.timing;
  const users = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${scenario.world.account}:root` }, Action: "kms:*", Resource: "*" },
      {
        Effect: "Allow",
        Principal: { AWS: [principals["app"]?.arn ?? "", principals["partner"]?.arn ?? ""] },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
      },
    ],
  });
  const store = { ref: "store", index: 0 };
  const steps: Step[] = [
    {
      call: "CreateCustomKeyStore",
      as: "admin",
      input: {
        CustomKeyStoreName: "store-a",
        CloudHsmClusterId: cluster.clusterId,
        TrustAnchorCertificate: cluster.trustAnchor,
        KeyStorePassword: cluster.kmsuserPassword,
      },
    },
    { call: "ConnectCustomKeyStore", as: "admin", input: { CustomKeyStoreId: store } },
    { advance: connectDelayMs + connectExchangeMs + 1 },
    { call: "CreateKey", as: "admin", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store, Description: "in the store" } },
    { call: "CreateKey", as: "admin", input: {} },
    { call: "CreateKey", as: "admin", input: { Policy: users } },
  ];
  return droppable(steps, 15);
}

/** Step lists for `scenario` under `swarm`: a setup prefix, then 1..stepsMax generated steps. */
export function stepsArbitrary(scenario: Scenario, swarm: Swarm, stepsMax: number): fc.Arbitrary<Step[]> {
  const shared = inputsFor(scenario);
  // Now and then a dry run, where the operation takes DryRun (harness/dry-runs.ts).
  const inputs = new Map([...OPERATIONS.values()].map((d) => [d.name, withDryRuns(d.name, d.input(shared))]));
  const hsms = scenario.world.cluster.hsms.map((h) => h.hsmId);
  const options: fc.WeightedArbitrary<Step[]>[] = [];
  const withState = preconditioned(scenario);
  const crossings = limitCrossings(scenario);
  for (const [call, weight] of Object.entries(swarm.callWeights)) {
    const input = inputs.get(call);
    const as = fc.constantFrom(...operation(call).callers);
    if (weight <= 0 || input === undefined) continue;
    const plain = fc.record({ call: fc.constant(call), as, input }).map((step) => [step]);
    // Now and then, instead, the call past its quota (harness/limit-crossings.ts).
    const crossing = crossings[call];
    options.push({
      weight,
      arbitrary: crossing === undefined ? plain : fc.oneof({ weight: CROSSING_ODDS, arbitrary: plain }, { weight: 1, arbitrary: crossing }),
    });
    // As often again (or more: PRECONDITIONED_SHARE), the call made in the state it needs (harness/preconditions.ts).
    const prepared = withState[call];
    if (prepared !== undefined) options.push({ weight: weight * (PRECONDITIONED_SHARE[call] ?? 1), arbitrary: lastMaybeDry(prepared) });
  }
  const zones = [...new Set(scenario.world.cluster.hsms.map((h) => h.availabilityZone))];
  const subnets = scenario.world.cluster.hsms.map((h) => h.subnetId);
  // HSMs by reference, so HSMs created during the run are hit too; mostly the world's own.
  const hsm: fc.Arbitrary<Json> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...hsms) }, { weight: 1, arbitrary: ref("hsm") });
  const faultArbitraries: Record<FaultName, fc.Arbitrary<Step>> = {
    "hsm-crash": hsm.map((h) => ({ fault: "hsm-crash", hsm: h }) as unknown as Step),
    "hsm-restore": hsm.map((h) => ({ fault: "hsm-restore", hsm: h }) as unknown as Step),
    partition: fc
      .tuple(hsm, fc.constantFrom("both", "both", "to-hsm", "from-hsm"))
      .map(([h, direction]) => ({ fault: "partition", hsm: h, direction }) as unknown as Step),
    heal: fc.option(hsm, { freq: 3 }).map((h) => (h === null ? { fault: "heal" } : { fault: "heal", hsm: h }) as unknown as Step),
    "az-outage": fc.constantFrom(...zones).map((az): Step => ({ fault: "az-outage", az })),
    "az-restore": fc.constantFrom(...zones).map((az): Step => ({ fault: "az-restore", az })),
    "subnet-delete": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-delete", subnet })),
    "subnet-full": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-full", subnet })),
    "subnet-restore": fc.constantFrom(...subnets).map((subnet): Step => ({ fault: "subnet-restore", subnet })),
    // Back to normal, slowed but answering in time (if the timing leaves room), or answering too late.
    "slow-hsm": fc
      .tuple(hsm, fc.constantFrom(...slowFactors(scenario)))
      .map(([h, factor]) => ({ fault: "slow-hsm", hsm: h, factor }) as unknown as Step),
    "service-failure": fc.constantFrom(...SERVICE_FAILURE_STEPS),
  };
  // One fault in three lands mid-call, `after` ms into the next call: mostly within a round trip,
  // sometimes inside a failover timeout.
  const landing = fc.oneof(
    { weight: 4, arbitrary: fc.constant<number | null>(null) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 1 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 25 }) },
  );
  for (const fault of FAULT_NAMES) {
    const weight = swarm.faultWeights[fault];
    if (weight <= 0) continue;
    if (fault === "service-failure") {
      options.push({ weight, arbitrary: serviceFailure(swarm, inputs, withState, faultArbitraries[fault]) });
      continue;
    }
    options.push({
      weight,
      arbitrary: fc.tuple(faultArbitraries[fault], landing).map(([step, after]) => [after === null ? step : { ...step, after }]),
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
  const { connectDelayMs, connectExchangeMs } = scenario.timing;
  const advance = fc.oneof(
    fc.integer({ min: 1, max: 50 }),
    fc.integer({ min: 1000, max: scenario.generator.advanceMsMax }),
    fc.constant(connectDelayMs + connectExchangeMs),
  );
  options.push({ weight: swarm.advanceWeight, arbitrary: advance.map((ms): Step[] => [{ advance: ms }]) });
  const single = fc.oneof(...options);
  const sequences: fc.WeightedArbitrary<Step[]>[] = Object.entries(macros(scenario))
    .filter(([name]) => (swarm.macroWeights[name] ?? 0) > 0)
    .map(([name, arbitrary]) => ({ weight: swarm.macroWeights[name]!, arbitrary: oneMaybeDry(arbitrary) }));
  if (midCall !== undefined) sequences.push({ weight: 10, arbitrary: midCall });
  const element = sequences.length === 0 ? single : fc.oneof({ weight: 40, arbitrary: single }, ...sequences);
  // No bias: fast-check would otherwise make the first (and, for `run`, only) list of a seed tiny.
  const body = fc.noBias(fc.array(element, { minLength: 1, maxLength: stepsMax, size: "max" }));
  // Where the swarm makes aliases, now and then a seed opens with a key's alias quota crossed.
  const aliases = (swarm.callWeights["CreateAlias"] ?? 0) > 0 || (swarm.callWeights["UpdateAlias"] ?? 0) > 0;
  const opening: fc.Arbitrary<Step[]> = aliases
    ? fc.oneof({ weight: ALIAS_OPENING_ODDS, arbitrary: fc.constant<Step[]>([]) }, { weight: 1, arbitrary: aliasQuotaOpening() })
    : fc.constant<Step[]>([]);
  return fc
    .tuple(setup(scenario), opening, body)
    .map(([prefix, open, rest]) => [...prefix, ...open, ...rest.flat()].slice(0, prefix.length + stepsMax));
}
