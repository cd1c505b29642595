// Mutants that fill the heap inside a step (a loop that never stops adding to a list). The step never
// finishes and takes its thread's memory with it: Node ends the thread at its heap limit, and the
// campaign reports the seed as a crash of check out-of-memory (cli/pool.ts) and goes on with a new thread.
import type { Mutant } from "./mutant.ts";
import { wrapOperation } from "./seams.ts";

export const HOARD_MUTANTS: Mutant[] = [
  {
    name: "list-aliases-pages-unbounded",
    area: "aliases",
    description:
      "ListAliases with a Marker gathers the pages before the Marker's with a page count it never checks: the call fills the heap",
    scenarios: ["keys"],
    expected: { kind: "crash", check: "out-of-memory" },
    apply: () =>
      wrapOperation(
        "ListAliases",
        (list) =>
          function (kms, caller, input) {
            const marker = input["Marker"];
            if (typeof marker === "string") {
              const pages: number[][] = [];
              // the walk over the pages before the Marker's, with its end left out
              for (let page = 0; ; page++) pages.push(new Array<number>(64).fill(page + Number(marker)));
            }
            return list(kms, caller, input);
          },
      ),
  },
];
