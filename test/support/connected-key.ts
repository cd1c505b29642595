// A world driven directly, with a connected store and a CloudHSM key whose object has reached both
// HSMs: the starting point of the tests that judge faults and the invariants about them.
import { loadScenario } from "../../cli/load.ts";
import type { CallStep } from "../../protocol/step.ts";
import { World } from "../../sim/world.ts";

export const scenario = loadScenario("default");

export function connectedKey(seed = "kmsim:faults") {
  const { cluster, principals } = scenario.world;
  const world = new World(scenario, seed);
  const admin = principals["admin"]!.arn;
  const call = (c: string, input: CallStep["input"]) => {
    const { outcome } = world.call({ call: c, as: "admin", input }, admin);
    if (!outcome.ok) throw new Error(`${c}: ${outcome.error.name}`);
    return outcome.output;
  };
  const { CustomKeyStoreId } = call("CreateCustomKeyStore", {
    CustomKeyStoreName: "s",
    CloudHsmClusterId: cluster.clusterId,
    TrustAnchorCertificate: cluster.trustAnchor,
    KeyStorePassword: cluster.kmsuserPassword,
  });
  call("ConnectCustomKeyStore", { CustomKeyStoreId: CustomKeyStoreId! });
  world.advance(scenario.timing.connectDelayMs + scenario.timing.connectExchangeMs);
  const meta = call("CreateKey", { Origin: "AWS_CLOUDHSM", CustomKeyStoreId: CustomKeyStoreId! })["KeyMetadata"] as {
    Arn: string;
    KeyId: string;
  };
  world.advance(scenario.timing.replicationDelayMs); // the key object reaches both HSMs
  return { world, key: world.kms.keys.get(meta.Arn)!, storeId: String(CustomKeyStoreId), keyId: meta.KeyId };
}
