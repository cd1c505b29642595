// Custom key store operations (spec §3.4): their generated inputs — the world's cluster, trust anchor
// and kmsuser password, now and then a wrong one — and the store ids they make.
import fc from "fast-check";
import type { Json } from "../../protocol/step.ts";
import { dropUndefined, MOSTLY_ADMIN, type OperationDescriptor } from "./descriptor.ts";

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
      const { cluster } = scenario.world;
      const madeLast: Json = { ref: "cluster", index: -1 };
      return fc.record({
        CustomKeyStoreName: storeNames,
        // Now and then the cluster made last in the run, if any: UNINITIALIZED (CloudHsmClusterNotActiveException) or restored.
        CloudHsmClusterId: fc.constantFrom<Json>(
          cluster.clusterId,
          cluster.clusterId,
          cluster.clusterId,
          "cluster-doesnotexist2",
          madeLast,
        ),
        TrustAnchorCertificate: fc.constantFrom(
          cluster.trustAnchor,
          cluster.trustAnchor,
          cluster.trustAnchor,
          "-----BEGIN CERTIFICATE-----\nNOTTHEANCHOR\n-----END CERTIFICATE-----",
        ),
        KeyStorePassword: fc.constantFrom(cluster.kmsuserPassword, cluster.kmsuserPassword, cluster.kmsuserPassword, "wrongPassword9"),
      });
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
          CloudHsmClusterId: i.clusterRef,
        },
        { requiredKeys: ["CustomKeyStoreId"] },
      ),
  },
  byStore("DeleteCustomKeyStore"),
];
