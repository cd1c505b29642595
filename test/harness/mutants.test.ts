// Test the tester: plant a bug in the virtual KMS or HSM and require that a fixed seed range catches
// it. A mutant that survives means the differential check or the invariants went blind somewhere.
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { VirtualCluster } from "../../sim/hsm/cluster.ts";
import { HsmClient } from "../../sim/kms/hsm-client.ts";
import { IamDirectory } from "../../sim/iam/iam.ts";
import { RequestContext } from "../../sim/iam/conditions.ts";
import { DecisionCache } from "../../sim/iam/decision-cache.ts";
import { access } from "../../sim/kms/access.ts";
import { VirtualKms } from "../../sim/kms/kms.ts";
import { KMS_OPERATIONS } from "../../sim/kms/operations.ts";
import { runSeed } from "../../harness/seed.ts";
import type { HsmRequest } from "../../sim/hsm/messages.ts";
import type { FaultStep } from "../../protocol/step.ts";
import { World } from "../../sim/world.ts";

const scenario = loadScenario("default");
const keystores = loadScenario("keystores");
const keys = loadScenario("keys");
const authz = loadScenario("authz");
/** The authz scenario with grants taking effect at once, so their checks are never hidden by a propagation window. */
const authzAtOnce = { ...authz, timing: { ...authz.timing, grantPropagationMsMax: 0 } };
const SEEDS = 200;

/** The first seed in 1..SEEDS that fails (with `kind`, when given). */
function firstCaught(on = scenario, kind?: string): { seed: number; kind: string | null } | undefined {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const result = runSeed(on, seed, { stepsMax: on.campaign.stepsDefault, shrink: false });
    if (result.verdict === "fail" && (kind === undefined || result.kind === kind)) return { seed, kind: result.kind };
  }
  return undefined;
}

/**
 * A planted bug may only be caught far into the seed range, and these machines are shared: the
 * per-test limit here is a guard against a hang, far above the usual minute, never a speed check.
 */
const MUTANT_TIMEOUT_MS = 300_000;

describe("planted bugs are caught", { timeout: MUTANT_TIMEOUT_MS }, () => {
  afterEach(() => vi.restoreAllMocks());

  // keystores, keys and authz pass these seeds in their own seed-range tests (1..400, 1..300, 1..200).
  it("the unmutated world passes the same seeds (so catches below are the mutants')", () => {
    expect(firstCaught()).toBeUndefined();
    expect(firstCaught(authzAtOnce)).toBeUndefined();
  });

  it("the HSM forgets failed logins (no lockout)", () => {
    const serve = VirtualCluster.prototype.serve;
    vi.spyOn(VirtualCluster.prototype, "serve").mockImplementation(function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
      const user = this.kmsuser;
      if (user !== undefined && request.op === "LoginAndRotate") user.failedLogins = 0;
      return serve.call(this, hsmId, request);
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("Disconnect never logs kmsuser out", () => {
    const serve = VirtualCluster.prototype.serve;
    vi.spyOn(VirtualCluster.prototype, "serve").mockImplementation(function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
      return request.op === "Logout" ? { ok: true } : serve.call(this, hsmId, request);
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("subnet faults are ignored by the world", () => {
    const fault = World.prototype.fault;
    vi.spyOn(World.prototype, "fault").mockImplementation(function (this: World, step: FaultStep) {
      if (!step.fault.startsWith("subnet-")) fault.call(this, step);
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("DeleteCustomKeyStore ignores the keys still in the store", () => {
    const original = KMS_OPERATIONS["DeleteCustomKeyStore"]!;
    KMS_OPERATIONS["DeleteCustomKeyStore"] = function* (kms, caller, input) {
      const store = kms.store(String(input["CustomKeyStoreId"]));
      if (store?.ConnectionState !== "DISCONNECTED") return yield* original(kms, caller, input);
      kms.stores.splice(kms.stores.indexOf(store), 1);
      return { ok: true, output: {} };
    };
    try {
      expect(firstCaught(keystores)).toBeDefined();
    } finally {
      KMS_OPERATIONS["DeleteCustomKeyStore"] = original;
    }
  });

  it("the KMS tries only the first ACTIVE HSM (no failover)", () => {
    vi.spyOn(HsmClient.prototype, "askAny").mockImplementation(function* (this: HsmClient, cluster, request) {
      const first = cluster.activeHsms()[0];
      return first === undefined ? undefined : yield* this.ask(cluster, first.id, request);
    });
    expect(firstCaught()?.kind).toBe("mismatch");
  });

  it("CancelKeyDeletion puts the key back to Enabled (as local-kms does)", () => {
    const original = KMS_OPERATIONS["CancelKeyDeletion"]!;
    KMS_OPERATIONS["CancelKeyDeletion"] = function* (kms, caller, input) {
      const outcome = yield* original(kms, caller, input);
      const key = [...kms.keys.values()].find((k) => k.KeyId === input["KeyId"] || k.Arn === input["KeyId"]);
      if (outcome.ok && key !== undefined) key.enabled = true;
      return outcome;
    };
    try {
      expect(firstCaught(keystores)).toBeDefined();
    } finally {
      KMS_OPERATIONS["CancelKeyDeletion"] = original;
    }
  });

  it("a deleted key's material is deleted even through a disconnected store", () => {
    const deleteKey = VirtualKms.prototype.deleteKey;
    vi.spyOn(VirtualKms.prototype, "deleteKey").mockImplementation(function (this: VirtualKms, key) {
      deleteKey.call(this, key);
      for (const cluster of this.ctx.cloudhsm.clusters.values()) cluster.deleteKeyObjects(key.Arn);
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("UntagResource removes every tag, not just those named", () => {
    const original = KMS_OPERATIONS["UntagResource"]!;
    KMS_OPERATIONS["UntagResource"] = function* (kms, caller, input) {
      const outcome = yield* original(kms, caller, input);
      const key = [...kms.keys.values()].find((k) => k.KeyId === input["KeyId"] || k.Arn === input["KeyId"]);
      if (outcome.ok && key !== undefined) key.tags.clear();
      return outcome;
    };
    try {
      expect(firstCaught(keys)).toBeDefined();
    } finally {
      KMS_OPERATIONS["UntagResource"] = original;
    }
  });

  it("the store request quota is not enforced", () => {
    vi.spyOn(VirtualKms.prototype, "countStoreRequest").mockImplementation(() => undefined);
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("key objects are not synchronized to an HSM that comes back", () => {
    vi.spyOn(VirtualCluster.prototype, "synchronize").mockImplementation(() => undefined);
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("key objects replicate at once (the model's replication delay is not what the cluster does)", () => {
    vi.spyOn(VirtualCluster.prototype, "scheduleReplication").mockImplementation(function (this: VirtualCluster) {
      this.synchronize();
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("the HSM finds a key object by label, not by the handle the KMS holds", () => {
    const serve = VirtualCluster.prototype.serve;
    vi.spyOn(VirtualCluster.prototype, "serve").mockImplementation(function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
      if (request.op !== "Encrypt" && request.op !== "Decrypt") return serve.call(this, hsmId, request);
      const label = [...this.hsms.flatMap((h) => [...h.objects])].find(([handle]) => handle === request.handle)?.[1].label;
      const hsm = this.hsm(hsmId);
      const sameLabel = [...(hsm?.objects ?? [])].find(([, o]) => o.label === label)?.[0];
      return serve.call(this, hsmId, sameLabel === undefined ? request : { ...request, handle: sameLabel });
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("the KMS counts a down HSM as ACTIVE", () => {
    vi.spyOn(VirtualCluster.prototype, "activeHsms").mockImplementation(function (this: VirtualCluster) {
      return [...this.hsms].sort((a, b) => (a.id < b.id ? -1 : 1));
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("UpdateAlias leaves the alias where it was", () => {
    const update = KMS_OPERATIONS["UpdateAlias"]!;
    vi.spyOn(KMS_OPERATIONS, "UpdateAlias").mockImplementation(function* (kms, caller, input) {
      const before = new Map([...kms.aliases].map(([arn, a]) => [arn, a.TargetKeyId]));
      const outcome = yield* update(kms, caller, input);
      for (const [arn, target] of before) kms.aliases.get(arn)!.TargetKeyId = target;
      return outcome;
    });
    expect(firstCaught(keys)).toBeDefined();
  });

  it("the KMS keeps using a principal's compiled identity policies after they change", () => {
    const set = IamDirectory.prototype.setInlinePolicy;
    vi.spyOn(IamDirectory.prototype, "setInlinePolicy").mockImplementation(function (
      this: IamDirectory,
      arn: string,
      name: string,
      text: string | undefined,
    ) {
      this.identityStatements(arn); // compile (and cache) the old policies first
      const cache = (this as unknown as { compiledIdentity: Map<string, unknown> }).compiledIdentity;
      const stale = cache.get(arn);
      set.call(this, arn, name, text);
      cache.set(arn, stale);
    });
    expect(firstCaught(authz)).toBeDefined();
  });

  it("principal tags never change (aws:PrincipalTag reads the world's first tags)", () => {
    vi.spyOn(IamDirectory.prototype, "setTag").mockImplementation(() => undefined);
    expect(firstCaught(authz)).toBeDefined();
  });

  it("condition key names are compared case-sensitively (stored and looked up as written)", () => {
    const valuesOf = (context: RequestContext) => (context as unknown as { values: Map<string, string[]> }).values;
    vi.spyOn(RequestContext.prototype, "add").mockImplementation(function (this: RequestContext, key: string, values: readonly string[]) {
      if (values.length > 0) valuesOf(this).set(key, [...(valuesOf(this).get(key) ?? []), ...values]);
      return this;
    });
    vi.spyOn(RequestContext.prototype, "get").mockImplementation(function (this: RequestContext, key: string) {
      return valuesOf(this).get(key);
    });
    expect(firstCaught(authz)).toBeDefined();
  });

  it("key policies see the IAM-only condition keys (aws:ResourceTag, kms:ResourceAliases)", () => {
    vi.spyOn(RequestContext.prototype, "without").mockImplementation(function (this: RequestContext) {
      return this;
    });
    expect(firstCaught(authz)).toBeDefined();
  });

  it("decisions are cached even when a Condition could change them", () => {
    vi.spyOn(DecisionCache.prototype, "cacheable").mockReturnValue(true);
    expect(firstCaught(authz)).toBeDefined();
  });

  it("grant checks hold the constraints against the wrong encryption context", () => {
    const authorizeKey = access.authorizeKey;
    vi.spyOn(access, "authorizeKey").mockImplementation((kms, caller, action, key, request) =>
      authorizeKey(kms, caller, action, key, request === undefined ? request : { ...request, context: { purpose: "test", team: "blue" } }),
    );
    expect(firstCaught(authzAtOnce)).toBeDefined();
  });

  it("a new grant takes ten times the longest propagation delay to authorize", () => {
    const create = KMS_OPERATIONS["CreateGrant"]!;
    vi.spyOn(KMS_OPERATIONS, "CreateGrant").mockImplementation(function* (kms, caller, input) {
      const outcome = yield* create(kms, caller, input);
      const grant = outcome.ok ? kms.grants.get(String(outcome.output["GrantId"])) : undefined;
      if (grant !== undefined && grant.visibleAtUs >= kms.nowUs) grant.visibleAtUs = kms.nowUs + 10 * kms.options.grantPropagationUsMax + 1;
      return outcome;
    });
    expect(firstCaught(authz)).toBeDefined();
  });

  it("a slow HSM answers at its usual pace", () => {
    vi.spyOn(VirtualCluster.prototype, "replyHoldUs").mockImplementation(() => 0);
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("keys stay Enabled while their store is disconnected", () => {
    vi.spyOn(VirtualKms.prototype, "keyState").mockImplementation((key) => (key.enabled ? "Enabled" : "Disabled"));
    expect(firstCaught()).toBeDefined();
  });

  it("key policies are not checked", () => {
    vi.spyOn(access, "authorizeKey").mockImplementation(() => undefined);
    // Caught at once; and some seed shows it as the access invariant (a call succeeding for a denied principal).
    expect(firstCaught()).toBeDefined();
    expect(firstCaught(scenario, "invariant")).toBeDefined();
  });

  it("DisableKey does nothing", () => {
    const original = KMS_OPERATIONS["DisableKey"]!;
    KMS_OPERATIONS["DisableKey"] = function* () {
      return { ok: true, output: {} };
    };
    try {
      expect(firstCaught()).toBeDefined();
    } finally {
      KMS_OPERATIONS["DisableKey"] = original;
    }
  });

  it("the HSM logs kmsuser in whatever the password", () => {
    const serve = VirtualCluster.prototype.serve;
    vi.spyOn(VirtualCluster.prototype, "serve").mockImplementation(function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
      const patched =
        request.op === "LoginAndRotate" && this.kmsuser !== undefined ? { ...request, password: this.kmsuser.password } : request;
      return serve.call(this, hsmId, patched);
    });
    expect(firstCaught(keystores)).toBeDefined();
  });

  it("a crashed HSM keeps answering", () => {
    const serve = VirtualCluster.prototype.serve;
    vi.spyOn(VirtualCluster.prototype, "serve").mockImplementation(function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
      const hsm = this.hsm(hsmId)!;
      const crashed = hsm.crashed;
      hsm.crashed = false;
      try {
        return serve.call(this, hsmId, request);
      } finally {
        hsm.crashed = crashed;
      }
    });
    vi.spyOn(VirtualCluster.prototype, "activeHsms").mockImplementation(function (this: VirtualCluster) {
      return this.hsms;
    });
    expect(firstCaught()).toBeDefined();
  });
});
