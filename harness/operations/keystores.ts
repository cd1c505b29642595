// Custom key store operations (spec §3.4): their generated inputs — the world's clusters (its own,
// other lineages', an uninitialized one), trust anchors and kmsuser password, now and then a wrong
// one — and the store ids they make.
import fc from "fast-check";
import type { Json, JsonObject } from "../../protocol/step.ts";
import { dropUndefined, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

/** An external key store's proxy, as CreateCustomKeyStore takes it (spec §14), at a public endpoint. */
const XKS_PROXY: JsonObject = {
  XksProxyUriEndpoint: "https://xks.example.com",
  XksProxyUriPath: "/kms/xks/v1",
  XksProxyAuthenticationCredential: { AccessKeyId: "ABCDEFGHIJKLMNOPQRST", RawSecretAccessKey: "a".repeat(43) },
  XksProxyConnectivity: "PUBLIC_ENDPOINT",
};

const byStore = (name: string): OperationDescriptor => ({
  name,
  kind: "store",
  callers: MOSTLY_ADMIN,
  input: (i) => fc.record({ CustomKeyStoreId: i.storeRef }),
});

export const KEY_STORE_OPERATIONS: OperationDescriptor[] = [
  {
    name: "CreateCustomKeyStore",
    kind: "store",
    callers: MOSTLY_ADMIN,
    input: ({ scenario, storeNames }) => {
      const { cluster, otherClusters, uninitializedClusterIds } = scenario.world;
      const madeLast: Json = { ref: "cluster", index: -1 };
      const wrongAnchor = "-----BEGIN CERTIFICATE-----\nNOTTHEANCHOR\n-----END CERTIFICATE-----";
      // Mostly the world's cluster; as often as it, one of another lineage (a second store in the account,
      // then one past the stores quota, §11.1); now and then an uninitialized one or the cluster made last
      // in the run, if any (CloudHsmClusterNotActiveException, §3.5), or none. The trust anchor is the
      // named cluster's 3 times in 4.
      const target = fc.oneof(
        { weight: 3, arbitrary: fc.constant<[Json, string]>([cluster.clusterId, cluster.trustAnchor]) },
        ...(otherClusters.length > 0
          ? [{ weight: 3, arbitrary: fc.constantFrom(...otherClusters.map((c): [Json, string] => [c.clusterId, c.trustAnchor])) }]
          : []),
        ...(uninitializedClusterIds.length > 0
          ? [{ weight: 1, arbitrary: fc.constantFrom(...uninitializedClusterIds.map((id): [Json, string] => [id, cluster.trustAnchor])) }]
          : []),
        { weight: 1, arbitrary: fc.constant<[Json, string]>(["cluster-doesnotexist2", cluster.trustAnchor]) },
        { weight: 1, arbitrary: fc.constant<[Json, string]>([madeLast, cluster.trustAnchor]) },
      );
      return fc
        .record({
          CustomKeyStoreName: storeNames,
          target,
          rightAnchor: fc.nat({ max: 3 }).map((n) => n > 0),
          KeyStorePassword: fc.constantFrom(cluster.kmsuserPassword, cluster.kmsuserPassword, cluster.kmsuserPassword, "wrongPassword9"),
          // CustomKeyStoreType mostly left to its default; now and then named; rarely an external key store
          // (§14: kmsim models none), with or without what its proxy needs.
          storeType: fc.constantFrom<JsonObject>(
            ...Array<JsonObject>(6).fill({}),
            { CustomKeyStoreType: "AWS_CLOUDHSM" },
            { CustomKeyStoreType: "AWS_CLOUDHSM" },
            { CustomKeyStoreType: "EXTERNAL_KEY_STORE" },
            { CustomKeyStoreType: "EXTERNAL_KEY_STORE", ...XKS_PROXY },
          ),
        })
        .map(({ CustomKeyStoreName, target: [CloudHsmClusterId, anchor], rightAnchor, KeyStorePassword, storeType }) => ({
          CustomKeyStoreName,
          ...storeType,
          CloudHsmClusterId,
          TrustAnchorCertificate: rightAnchor ? anchor : wrongAnchor,
          KeyStorePassword,
        }));
    },
    makes: (output) => ({ store: output["CustomKeyStoreId"] ?? null }),
  },
  byStore("ConnectCustomKeyStore"),
  byStore("DisconnectCustomKeyStore"),
  {
    name: "DescribeCustomKeyStores",
    kind: "store",
    callers: MOSTLY_ADMIN,
    // A filter or none, now and then a Limit; a Marker now and then: "1", which a page of the world's one
    // store could return (stale once it is gone), rarely one no page returns (InvalidMarkerException).
    input: (i) =>
      fc
        .tuple(
          fc.oneof(fc.constant({}), fc.record({ CustomKeyStoreId: i.storeRef }), fc.record({ CustomKeyStoreName: i.storeNames })),
          fc.record({
            Limit: fc.option(fc.constantFrom(1, 100), { nil: undefined }),
            Marker: fc.oneof(
              { weight: 8, arbitrary: fc.constant(undefined) },
              { weight: 2, arbitrary: fc.constant("1") },
              { weight: 1, arbitrary: fc.constantFrom("x", "999") },
            ),
          }),
        )
        .map(([filter, paging]) => ({ ...filter, ...dropUndefined(paging) })),
  },
  {
    name: "UpdateCustomKeyStore",
    kind: "store",
    callers: MOSTLY_ADMIN,
    input: (i) =>
      fc.record(
        {
          CustomKeyStoreId: i.storeRef,
          NewCustomKeyStoreName: i.storeNames,
          KeyStorePassword: i.passwords,
          CloudHsmClusterId: i.storeClusterRef,
        },
        { requiredKeys: ["CustomKeyStoreId"] },
      ),
  },
  byStore("DeleteCustomKeyStore"),
];
