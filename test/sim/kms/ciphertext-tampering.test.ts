// A flipped bit anywhere in a blob (spec §8.3) never opens to a plaintext, on keys of both origins,
// through the virtual KMS alone and through both sides; a header made to name another key does not
// open under it (the key ARN is bound as AAD).
import { describe, expect, it } from "vitest";
import type { JsonObject, Step } from "../../../protocol/step.ts";
import { World } from "../../../sim/world.ts";
import { cluster, KEYS, keyId, principals, run, scenario, wait } from "../../support/crypto-keys.ts";

describe("a flipped bit anywhere in a blob (§8.3)", () => {
  const admin = principals["admin"]!.arn;
  function world(): { world: World; keys: Record<string, string> } {
    const w = new World(scenario, "kmsim:bit-flips");
    const call = (name: string, input: JsonObject) => {
      const { outcome } = w.call({ call: name, as: "admin", input }, admin);
      if (!outcome.ok) throw new Error(`${name}: ${outcome.error.name}`);
      return outcome.output;
    };
    const store = String(
      call("CreateCustomKeyStore", {
        CustomKeyStoreName: "s",
        CloudHsmClusterId: cluster.clusterId,
        TrustAnchorCertificate: cluster.trustAnchor,
        KeyStorePassword: cluster.kmsuserPassword,
      })["CustomKeyStoreId"],
    );
    call("ConnectCustomKeyStore", { CustomKeyStoreId: store });
    w.advance(wait);
    const arn = (o: JsonObject) => String((o["KeyMetadata"] as JsonObject)["Arn"]);
    return {
      world: w,
      keys: { kms: arn(call("CreateKey", {})), hsm: arn(call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: store })) },
    };
  }

  for (const which of ["kms", "hsm"]) {
    it(`on a ${which === "kms" ? "AWS_KMS" : "CloudHSM"} key: every one of the blob's bits, flipped, gives InvalidCiphertextException`, () => {
      const { world: w, keys } = world();
      const encrypted = w.call(
        { call: "Encrypt", as: "admin", input: { KeyId: keys[which]!, Plaintext: "c2VjcmV0", EncryptionContext: { a: "b" } } },
        admin,
      ).outcome;
      if (!encrypted.ok) throw new Error("Encrypt failed");
      const blob = Buffer.from(String(encrypted.output["CiphertextBlob"]), "base64");
      const answers = new Map<string, number>();
      for (let bit = 0; bit < blob.length * 8; bit++) {
        const flipped = Buffer.from(blob);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const { outcome } = w.call(
          { call: "Decrypt", as: "admin", input: { CiphertextBlob: flipped.toString("base64"), EncryptionContext: { a: "b" } } },
          admin,
        );
        const name = outcome.ok ? `ok:${String(outcome.output["Plaintext"])}` : `${outcome.error.name}:${outcome.error.message}`;
        answers.set(name, (answers.get(name) ?? 0) + 1);
      }
      expect([...answers]).toEqual([["InvalidCiphertextException:", blob.length * 8]]);
    });
  }

  it("a blob whose header is made to name another key does not open under it (the key ARN is bound as AAD)", () => {
    const { world: w, keys } = world();
    const other = w.call({ call: "CreateKey", as: "admin", input: {} }, admin).outcome;
    if (!other.ok) throw new Error("CreateKey failed");
    const otherArn = String((other.output["KeyMetadata"] as JsonObject)["Arn"]);
    for (const which of ["kms", "hsm"]) {
      const encrypted = w.call({ call: "Encrypt", as: "admin", input: { KeyId: keys[which]!, Plaintext: "c2VjcmV0" } }, admin).outcome;
      if (!encrypted.ok) throw new Error("Encrypt failed");
      const forged = Buffer.from(
        Buffer.from(String(encrypted.output["CiphertextBlob"]), "base64").toString("latin1").replace(keys[which]!, otherArn),
        "latin1",
      );
      const { outcome } = w.call({ call: "Decrypt", as: "admin", input: { CiphertextBlob: forged.toString("base64") } }, admin);
      expect(outcome.ok ? "opened" : outcome.error.name).toBe("InvalidCiphertextException");
    }
  });

  it("through both sides: the model, too, answers InvalidCiphertextException for flipped blobs", () => {
    const steps: Step[] = [...KEYS, { call: "Encrypt", as: "admin", save: "c", input: { KeyId: keyId("hsm"), Plaintext: "c2VjcmV0" } }];
    const first = run(steps);
    const blob = Buffer.from(String((first.records.at(-1)!.sut as { output: JsonObject }).output["CiphertextBlob"]), "base64");
    for (let bit = 0; bit < blob.length * 8; bit += 13) {
      const flipped = Buffer.from(blob);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const result = run([
        ...steps,
        {
          call: "Decrypt",
          as: "admin",
          input: { CiphertextBlob: flipped.toString("base64") },
          expect: { ok: false, error: { name: "InvalidCiphertextException", message: "" } },
        },
      ]);
      expect(result.failure).toBeUndefined();
    }
  });
});
