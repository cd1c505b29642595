// Mutants of custom key stores, their connection, and kmsuser with its lockout (spec §3, §4).
import type { FaultStep, JsonObject } from "../protocol/step.ts";
import type { HsmRequest } from "../sim/hsm/messages.ts";
import { VirtualCluster } from "../sim/hsm/cluster.ts";
import { CloudHsmService } from "../sim/hsm/service.ts";
import { VirtualKms } from "../sim/kms/kms.ts";
import { World } from "../sim/world.ts";
import { patch, type Mutant } from "./mutant.ts";
import { storeNamed, withChange, wrapOperation } from "./seams.ts";

const serveWith = (rewrite: (cluster: VirtualCluster, hsmId: string, request: HsmRequest) => HsmRequest | "skip") =>
  patch(
    VirtualCluster.prototype,
    "serve",
    (serve) =>
      function (this: VirtualCluster, hsmId: string, request: HsmRequest) {
        const rewritten = rewrite(this, hsmId, request);
        return rewritten === "skip" ? { ok: true } : serve.call(this, hsmId, rewritten);
      },
  );

export const KEYSTORE_MUTANTS: Mutant[] = [
  {
    name: "disconnect-keeps-kmsuser-logged-in",
    area: "key stores and connection",
    description: "DisconnectCustomKeyStore never logs kmsuser out of the cluster",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () => serveWith((_, __, request) => (request.op === "Logout" ? "skip" : request)),
  },
  {
    name: "disconnect-cuts-login-exchange",
    area: "key stores and connection",
    description: "DisconnectCustomKeyStore does not let a connect's login exchange on the wire finish first",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        VirtualKms.prototype,
        "onExchangeDone",
        () =>
          function (this: VirtualKms, _store: unknown, then: () => void) {
            then();
          },
      ),
  },
  {
    name: "subnet-faults-ignored",
    area: "key stores and connection",
    description: "the world ignores subnet faults (deleted or full subnets still take HSMs)",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        World.prototype,
        "fault",
        (fault) =>
          function (this: World, step: FaultStep) {
            if (!step.fault.startsWith("subnet-")) fault.call(this, step);
          },
      ),
  },
  {
    name: "cluster-in-every-subnet",
    area: "key stores and connection",
    description: "CreateCluster ignores SubnetIds and puts the new cluster in every subnet of the world, one per zone",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      patch(
        CloudHsmService.prototype,
        "createCluster",
        (createCluster) =>
          function (this: CloudHsmService, input: JsonObject) {
            const byZone = new Map<string, string>();
            for (const s of this.subnets.values()) if (!byZone.has(s.availabilityZone)) byZone.set(s.availabilityZone, s.subnetId);
            return createCluster.call(this, { ...input, SubnetIds: [...byZone.values()] });
          },
      ),
  },
  {
    name: "delete-store-ignores-keys",
    area: "key stores and connection",
    description: "DeleteCustomKeyStore deletes a disconnected store that still holds keys",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation(
        "DeleteCustomKeyStore",
        (original) =>
          function* (kms, caller, input) {
            const store = storeNamed(kms, input);
            if (store?.ConnectionState !== "DISCONNECTED") return yield* original(kms, caller, input);
            kms.stores.splice(kms.stores.indexOf(store), 1);
            return { ok: true, output: {} };
          },
      ),
  },
  {
    name: "update-connected-store",
    area: "key stores and connection",
    description: "UpdateCustomKeyStore changes the password or cluster of a CONNECTED store",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("UpdateCustomKeyStore", (original) =>
        withChange(original, (kms, _, input) => {
          const store = storeNamed(kms, input);
          if (store?.ConnectionState !== "CONNECTED") return undefined;
          store.ConnectionState = "DISCONNECTED";
          return () => void (store.ConnectionState = "CONNECTED");
        }),
      ),
  },
  {
    name: "connect-failed-store",
    area: "key stores and connection",
    description: "ConnectCustomKeyStore on a FAILED store is a no-op success instead of an invalid-state error",
    scenarios: ["keystores"],
    expected: { kind: "mismatch", check: "model" },
    apply: () =>
      wrapOperation(
        "ConnectCustomKeyStore",
        (original) =>
          function* (kms, caller, input) {
            const store = storeNamed(kms, input);
            if (store?.ConnectionState === "FAILED") return { ok: true, output: {} };
            return yield* original(kms, caller, input);
          },
      ),
  },
  {
    name: "failed-logins-forgotten",
    area: "kmsuser and lockout",
    description: "the HSM forgets failed logins, so kmsuser is never locked out",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      serveWith((cluster, _, request) => {
        const user = cluster.kmsuser;
        if (user !== undefined && request.op === "LoginAndRotate") user.failedLogins = 0;
        return request;
      }),
  },
  {
    name: "login-any-password",
    area: "kmsuser and lockout",
    description: "the HSM logs kmsuser in whatever the password",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      serveWith((cluster, _, request) =>
        request.op === "LoginAndRotate" && cluster.kmsuser !== undefined ? { ...request, password: cluster.kmsuser.password } : request,
      ),
  },
  {
    name: "password-not-rotated",
    area: "kmsuser and lockout",
    description: "a successful connect leaves kmsuser's password in the cluster as it was (the KMS believes it rotated)",
    scenarios: ["keystores"],
    expected: { kind: "mismatch" },
    apply: () => serveWith((_, __, request) => (request.op === "LoginAndRotate" ? { ...request, newPassword: request.password } : request)),
  },
  {
    name: "rename-ignores-other-stores",
    area: "key stores and connection",
    description: "UpdateCustomKeyStore renames a store to the name of another store of the account",
    scenarios: ["keystores", "default"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("UpdateCustomKeyStore", (original) =>
        // The other stores' names are hidden from the handler while it runs.
        withChange(original, (kms, caller, input) => {
          const others = kms.storesOf(caller).filter((s) => s.CustomKeyStoreId !== input["CustomKeyStoreId"]);
          const names = others.map((s) => s.CustomKeyStoreName);
          for (const s of others) s.CustomKeyStoreName = `hidden-${s.CustomKeyStoreId}`;
          return () => others.forEach((s, i) => void (s.CustomKeyStoreName = names[i]!));
        }),
      ),
  },
  {
    name: "store-quota-counts-connected",
    area: "quotas",
    description: "the custom key stores quota counts only the account's CONNECTED stores",
    scenarios: ["default", "keystores"],
    expected: { kind: "mismatch" },
    apply: () =>
      wrapOperation("CreateCustomKeyStore", (original) =>
        withChange(original, (kms, caller) => {
          const options = kms.options;
          const idle = kms.storesOf(caller).filter((s) => s.ConnectionState !== "CONNECTED").length;
          kms.ctx.options = { ...options, storesMax: options.storesMax + idle };
          return () => void (kms.ctx.options = options);
        }),
      ),
  },
];
