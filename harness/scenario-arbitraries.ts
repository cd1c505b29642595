// The generator's arbitraries that depend on the scenario only: each call's plain and prepared step,
// each fault, pauses, the operator sequences, the setup prefix and the openings. A seed's swarm
// (harness/generate.ts) only picks and weighs them, so they are built once per scenario and shared
// by its seeds. The order of what is built here is not what a seed draws; the order the swarm puts
// them in is (harness/generate.ts).
import fc from "fast-check";
import { withCorruptions } from "./corruptions.ts";
import { lastMaybeDry, oneMaybeDry, withDryRuns } from "./dry-runs.ts";
import { droppable, macros } from "./macros.ts";
import { preconditioned } from "./preconditions.ts";
import { ALIAS_OPENING_ODDS, aliasQuotaOpening, CROSSING_ODDS, CROSSING_ODDS_OF, limitCrossings } from "./limit-crossings.ts";
import { operation, OPERATIONS } from "./operations/index.ts";
import { inputsFor, ref } from "./operations/inputs.ts";
import { lateFactorMin, slowFactorEffect } from "../sim/config.ts";
import type { Scenario } from "./scenario.ts";
import { FAULT_NAMES, type FaultName, type Json, type JsonObject, type Step } from "../protocol/step.ts";
import { FAILING_SERVICES, SERVICE_FAILURES } from "../protocol/service-failures.ts";

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

/** A call as a generator step: plain (now and then past its quota), and made in the state it needs, if it has one. */
interface CallArbitraries {
  single: fc.Arbitrary<Step[]>;
  prepared: fc.Arbitrary<Step[]> | undefined;
}

/** The arbitraries of a scenario that no swarm changes: built once per scenario, as a seed's swarm only picks and weighs them. */
export interface ScenarioArbitraries {
  inputs: ReadonlyMap<string, fc.Arbitrary<JsonObject>>;
  withState: Readonly<Record<string, fc.Arbitrary<Step[]>>>;
  calls: ReadonlyMap<string, CallArbitraries>;
  /** The same, for a seed whose swarm malforms. */
  malformedCalls: ReadonlyMap<string, CallArbitraries>;
  faultArbitraries: Record<FaultName, fc.Arbitrary<Step>>;
  /** Each fault as a one-step list, landing now or `after` ms into the next call. */
  faultSteps: Record<FaultName, fc.Arbitrary<Step[]>>;
  advance: fc.Arbitrary<Step[]>;
  /** Every operator sequence by name, in the catalogue's order, one of its calls now and then a dry run. */
  sequences: [string, fc.Arbitrary<Step[]>][];
  setup: fc.Arbitrary<Step[]>;
  aliasOpening: fc.Arbitrary<Step[]>;
  noOpening: fc.Arbitrary<Step[]>;
}

/**
 * Arbitraries are immutable descriptions of what to draw (each draw takes its randomness from the
 * generator it is handed), so sharing them between seeds draws exactly what building them afresh
 * would; building them was a twentieth of a seed's time.
 */
const built = new WeakMap<Scenario, ScenarioArbitraries>();

export function scenarioArbitraries(scenario: Scenario): ScenarioArbitraries {
  const known = built.get(scenario);
  if (known !== undefined) return known;
  const shared = inputsFor(scenario);
  // Now and then a dry run, where the operation takes DryRun (harness/dry-runs.ts).
  const inputs = new Map([...OPERATIONS.values()].map((d) => [d.name, withDryRuns(d.name, d.input(shared))]));
  const hsms = scenario.world.cluster.hsms.map((h) => h.hsmId);
  const withState = preconditioned(scenario);
  const crossings = limitCrossings(scenario);
  /** Each call's arbitraries, its plain input drawn by `plainInput` (the plain one, or now and then malformed). */
  const callsWith = (plainInput: (call: string, input: fc.Arbitrary<JsonObject>) => fc.Arbitrary<JsonObject>) => {
    const calls = new Map<string, CallArbitraries>();
    for (const call of Object.keys(scenario.generator.callWeights)) {
      const input = inputs.get(call);
      const as = fc.constantFrom(...operation(call).callers);
      if (input === undefined) continue;
      const plain = fc.record({ call: fc.constant(call), as, input: plainInput(call, input) }).map((step) => [step]);
      // Now and then, instead, the call past its quota (harness/limit-crossings.ts).
      const crossing = crossings[call];
      const prepared = withState[call];
      calls.set(call, {
        single:
          crossing === undefined
            ? plain
            : fc.oneof({ weight: CROSSING_ODDS_OF[call] ?? CROSSING_ODDS, arbitrary: plain }, { weight: 1, arbitrary: crossing }),
        prepared: prepared === undefined ? undefined : lastMaybeDry(prepared),
      });
    }
    return calls;
  };
  const calls = callsWith((_, input) => input);
  // For a seed whose swarm malforms: a member malformed now and then (harness/corruptions.ts).
  const malformedCalls = callsWith(withCorruptions);
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
  const faultSteps = {} as Record<FaultName, fc.Arbitrary<Step[]>>;
  for (const fault of FAULT_NAMES)
    faultSteps[fault] = fc.tuple(faultArbitraries[fault], landing).map(([step, after]) => [after === null ? step : { ...step, after }]);
  const { connectDelayMs, connectExchangeMs } = scenario.timing;
  const advance = fc
    .oneof(
      fc.integer({ min: 1, max: 50 }),
      fc.integer({ min: 1000, max: scenario.generator.advanceMsMax }),
      fc.constant(connectDelayMs + connectExchangeMs),
    )
    .map((ms): Step[] => [{ advance: ms }]);
  const sequences = Object.entries(macros(scenario)).map(([name, arbitrary]): [string, fc.Arbitrary<Step[]>] => [
    name,
    oneMaybeDry(arbitrary),
  ]);
  const arbitraries: ScenarioArbitraries = {
    inputs,
    withState,
    calls,
    malformedCalls,
    faultArbitraries,
    faultSteps,
    advance,
    sequences,
    setup: setup(scenario),
    aliasOpening: fc.oneof(
      { weight: ALIAS_OPENING_ODDS, arbitrary: fc.constant<Step[]>([]) },
      { weight: 1, arbitrary: aliasQuotaOpening() },
    ),
    noOpening: fc.constant<Step[]>([]),
  };
  built.set(scenario, arbitraries);
  return arbitraries;
}
