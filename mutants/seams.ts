// Helpers the catalogue's patches share: wrapping one entry of the virtual KMS's operation table, and
// finding the key or store a request names without failing (a wrapper must leave the original's
// answer to the original). Nothing here runs unless a mutant is applied.
import type { JsonObject } from "../protocol/step.ts";
import type { Operation, VirtualKms } from "../sim/kms/kms.ts";
import { KMS_OPERATIONS } from "../sim/kms/operations.ts";
import type { KeyRecord, StoreRecord } from "../sim/kms/state.ts";
import { Rejection } from "../sim/wire/validate.ts";
import { patch, type Undo } from "./mutant.ts";

/** Replaces the KMS operation `name` by `wrap(original)`. */
export function wrapOperation(name: string, wrap: (original: Operation) => Operation): Undo {
  if (KMS_OPERATIONS[name] === undefined) throw new Error(`mutants: no KMS operation ${name}`);
  return patch(KMS_OPERATIONS, name, wrap);
}

/** Makes the KMS operation `name` ignore its input member `member`, as if the request had left it out. */
export function ignoringInput(name: string, member: string): Undo {
  return wrapOperation(
    name,
    (original) =>
      function (kms, caller, input) {
        const { [member]: _, ...rest } = input;
        return original(kms, caller, rest);
      },
  );
}

/** The key `input[field]` names (aliases too), or undefined when it names none. */
export function keyNamed(kms: VirtualKms, caller: string, input: JsonObject, field = "KeyId"): KeyRecord | undefined {
  const id = input[field];
  if (typeof id !== "string") return undefined;
  const key = kms.resolveKey(caller, id, true);
  return key instanceof Rejection ? undefined : key;
}

/** The store `input.CustomKeyStoreId` names, if any. */
export function storeNamed(kms: VirtualKms, input: JsonObject): StoreRecord | undefined {
  const id = input["CustomKeyStoreId"];
  return typeof id === "string" ? kms.store(id) : undefined;
}

/** Runs `original`, then, when it succeeded, `act` on the key its input names (the bug: a change after the answer). */
export function thenOnKey(original: Operation, act: (kms: VirtualKms, key: KeyRecord) => void): Operation {
  return function* (kms, caller, input) {
    const outcome = yield* original(kms, caller, input);
    const key = keyNamed(kms, caller, input);
    if (outcome.ok && key !== undefined) act(kms, key);
    return outcome;
  };
}

/** Runs `original` with `change` made first and undone when it ends (the bug: the handler sees a changed record). */
export function withChange(
  original: Operation,
  change: (kms: VirtualKms, caller: string, input: JsonObject) => Undo | undefined,
): Operation {
  return function* (kms, caller, input) {
    const undo = change(kms, caller, input);
    try {
      return yield* original(kms, caller, input);
    } finally {
      undo?.();
    }
  };
}
