// Each operation's documented errors come from AWS's service models (per service, by the name a step
// uses), less those set aside (features kmsim does not simulate, errors AWS's key-state table rules
// out, errors listed with no documented cause); a campaign's never-answered list is what is left after the errors its calls were answered with.
import { describe, expect, it } from "vitest";
import { documentedErrors, neverAnswered } from "../../reports/documented-errors.ts";

describe("documented errors", () => {
  it("reads KMS operations' errors from the KMS model", () => {
    const encrypt = documentedErrors("Encrypt");
    expect(encrypt).toContain("DryRunOperationException");
    expect(encrypt).toContain("KeyUnavailableException");
    expect(encrypt).not.toContain("CustomKeyStoreNotFoundException");
  });

  it("sets aside the errors of features kmsim does not simulate", () => {
    const create = documentedErrors("CreateCustomKeyStore")!;
    expect(create).toContain("CloudHsmClusterNotActiveException");
    expect(create.filter((e) => e.startsWith("Xks"))).toEqual([]);
    expect(documentedErrors("cloudhsmv2:CreateCluster")).not.toContain("CloudHsmTagException");
    // Only GenerateRandom's UnsupportedOperationException is an external key store's.
    expect(documentedErrors("GenerateRandom")).not.toContain("UnsupportedOperationException");
    expect(documentedErrors("CreateKey")).toContain("UnsupportedOperationException");
    // InvalidKeyUsageException needs a key kmsim cannot make for GenerateDataKey*, but an algorithm for the others.
    expect(documentedErrors("GenerateDataKey")).not.toContain("InvalidKeyUsageException");
    expect(documentedErrors("GenerateDataKeyWithoutPlaintext")).not.toContain("InvalidKeyUsageException");
    for (const operation of ["Encrypt", "Decrypt", "ReEncrypt"]) expect(documentedErrors(operation)).toContain("InvalidKeyUsageException");
  });

  it("sets aside KMSInvalidStateException only where the key-state table allows every state", () => {
    for (const op of ["GetKeyPolicy", "PutKeyPolicy", "DeleteAlias", "RetireGrant", "RevokeGrant", "ListGrants"])
      expect(documentedErrors(op)).not.toContain("KMSInvalidStateException");
    for (const op of ["Encrypt", "CreateAlias", "CancelKeyDeletion", "TagResource"])
      expect(documentedErrors(op)).toContain("KMSInvalidStateException");
  });

  it("sets aside, per operation, the errors AWS lists without documenting a cause", () => {
    expect(documentedErrors("EnableKey")).not.toContain("LimitExceededException");
    expect(documentedErrors("CreateKey")).toContain("LimitExceededException");
    expect(documentedErrors("PutKeyPolicy")).not.toContain("UnsupportedOperationException");
    for (const op of ["iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "iam:DeleteServiceLinkedRole"])
      expect(documentedErrors(op)).not.toContain("LimitExceeded");
    expect(documentedErrors("iam:PutRolePolicy")).toContain("LimitExceeded");
  });

  it("reads CloudHSM and IAM operations by their prefix, IAM with its error codes", () => {
    expect(documentedErrors("cloudhsmv2:CreateHsm")).toContain("CloudHsmResourceNotFoundException");
    expect(documentedErrors("iam:PutUserPolicy")).toEqual(["LimitExceeded", "MalformedPolicyDocument", "NoSuchEntity", "ServiceFailure"]);
  });

  it("has no list for the operator's own actions or an unknown operation", () => {
    expect(documentedErrors("hsm:Login")).toBeUndefined();
    expect(documentedErrors("NoSuchOperation")).toBeUndefined();
  });

  it("names the documented errors no call was answered with", () => {
    const answered = { NotFoundException: 2, DisabledException: 1, KeyUnavailableException: 0 };
    const never = neverAnswered("Encrypt", answered);
    expect(never).toContain("KeyUnavailableException");
    expect(never).toContain("DryRunOperationException");
    expect(never).not.toContain("NotFoundException");
    expect(never).not.toContain("DisabledException");
    expect(neverAnswered("hsm:Login", {})).toEqual([]);
  });
});
