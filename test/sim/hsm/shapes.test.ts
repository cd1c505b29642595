// The CloudHSM control plane's request shapes (protocol/aws/cloudhsmv2.json) on both sides. The virtual
// CloudHSM service reads its service model (sim/wire/request-shape.ts) and the model reads it with its own
// validator (model/validation.ts), as on the KMS side. Until 1 December 2026 both sides checked these
// members by hand, by lengths of their own and none of the model's patterns: "x" as a ClusterId was a
// cluster not found, where AWS's validation layer refuses it. For every member kmsim's cloudhsmv2
// operations take, values the patterns, bounds and enums accept and refuse — at and past a suffix's
// length, with characters outside its alphabet, a list past its bounds — go through both sides: the
// service must refuse exactly what the shapes refuse (ValidationException, or SerializationException for
// a value of the wrong type), and the model must agree at every call.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { CLOUDHSMV2_MODEL } from "../../../protocol/aws/service-model.ts";
import type { Json, JsonObject, Step } from "../../../protocol/step.ts";
import { checkRequest } from "../../../sim/wire/request-shape.ts";

const scenario = loadScenario("default");
const { cluster } = scenario.world;
const [first] = cluster.hsms;
const suffix = (n: number) => "abcdefghijklmnopqrstuvwxyz234567".repeat(2).slice(0, n);

/** Identifiers `prefix-` and 11..16 of [2-7a-zA-Z] (ClusterId, HsmId, a backup's): at and past each end, and with 0, 1, 8 or 9 in them. */
const ids = (prefix: string): Json[] => [
  `${prefix}-${suffix(11)}`,
  `${prefix}-${suffix(16)}`,
  `${prefix}-${suffix(10)}`,
  `${prefix}-${suffix(17)}`,
  `${prefix}-${suffix(10)}1`,
  `${prefix}-${suffix(10)}8`,
  `${prefix}-${suffix(10)}Z`,
  `${prefix.toUpperCase()}-${suffix(11)}`,
  `${prefix}-${suffix(11)} `,
  `${prefix}${suffix(11)}`,
  "x",
  "",
  12,
];

/** Hexadecimal identifiers `prefix-` and 8..17 hex digits (SubnetId, EniId). */
const hexIds = (prefix: string): Json[] => [
  `${prefix}-0123abcd`,
  `${prefix}-0123456789ABCDEF0`,
  `${prefix}-0123abc`,
  `${prefix}-0123456789abcdef01`,
  `${prefix}-0123abcg`,
  "x",
];

const zones: Json[] = [
  "us-east-1a",
  "us-gov-west-1b",
  "eu-central-1c",
  "us-east-1",
  "US-east-1a",
  "us-east-1ab",
  "useast-1a",
  "us-east-a1",
  "",
];
const addresses: Json[] = ["10.0.0.1", "255.255.255.255", "10.0.0", "10.0.0.1.2", "1000.0.0.1", "a.b.c.d", ""];

/** Each member's values to try, by operation; the base input of each is one the service accepts. */
const CASES: Record<string, { base: JsonObject; members: Record<string, Json[]> }> = {
  DescribeClusters: {
    base: {},
    members: {
      MaxResults: [0, 1, 25, 26, "1"],
      NextToken: ["a".repeat(256), "a".repeat(257), ""],
      Filters: [{}, { clusterIds: [cluster.clusterId] }, { "states!": ["ACTIVE"] }, [], "clusterIds"],
    },
  },
  CreateCluster: {
    base: { HsmType: "hsm1.medium", SubnetIds: [first!.subnetId] },
    members: {
      HsmType: [
        "hsm2m.medium",
        "phsm1.medium",
        "hsm9.huge",
        "hsm1medium",
        "HSM1.medium",
        `hsm1.${"m".repeat(27)}`,
        `hsm1.${"m".repeat(28)}`,
        "",
      ],
      SubnetIds: [[], Array.from({ length: 11 }, () => first!.subnetId), ...hexIds("subnet").map((id) => [id]), first!.subnetId],
      SourceBackupId: [
        ...ids("backup"),
        `arn:aws:cloudhsm:us-east-1:111122223333:backup/backup-${suffix(11)}`,
        `arn:aws:cloudhsm:us-east-1:11112222333:backup/backup-${suffix(11)}`,
      ],
      NetworkType: ["IPV4", "DUALSTACK", "IPV6", "ipv4"],
      Mode: ["FIPS", "NON_FIPS", "fips"],
    },
  },
  DeleteCluster: { base: { ClusterId: cluster.clusterId }, members: { ClusterId: ids("cluster") } },
  CreateHsm: {
    base: { ClusterId: cluster.clusterId, AvailabilityZone: first!.availabilityZone },
    members: { ClusterId: ids("cluster"), AvailabilityZone: zones, IpAddress: addresses },
  },
  DeleteHsm: {
    base: { ClusterId: cluster.clusterId, HsmId: `hsm-${suffix(12)}` },
    members: { ClusterId: ids("cluster"), HsmId: ids("hsm"), EniId: hexIds("eni"), EniIp: addresses },
  },
};

function cases(): { operation: string; input: JsonObject }[] {
  return Object.entries(CASES).flatMap(([operation, { base, members }]) =>
    Object.entries(members).flatMap(([name, values]) => values.map((value) => ({ operation, input: { ...base, [name]: value } }))),
  );
}

describe("the cloudhsmv2 request shapes on both sides", () => {
  it("refuses exactly what the shapes refuse, before anything else, and the model agrees at every call", () => {
    const all = cases();
    const operations = Object.keys(CASES);
    // Every cloudhsmv2 operation kmsim has (DescribeBackups is in the extract for its shapes, not an operation kmsim runs).
    expect(operations.sort()).toEqual(
      Object.keys(CLOUDHSMV2_MODEL.operations)
        .filter((op) => op !== "DescribeBackups")
        .sort(),
    );
    const steps: Step[] = all.map(({ operation, input }) => ({ call: `cloudhsmv2:${operation}`, as: "admin", input }));
    const result = executeSteps(scenario, "kmsim:cloudhsm-shapes", steps);
    expect(result.failure).toBeUndefined();
    expect(result.records).toHaveLength(steps.length);
    let refusedCount = 0;
    const wrong = result.records.flatMap((r, i) => {
      const { operation, input } = all[i]!;
      const refused = checkRequest(operation, input, CLOUDHSMV2_MODEL) !== undefined;
      if (refused) refusedCount++;
      const answered = !r.sut.ok && (r.sut.error.name === "ValidationException" || r.sut.error.name === "SerializationException");
      return refused === answered
        ? []
        : [`${operation} ${JSON.stringify(input)}: shapes ${refused ? "refuse" : "accept"}, answered ${JSON.stringify(r.sut)}`];
    });
    expect(wrong).toEqual([]);
    // Both kinds of value in every member list, so neither half of the check is empty.
    expect(refusedCount).toBeGreaterThan(40);
    expect(all.length - refusedCount).toBeGreaterThan(20);
  });

  it("refuses a malformed identifier with ValidationException, naming the member and its pattern as AWS does", () => {
    const result = executeSteps(scenario, "kmsim:cloudhsm-shapes", [
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId: "x" } },
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.records[0]!.sut).toEqual({
      ok: false,
      error: {
        name: "ValidationException",
        message:
          "1 validation error detected: Value 'x' at 'clusterId' failed to satisfy constraint: Member must satisfy regular expression pattern: cluster-[2-7a-zA-Z]{11,16}",
      },
    });
  });
});
