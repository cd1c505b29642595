// The connection process, through both sides: each script drives a store to one outcome and says
// what it expects, so the model, the virtual KMS and the script's author must all agree.
import { describe, expect, it } from "vitest";
import { isCall, type Step } from "../../../protocol/step.ts";
import { cluster, connect, create, disconnect, expectStore, hsm0, hsm1, run, scenario, store, wait } from "../../support/store-steps.ts";

describe("ConnectCustomKeyStore on both sides", () => {
  it("CONNECTING, then CONNECTED once the exchange is published; keys usable", () => {
    const r = run([
      create(),
      connect,
      { advance: wait - 1 },
      { call: "DescribeCustomKeyStores", as: "admin", input: store },
      { advance: 1 },
      { call: "DescribeCustomKeyStores", as: "admin", input: store },
    ]);
    expect(r.failure).toBeUndefined();
    const states = r.records.filter((x) => isCall(x.step) && x.step.call === "DescribeCustomKeyStores").map((x) => JSON.stringify(x.sut));
    expect(states[0]).toContain('"ConnectionState":"CONNECTING"');
    expect(states[1]).toContain('"ConnectionState":"CONNECTED"');
  });

  it("INVALID_CREDENTIALS when the stored password is not kmsuser's", () => {
    expect(
      run([create("wrongPassword9"), connect, { advance: wait }, expectStore("FAILED", "INVALID_CREDENTIALS")]).failure,
    ).toBeUndefined();
  });

  it("USER_LOCKED_OUT after five failed logins", () => {
    const attempt: Step[] = [connect, { advance: wait }, disconnect, { advance: scenario.timing.disconnectDelayMs }];
    const steps = [
      create("wrongPassword9"),
      ...Array.from({ length: 5 }, () => attempt).flat(),
      connect,
      { advance: wait },
      expectStore("FAILED", "USER_LOCKED_OUT"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("NETWORK_ERRORS when every HSM is partitioned away from the KMS", () => {
    const steps: Step[] = [
      create(),
      { fault: "partition", hsm: hsm0 },
      { fault: "partition", hsm: hsm1 },
      connect,
      { advance: wait },
      expectStore("FAILED", "NETWORK_ERRORS"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("INSUFFICIENT_CLOUDHSM_HSMS when the HSMs die while connecting", () => {
    const steps: Step[] = [
      create(),
      connect,
      { fault: "hsm-crash", hsm: hsm0 },
      { fault: "hsm-crash", hsm: hsm1 },
      { advance: wait },
      expectStore("FAILED", "INSUFFICIENT_CLOUDHSM_HSMS"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("CloudHsmClusterInvalidConfigurationException, synchronously, with no active HSM (§15.3)", () => {
    const steps: Step[] = [
      create(),
      { fault: "hsm-crash", hsm: hsm0 },
      { fault: "hsm-crash", hsm: hsm1 },
      { ...connect, expect: { ok: false, error: { name: "CloudHsmClusterInvalidConfigurationException" } } },
      expectStore("DISCONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a FAILED store refuses Connect until disconnected, and then reconnects", () => {
    const steps: Step[] = [
      create(),
      { fault: "partition", hsm: hsm0 },
      { fault: "partition", hsm: hsm1 },
      connect,
      { advance: wait },
      { ...connect, expect: { ok: false, error: { name: "CustomKeyStoreInvalidStateException" } } },
      { fault: "heal" },
      disconnect,
      { advance: scenario.timing.disconnectDelayMs },
      expectStore("DISCONNECTED"),
      connect,
      { advance: wait },
      expectStore("CONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a store stays CONNECTED when all its HSMs die (§3.2); crypto then fails", () => {
    const steps: Step[] = [
      create(),
      connect,
      { advance: wait },
      { call: "CreateKey", as: "admin", save: "k", input: { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: "${cks.CustomKeyStoreId}" } },
      { advance: 100 },
      { fault: "hsm-crash", hsm: hsm0 },
      { fault: "hsm-crash", hsm: hsm1 },
      expectStore("CONNECTED"),
      {
        call: "Encrypt",
        as: "admin",
        input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" },
        expect: { ok: false, error: { name: "KMSInvalidStateException" } },
      },
      { fault: "hsm-restore", hsm: hsm1 },
      { call: "Encrypt", as: "admin", input: { KeyId: "${k.KeyMetadata.KeyId}", Plaintext: "AAEC" }, expect: { ok: true } },
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("CLUSTER_NOT_FOUND when the store's cluster is deleted (once its deletion is over)", () => {
    const steps: Step[] = [
      create(),
      { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId: cluster.clusterId, HsmId: hsm0 } },
      { call: "cloudhsmv2:DeleteHsm", as: "admin", input: { ClusterId: cluster.clusterId, HsmId: hsm1 } },
      { call: "cloudhsmv2:DeleteCluster", as: "admin", input: { ClusterId: cluster.clusterId } },
      { advance: scenario.timing.clusterDeletionMs },
      connect,
      { advance: wait },
      expectStore("FAILED", "CLUSTER_NOT_FOUND"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("USER_NOT_FOUND when kmsuser was deleted from the cluster", () => {
    const steps: Step[] = [
      create(),
      { call: "hsm:DeleteUser", as: "admin", input: { ClusterId: cluster.clusterId, Username: "kmsuser" } },
      connect,
      { advance: wait },
      expectStore("FAILED", "USER_NOT_FOUND"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("USER_LOGGED_IN when an operator is logged in as kmsuser", () => {
    const steps: Step[] = [
      create(),
      { call: "hsm:Login", as: "admin", input: { ClusterId: cluster.clusterId, Username: "kmsuser", Password: cluster.kmsuserPassword } },
      connect,
      { advance: wait },
      expectStore("FAILED", "USER_LOGGED_IN"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("SUBNET_NOT_FOUND when a subnet of the cluster was deleted", () => {
    const subnet = cluster.hsms[1]!.subnetId;
    expect(
      run([create(), { fault: "subnet-delete", subnet }, connect, { advance: wait }, expectStore("FAILED", "SUBNET_NOT_FOUND")]).failure,
    ).toBeUndefined();
  });

  it("INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET when a subnet of the cluster is full", () => {
    const subnet = cluster.hsms[0]!.subnetId;
    expect(
      run([
        create(),
        { fault: "subnet-full", subnet },
        connect,
        { advance: wait },
        expectStore("FAILED", "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"),
      ]).failure,
    ).toBeUndefined();
  });

  it("a lost login reply leaves kmsuser logged in: USER_LOGGED_IN from the next HSM (one-way partition)", () => {
    const steps: Step[] = [
      create(),
      { fault: "partition", hsm: hsm0, direction: "from-hsm" },
      connect,
      { advance: wait },
      expectStore("FAILED", "USER_LOGGED_IN"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("requests cut on the way in have no effect: the next HSM connects (one-way partition)", () => {
    const steps: Step[] = [
      create(),
      { fault: "partition", hsm: hsm0, direction: "to-hsm" },
      connect,
      { advance: wait },
      expectStore("CONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("the documented rotation: disconnect, change kmsuser's password, tell the store, reconnect (§4)", () => {
    const steps: Step[] = [
      create(),
      connect,
      { advance: wait },
      disconnect,
      { advance: scenario.timing.disconnectDelayMs },
      {
        call: "hsm:ChangePassword",
        as: "admin",
        input: { ClusterId: cluster.clusterId, Username: "kmsuser", NewPassword: "operatorPass77" },
        expect: { ok: true },
      },
      connect,
      { advance: wait },
      expectStore("FAILED", "INVALID_CREDENTIALS"),
      disconnect,
      { advance: scenario.timing.disconnectDelayMs },
      { call: "UpdateCustomKeyStore", as: "admin", input: { ...store, KeyStorePassword: "operatorPass77" }, expect: { ok: true } },
      connect,
      { advance: wait },
      expectStore("CONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("reconnecting works with the password the KMS rotated to", () => {
    const steps: Step[] = [
      create(),
      connect,
      { advance: wait },
      disconnect,
      { advance: scenario.timing.disconnectDelayMs },
      connect,
      { advance: wait },
      expectStore("CONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });

  it("a Disconnect after the login, before its result is published, ends the attempt: never CONNECTED", () => {
    const { connectDelayMs, connectExchangeMs, disconnectDelayMs } = scenario.timing;
    const steps: Step[] = [
      create(),
      connect,
      { advance: connectDelayMs + connectExchangeMs / 2 }, // the login is done; its result waits for the exchange's end
      disconnect,
      { advance: connectExchangeMs }, // past the instant the attempt would have published CONNECTED
      expectStore("DISCONNECTING"),
      { advance: disconnectDelayMs },
      expectStore("DISCONNECTED"),
      connect,
      { advance: wait },
      expectStore("CONNECTED"),
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
