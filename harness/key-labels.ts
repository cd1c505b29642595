// The labels of an HSM's key objects in a model state: the KMS key ARNs whose material it holds, each
// once, sorted (an object is named `<label>@<HsmId that generated it>`, model/state.ts). Made once per
// key object list, as those lists are shared between the states that did not change them.
import { labelOf } from "../model/cluster.ts";

const labelLists = new WeakMap<readonly string[], string[]>();

/** The labels of `objects`, each once, sorted. */
export function labelsOf(objects: readonly string[]): string[] {
  let labels = labelLists.get(objects);
  if (labels === undefined) {
    labels = [...new Set(objects.map(labelOf))].sort();
    labelLists.set(objects, labels);
  }
  return labels;
}
