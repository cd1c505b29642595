// The CloudHSM service as its service model declares it (CloudHSMv2 2017-04-28, protocol/aws), through
// both sides: CreateHsm past the per-cluster limit answers an error CreateHsm declares; there is no
// cloudhsmv2:CreateBackup (backups are the service's own: the operator action hsm:CreateBackup stands
// for one being taken); DescribeClusters' certificates fit the model's Cert pattern; DeleteHsm naming no
// HSM is the caller's error (HsmId, EniId and EniIp are all optional in the model); DescribeClusters pages
// by MaxResults and NextToken, and a token it never issued is the caller's error.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../../cli/load.ts";
import { executeSteps } from "../../../harness/execute.ts";
import { CLOUDHSMV2_MODEL } from "../../../protocol/aws/service-model.ts";
import type { JsonObject, Step } from "../../../protocol/step.ts";

const scenario = loadScenario("default");
const { cluster, hsmsPerClusterMax } = scenario.world;
const ClusterId = cluster.clusterId;

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
      { call: "cloudhsmv2:CreateCluster", as: "admin", input: { SourceBackupId: "${b.Backup.BackupId}" }, expect: { ok: true } },
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
        input: { ClusterId, HsmId: "hsm-nosuchhsm2" },
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
