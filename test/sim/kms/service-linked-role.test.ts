// The service-linked role of custom key stores (spec §10), through both sides.
import { describe, expect, it } from "vitest";
import type { Step } from "../../../protocol/step.ts";
import { cluster, run } from "../../support/store-steps.ts";

describe("the service-linked role (§10)", () => {
  it("is created by the first CloudHSM store; without iam:CreateServiceLinkedRole that store is refused", () => {
    const createAs = (as: string, name: string, expect: object): Step =>
      ({
        call: "CreateCustomKeyStore",
        as,
        save: name,
        expect,
        input: {
          CustomKeyStoreName: name,
          CloudHsmClusterId: cluster.clusterId,
          TrustAnchorCertificate: cluster.trustAnchor,
          KeyStorePassword: cluster.kmsuserPassword,
        },
      }) as Step;
    const steps: Step[] = [
      createAs("storeadmin", "first", {
        ok: false,
        error: {
          name: "AccessDeniedException",
          message:
            "User: arn:aws:iam::111122223333:role/KeyStoreAdmin is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::111122223333:role/aws-service-role/cks.kms.amazonaws.com/AWSServiceRoleForKeyManagementServiceCustomKeyStores because no identity-based policy allows the iam:CreateServiceLinkedRole action",
        },
      }),
      { call: "DescribeCustomKeyStores", as: "admin", input: {}, expect: { ok: true, output: { CustomKeyStores: [] } } },
      createAs("admin", "second", { ok: true }),
      { call: "DeleteCustomKeyStore", as: "admin", input: { CustomKeyStoreId: "${second.CustomKeyStoreId}" }, expect: { ok: true } },
      createAs("storeadmin", "third", { ok: true }),
    ];
    expect(run(steps).failure).toBeUndefined();
  });
});
