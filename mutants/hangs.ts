// Mutants that never finish a step (an endless loop in a handler). No check inside a run can see one —
// the run never gives its thread back — so it is the campaign's step watchdog (cli/watchdog.ts) that has
// to catch them, as kind `hang`.
import type { Mutant } from "./mutant.ts";
import { wrapOperation } from "./seams.ts";

export const HANG_MUTANTS: Mutant[] = [
  {
    name: "list-aliases-walk-stuck",
    area: "aliases",
    description: "ListAliases walks to a request's Marker with an index it never moves on: a call with a Marker never comes back",
    scenarios: ["keys"],
    expected: { kind: "hang", check: "step-timeout" },
    apply: () =>
      wrapOperation(
        "ListAliases",
        (list) =>
          function (kms, caller, input) {
            const marker = input["Marker"];
            const step = 0; // the walk to the Marker's place, with its step left out
            if (typeof marker === "string") for (let at = 0; at < Number(marker); at += step);
            return list(kms, caller, input);
          },
      ),
  },
];
