// Generated references: a context reference may ask for the same context with one value changed,
// one key added or one removed, so a ciphertext is tried under a context that is almost its own.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../cli/load.ts";
import { Resolver } from "../../harness/resolve.ts";
import { InputError } from "../../protocol/input-error.ts";
import type { Step } from "../../protocol/step.ts";

const scenario = loadScenario("default");

function resolverWith(context: Record<string, string>): Resolver {
  const resolver = new Resolver(scenario);
  resolver.record(
    { call: "Encrypt", as: "admin", input: { KeyId: "k", Plaintext: "AA==", EncryptionContext: context } },
    { ok: true, output: { CiphertextBlob: "AAAA" } },
  );
  return resolver;
}

const decrypt = (vary?: string): Step => ({
  call: "Decrypt",
  as: "admin",
  input: {
    CiphertextBlob: { ref: "ciphertext", index: -1 },
    EncryptionContext: { ref: "context", index: -1, ...(vary !== undefined ? { vary } : {}) },
  },
});
const contextOf = (step: Step) => ("input" in step ? step.input?.["EncryptionContext"] : undefined);

describe("context references", () => {
  it("resolve as made, or with one value changed, one key added or one removed", () => {
    const r = resolverWith({ purpose: "test", team: "blue" });
    expect(contextOf(r.resolve(decrypt(), "step 0"))).toEqual({ purpose: "test", team: "blue" });
    expect(contextOf(r.resolve(decrypt("value"), "step 0"))).toEqual({ purpose: "prod", team: "blue" });
    expect(contextOf(r.resolve(decrypt("add"), "step 0"))).toEqual({ purpose: "test", team: "blue", env: "prod" });
    expect(contextOf(r.resolve(decrypt("remove"), "step 0"))).toEqual({ purpose: "test" });
  });

  it("reject an unknown variation as the script's mistake", () => {
    expect(() => resolverWith({ purpose: "test" }).resolve(decrypt("shuffle"), "step 3")).toThrow(InputError);
  });
});
