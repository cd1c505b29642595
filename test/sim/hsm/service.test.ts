// The CloudHSM service as its service model declares it (CloudHSMv2 2017-04-28, protocol/aws), through
// both sides: CreateHsm past the per-cluster limit answers an error CreateHsm declares; there is no
// cloudhsmv2:CreateBackup (backups are the service's own: the operator action hsm:CreateBackup stands
// for one being taken); DescribeClusters' certificates fit the model's Cert pattern; DeleteHsm naming no
// HSM is the caller's error (HsmId, EniId and EniIp are all optional in the model); DescribeClusters pages
// by MaxResults and NextToken, and a token it never issued is the caller's error; CreateCluster reads
// its required HsmType and SubnetIds (the type one AWS offers, the subnets the world's, one per zone),
// maps exactly those subnets, and CreateHsm in a zone the cluster has no subnet in is refused.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { CLOUDHSMV2_MODEL } from "../../../protocol/aws/service-model.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import type { ClusterSpec } from "../../../sim/config.ts";

const scenario = loadScenario("default");
const { cluster, hsmsPerClusterMax } = scenario.world;
const ClusterId = cluster.clusterId;
const subnetsOf = (c: ClusterSpec) => c.hsms.map((h) => h.subnetId);
const other = scenario.world.otherClusters[0]!;
const invalidRequest = { ok: false, error: { name: "CloudHsmInvalidRequestException" } };
const invalidParameter = { ok: false, error: { name: "ValidationException" } };
const outputOf = (result: ReturnType<typeof executeSteps>, i: number): JsonObject => {
  const answer = result.records[i]!.sut;
  return answer.ok ? answer.output : {};
};

describe("the CloudHSM service as its model declares it, on both sides", () => {
  it("CreateHsm past the per-cluster limit answers a client error CreateHsm declares", () => {
    const more = hsmsPerClusterMax - cluster.hsms.length;
    const create = (expect: JsonObject): Step => ({
      call: "cloudhsmv2:CreateHsm",
      as: "admin",
      input: { ClusterId, AvailabilityZone: cluster.hsms[0]!.availabilityZone },
      expect,
    });
    const refused = { ok: false, error: { name: "CloudHsmInvalidRequestException" } };
    const result = executeSteps(scenario, "kmsim:cloudhsm", [...Array.from({ length: more }, () => create({ ok: true })), create(refused)]);
    expect(result.failure).toBeUndefined();
    expect(CLOUDHSMV2_MODEL.operations["CreateHsm"]!.errors).toContain("CloudHsmInvalidRequestException");
  });

  it("has no CreateBackup operation; the operator's hsm:CreateBackup makes a backup a cluster can be restored from", () => {
    expect(CLOUDHSMV2_MODEL.shapes["CreateBackupRequest"]).toBeUndefined();
    expect(() =>
      executeSteps(scenario, "kmsim:cloudhsm", [{ call: "cloudhsmv2:CreateBackup", as: "admin", input: { ClusterId } }]),
    ).toThrow(/unknown call 'cloudhsmv2:CreateBackup'/);
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      { call: "hsm:CreateBackup", as: "admin", save: "b", input: { ClusterId }, expect: { ok: true } },
      {
        call: "cloudhsmv2:CreateCluster",
        as: "admin",
        input: { SourceBackupId: "${b.Backup.BackupId}", HsmType: "hsm1.medium", SubnetIds: subnetsOf(cluster) },
        expect: { ok: true },
      },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it("DeleteHsm naming no HSM answers CloudHsmInvalidRequestException; naming one that is not there, CloudHsmResourceNotFoundException", () => {
    expect(CLOUDHSMV2_MODEL.shapes["DeleteHsmRequest"]!.required).toEqual(["ClusterId"]);
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      {
        call: "cloudhsmv2:DeleteHsm",
        as: "admin",
        input: { ClusterId },
        expect: { ok: false, error: { name: "CloudHsmInvalidRequestException" } },
      },
      {
        call: "cloudhsmv2:DeleteHsm",
        as: "admin",
        input: { ClusterId, HsmId: "hsm-nosuchhsm234" },
        expect: { ok: false, error: { name: "CloudHsmResourceNotFoundException" } },
      },
      { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId, HsmId: cluster.hsms[0]!.hsmId }, expect: { ok: true } },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it("DescribeClusters pages by MaxResults and NextToken; a token it never issued answers CloudHsmInvalidRequestException", () => {
    const invalid = { ok: false, error: { name: "CloudHsmInvalidRequestException" } };
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {}, expect: { ok: true } },
      { call: "cloudhsmv2:DescribeClusters", as: "admin", save: "first", input: { MaxResults: 1 }, expect: { ok: true } },
      { call: "cloudhsmv2:DescribeClusters", as: "admin", save: "rest", input: { NextToken: "${first.NextToken}" }, expect: { ok: true } },
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: { NextToken: "next" }, expect: invalid },
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: { NextToken: "99" }, expect: invalid },
    ]);
    expect(result.failure).toBeUndefined();
    const output = (i: number) => (result.records[i]!.sut.ok ? result.records[i]!.sut.output : {});
    const ids = (i: number) => (output(i)["Clusters"] as JsonObject[]).map((c) => c["ClusterId"]);
    expect(ids(0).length).toBeGreaterThan(1);
    expect(output(0)["NextToken"]).toBeUndefined();
    expect(ids(1)).toHaveLength(1);
    expect(output(1)["NextToken"]).toBe("1");
    expect(output(2)["NextToken"]).toBeUndefined();
    expect([...ids(1), ...ids(2)]).toEqual(ids(0));
  });

  it("describes every cluster's certificate within the model's Cert pattern", () => {
    const result = executeSteps(scenario, "kmsim:cloudhsm", [{ call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} }]);
    expect(result.failure).toBeUndefined();
    const answer = result.records[0]!.sut;
    const clusters = answer.ok ? (answer.output["Clusters"] as JsonObject[]) : [];
    const pattern = new RegExp(`^(?:${CLOUDHSMV2_MODEL.shapes["Cert"]!.pattern})$`);
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) expect(String((c["Certificates"] as JsonObject)["ClusterCertificate"])).toMatch(pattern);
  });
});

describe("CreateCluster's HsmType and SubnetIds, on both sides", () => {
  const create = (input: JsonObject, expect: JsonObject, save?: string): Step => ({
    call: "cloudhsmv2:CreateCluster",
    as: "admin",
    input,
    expect,
    ...(save !== undefined ? { save } : {}),
  });
  const [s1, s2] = subnetsOf(cluster);
  const [s3] = subnetsOf(other);

  it("requires both (ValidationException, as for CreateHsm's AvailabilityZone) and 1 to 10 subnets, as the service model says", () => {
    const request = CLOUDHSMV2_MODEL.shapes["CreateClusterRequest"]!;
    expect(request.required).toEqual(["HsmType", "SubnetIds"]);
    expect(CLOUDHSMV2_MODEL.shapes["SubnetIds"]).toMatchObject({ min: 1, max: 10 });
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      create({ SubnetIds: [s1!] }, invalidParameter),
      create({ HsmType: "hsm1.medium" }, invalidParameter),
      create({ HsmType: "hsm1.medium", SubnetIds: [] }, invalidParameter),
      create({ HsmType: "hsm1.medium", SubnetIds: Array.from({ length: 11 }, () => s1!) }, invalidParameter),
      create({ HsmType: "hsm1.medium", SubnetIds: s1! }, { ok: false, error: { name: "SerializationException" } }), // a string where the list belongs
      create({ HsmType: "x".repeat(33), SubnetIds: [s1!] }, invalidParameter),
      { call: "cloudhsmv2:CreateHsm", as: "admin", input: { ClusterId }, expect: invalidParameter },
    ]);
    expect(result.failure).toBeUndefined();
  });

  it("answers CloudHsmInvalidRequestException for a type AWS does not offer, a subnet the world has not, one subnet twice", () => {
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      create({ HsmType: "hsm9.huge", SubnetIds: [s1!] }, invalidRequest),
      create({ HsmType: "hsm1.medium", SubnetIds: [s1!, "subnet-0ffffffffffff0000"] }, invalidRequest),
      create({ HsmType: "hsm1.medium", SubnetIds: [s1!, s2!, s1!] }, invalidRequest),
      // A restore is checked the same way, before its backup is looked for.
      create({ SourceBackupId: "backup-nosuchbackup2", HsmType: "hsm3.large", SubnetIds: [s1!] }, invalidRequest),
      create(
        { SourceBackupId: "backup-nosuchbackup2", HsmType: "hsm1.medium", SubnetIds: [s1!] },
        {
          ok: false,
          error: { name: "CloudHsmResourceNotFoundException" },
        },
      ),
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} },
    ]);
    expect(result.failure).toBeUndefined();
    const all = scenario.world.otherClusters.length + scenario.world.uninitializedClusterIds.length + 1;
    expect(outputOf(result, 5)["Clusters"]).toHaveLength(all);
  });

  it("answers CloudHsmInvalidRequestException for two subnets in one zone, in a world with two there", () => {
    const extra = { hsmId: "hsm-extrahsm2345", availabilityZone: cluster.hsms[0]!.availabilityZone, subnetId: "subnet-0a1b2c3d4e5f60009" };
    const twoInAZone = {
      ...scenario,
      world: { ...scenario.world, otherClusters: [{ ...other, hsms: [...other.hsms, extra] }, ...scenario.world.otherClusters.slice(1)] },
    };
    const result = executeSteps(twoInAZone, "kmsim:cloudhsm", [
      create({ HsmType: "hsm1.medium", SubnetIds: [s1!, extra.subnetId] }, invalidRequest),
      create({ HsmType: "hsm1.medium", SubnetIds: [extra.subnetId, s2!] }, { ok: true }),
    ]);
    expect(result.failure).toBeUndefined();
    expect((outputOf(result, 1)["Cluster"] as JsonObject)["SubnetMapping"]).toEqual({
      [extra.availabilityZone]: extra.subnetId,
      [cluster.hsms[1]!.availabilityZone]: s2,
    });
  });

  it("maps exactly the subnets given and keeps the type; the world's clusters are hsm1.medium", () => {
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      create({ HsmType: "hsm2m.medium", SubnetIds: [s3!, s1!] }, { ok: true }),
      { call: "cloudhsmv2:DescribeClusters", as: "admin", input: {} },
    ]);
    expect(result.failure).toBeUndefined();
    const made = outputOf(result, 0)["Cluster"] as JsonObject;
    const mapping = { [cluster.hsms[0]!.availabilityZone]: s1, [other.hsms[0]!.availabilityZone]: s3 };
    expect(made).toMatchObject({ State: "UNINITIALIZED", HsmType: "hsm2m.medium", SubnetMapping: mapping });
    const clusters = outputOf(result, 1)["Clusters"] as JsonObject[];
    const described = clusters.find((c) => c["ClusterId"] === made["ClusterId"]);
    expect(described).toMatchObject({ HsmType: "hsm2m.medium", SubnetMapping: mapping });
    expect(Object.keys(described!["SubnetMapping"] as JsonObject)).toHaveLength(2);
    const world = clusters.filter((c) => c["ClusterId"] !== made["ClusterId"]);
    expect(world.length).toBeGreaterThan(1);
    for (const c of world) expect(c["HsmType"]).toBe("hsm1.medium");
  });

  it("restores into the subnets and type asked for; CreateHsm in a zone the cluster has no subnet in is refused", () => {
    const [zone1, zone2] = cluster.hsms.map((h) => h.availabilityZone);
    const result = executeSteps(scenario, "kmsim:cloudhsm", [
      { call: "hsm:CreateBackup", as: "admin", save: "b", input: { ClusterId }, expect: { ok: true } },
      create({ SourceBackupId: "${b.Backup.BackupId}", HsmType: "hsm2m.medium", SubnetIds: [s1!] }, { ok: true }, "c"),
      {
        call: "cloudhsmv2:CreateHsm",
        as: "admin",
        input: { ClusterId: "${c.Cluster.ClusterId}", AvailabilityZone: zone2! },
        expect: invalidRequest,
      },
      {
        call: "cloudhsmv2:CreateHsm",
        as: "admin",
        input: { ClusterId: "${c.Cluster.ClusterId}", AvailabilityZone: zone1! },
        expect: { ok: true },
      },
    ]);
    expect(result.failure).toBeUndefined();
    expect(outputOf(result, 1)["Cluster"]).toMatchObject({ State: "ACTIVE", HsmType: "hsm2m.medium", SubnetMapping: { [zone1!]: s1 } });
    expect(outputOf(result, 3)["Hsm"]).toMatchObject({ AvailabilityZone: zone1, SubnetId: s1 });
  });
});
