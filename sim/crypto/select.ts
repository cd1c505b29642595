// Making a crypto backend by name. Each World makes its own, so the per-key caches a backend keeps
// live exactly as long as the World whose keys they hold.
import { isCryptoBackendName, type CryptoBackend, type CryptoBackendName } from "./backend.ts";
import { NobleGcm } from "./noble-gcm.ts";
import { NodeGcm } from "./node-gcm.ts";

export function cryptoBackend(name: CryptoBackendName = "noble"): CryptoBackend {
  if (!isCryptoBackendName(name)) throw new Error(`crypto: no backend '${String(name)}'`);
  return name === "node" ? new NodeGcm() : new NobleGcm();
}
