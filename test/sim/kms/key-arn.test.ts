// isKeyArn reads a key ARN in place: true exactly when the text is the ARN VirtualKms.keyArn builds
// from the same Region, account and key id.
import { describe, expect, it } from "vitest";
import { isKeyArn } from "../../../sim/kms/key-id.ts";

const built = (region: string, account: string, keyId: string) => `arn:aws:kms:${region}:${account}:key/${keyId}`;

describe("isKeyArn", () => {
  const region = "us-east-1";
  const account = "111122223333";
  const keyId = "1234abcd-12ab-34cd-56ef-1234567890ab";

  it("accepts the ARN keyArn builds, and only with the same Region, account and key id", () => {
    expect(isKeyArn(built(region, account, keyId), region, account, keyId)).toBe(true);
    expect(isKeyArn(built("us-west-2", account, keyId), region, account, keyId)).toBe(false);
    expect(isKeyArn(built(region, "444455556666", keyId), region, account, keyId)).toBe(false);
    expect(isKeyArn(built(region, account, keyId.replace("a", "b")), region, account, keyId)).toBe(false);
  });

  it("agrees with building the ARN for texts that differ anywhere, or shift pieces across separators", () => {
    const texts = [
      built(region, account, keyId),
      `${built(region, account, keyId)}x`,
      built(region, account, keyId).slice(1),
      built(region, account, keyId).replace(":key/", ":alias/"),
      built(region, account, keyId).replace("arn:aws:", "arn:aws-cn:"),
      built(`${region}:1`, account.slice(2), keyId),
      built(region, `${account}:key`, keyId.slice(4)),
      `arn:aws:kms:${region}${account}:key/${keyId}:`,
      "",
    ];
    const pieces: [string, string, string][] = [
      [region, account, keyId],
      [`${region}:1`, account.slice(2), keyId],
      [region, `${account}:key`, keyId.slice(4)],
      ["", "", ""],
    ];
    for (const text of texts)
      for (const [r, a, k] of pieces) expect(isKeyArn(text, r, a, k), `${text} vs ${r} ${a} ${k}`).toBe(text === built(r, a, k));
  });
});
